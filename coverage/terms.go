package coverage

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A term is one compiled alternative of a group: a sequence of word
// patterns matched against consecutive words of a text.
type term struct {
	words []wordPat
}

// A wordPat matches one word exactly, or every word that starts with it
// when the term wrote it with a trailing "*".
type wordPat struct {
	w      string
	prefix bool
}

// compileTerm turns "publicly accessible space*" into word patterns. Words
// are the runs of letters and digits after NFKC and lower-casing, so
// hyphens, quotes and apostrophes separate words exactly as in the texts:
// "real-time" is the two words "real time" and matches "‘real-time’" and
// "real time" alike. A "*" may end any word.
func compileTerm(s string) (term, error) {
	var t term
	for _, f := range strings.Fields(s) {
		prefix := strings.HasSuffix(f, "*")
		f = strings.TrimSuffix(f, "*")
		if strings.Contains(f, "*") {
			return t, fmt.Errorf("term %q: %q may only end a word", s, "*")
		}
		words := splitWords(f)
		if len(words) == 0 {
			return t, fmt.Errorf("term %q: %q has no letters or digits", s, f)
		}
		for k, w := range words {
			t.words = append(t.words, wordPat{w: w, prefix: prefix && k == len(words)-1})
		}
	}
	if len(t.words) == 0 {
		return t, fmt.Errorf("term %q is empty", s)
	}
	return t, nil
}

// splitWords returns the lower-cased words of s.
func splitWords(s string) []string {
	var out []string
	s = foldText(s)
	for _, tk := range tokenize(s) {
		out = append(out, strings.ToLower(s[tk.start:tk.end]))
	}
	return out
}

// A tok is one word of a text: its vocabulary id (set by the index) and
// its byte span.
type tok struct {
	id         int32
	start, end int32
}

// foldText applies NFKC (so "ﬁ" is "fi" and U+00A0 a space) to s. The
// result keeps the case of the law, so quotes are cut from it; words are
// lower-cased one by one when they enter the index.
func foldText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if norm.NFKC.IsNormalString(s) {
		return s
	}
	return norm.NFKC.String(s)
}

// tokenize splits a string into words: maximal runs of letters and digits.
func tokenize(s string) []tok {
	out := make([]tok, 0, len(s)/6)
	start := -1
	for i := 0; i < len(s); {
		c := s[i]
		var word bool
		size := 1
		if c < utf8.RuneSelf {
			word = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		}
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, tok{start: int32(start), end: int32(i)})
			start = -1
		}
		i += size
	}
	if start >= 0 {
		out = append(out, tok{start: int32(start), end: int32(len(s))})
	}
	return out
}

// A hit is one occurrence of a term: provision, first word and word count.
type hit struct {
	prov int32
	pos  int32
	n    int32
}

// A posting is one occurrence of a word.
type posting struct{ prov, pos int32 }

// index holds every provision's own text (heading and text) as words, with
// an inverted index from word to occurrences, so that a term costs time in
// proportion to how often its first word occurs, not to the document size.
type index struct {
	doc *Document
	// own is the NFKC form of each provision's "heading — text".
	own []string
	// textFrom is the number of heading words: words from there on belong
	// to the provision's Text.
	textFrom []int32
	toks     [][]tok
	words    []string         // by id
	ids      map[string]int32 // word -> id
	sorted   []int32          // ids sorted by word, for prefix lookups
	occ      [][]posting      // by id
	byPath   map[string]int
	parent   []int // Provision.Parent, checked
	children [][]int
}

// headingSep separates heading and text in a provision's own string.
const headingSep = " — "

func newIndex(doc *Document) *index {
	n := len(doc.Provisions)
	x := &index{
		doc:      doc,
		own:      make([]string, n),
		textFrom: make([]int32, n),
		toks:     make([][]tok, n),
		ids:      make(map[string]int32, 4096),
		byPath:   make(map[string]int, n),
		children: make([][]int, n),
		parent:   make([]int, n),
	}
	for i := range doc.Provisions {
		p := &doc.Provisions[i]
		if _, dup := x.byPath[p.Path]; !dup {
			x.byPath[p.Path] = i
		}
		// A parent must precede its child; anything else (a damaged
		// document) is treated as top level, so walks up the tree end.
		x.parent[i] = -1
		if p.Parent >= 0 && p.Parent < i {
			x.parent[i] = p.Parent
			x.children[p.Parent] = append(x.children[p.Parent], i)
		}
		var head []tok
		s := foldText(p.Text)
		if p.Heading != "" {
			h := foldText(p.Heading)
			head = tokenize(h)
			if s != "" {
				s = h + headingSep + s
			} else {
				s = h
			}
		}
		x.own[i] = s
		x.textFrom[i] = int32(len(head))
		ts := tokenize(s)
		for k := range ts {
			w := lower(s[ts[k].start:ts[k].end])
			id, ok := x.ids[w]
			if !ok {
				id = int32(len(x.words))
				x.ids[w] = id
				x.words = append(x.words, w)
				x.occ = append(x.occ, nil)
			}
			ts[k].id = id
			x.occ[id] = append(x.occ[id], posting{prov: int32(i), pos: int32(k)})
		}
		x.toks[i] = ts
	}
	x.sorted = make([]int32, len(x.words))
	for i := range x.sorted {
		x.sorted[i] = int32(i)
	}
	slices.SortFunc(x.sorted, func(a, b int32) int { return strings.Compare(x.words[a], x.words[b]) })
	return x
}

// firstIDs returns the ids of the words that the pattern matches.
func (x *index) firstIDs(p wordPat) []int32 {
	if !p.prefix {
		if id, ok := x.ids[p.w]; ok {
			return []int32{id}
		}
		return nil
	}
	lo, _ := slices.BinarySearchFunc(x.sorted, p.w, func(id int32, w string) int { return strings.Compare(x.words[id], w) })
	hi := lo
	for hi < len(x.sorted) && strings.HasPrefix(x.words[x.sorted[hi]], p.w) {
		hi++
	}
	return x.sorted[lo:hi]
}

// wordMatches reports whether word id matches the pattern.
func (x *index) wordMatches(id int32, p wordPat) bool {
	w := x.words[id]
	if p.prefix {
		return strings.HasPrefix(w, p.w)
	}
	return w == p.w
}

// find appends every occurrence of t to hits.
func (x *index) find(t term, hits []hit) []hit {
	for _, id := range x.firstIDs(t.words[0]) {
	next:
		for _, o := range x.occ[id] {
			ts := x.toks[o.prov]
			if int(o.pos)+len(t.words) > len(ts) {
				continue
			}
			for k := 1; k < len(t.words); k++ {
				if !x.wordMatches(ts[int(o.pos)+k].id, t.words[k]) {
					continue next
				}
			}
			hits = append(hits, hit{prov: o.prov, pos: o.pos, n: int32(len(t.words))})
		}
	}
	return hits
}

// inText reports whether a hit lies in the provision's Text rather than
// its heading.
func (x *index) inText(h hit) bool { return h.pos >= x.textFrom[h.prov] }

// quoteWords is the most words a quote holds.
const quoteWords = 40

// quote returns at most quoteWords words of provision i's own text centred
// on the words [pos, pos+n), with "…" where it was cut.
func (x *index) quote(i int, pos, n int32) string {
	ts := x.toks[i]
	s := x.own[i]
	if len(ts) == 0 {
		return s
	}
	from, to := int(pos), int(pos+n)
	if to-from < quoteWords {
		before := (quoteWords - (to - from)) / 2
		from = max(0, from-before)
		to = min(len(ts), from+quoteWords)
		from = max(0, to-quoteWords)
	} else {
		to = from + quoteWords
	}
	start, end := int(ts[from].start), int(ts[to-1].end)
	if from == 0 {
		start = 0
	}
	if to == len(ts) {
		end = len(s)
	}
	q := strings.TrimSpace(s[start:end])
	if from > 0 {
		q = "…" + q
	}
	if to < len(ts) {
		q += "…"
	}
	return q
}

// lower returns s in lower case without allocating when it already is.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}
