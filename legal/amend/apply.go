package amend

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/tree"
)

// Report says how Apply went.
type Report struct {
	// Applied counts the amendments that changed the text.
	Applied int
	// Unplaced lists the amendments Apply could not place, in input order.
	Unplaced []Unplaced
}

// Unplaced is an amendment that Apply could not place, and why.
type Unplaced struct {
	Number int
	Target string
	Reason string
}

// A node is a provision in the working tree of Apply.
type node struct {
	p        redline.Provision
	parent   *node
	children []*node
}

// A work is the tree Apply edits: base copied, with a path index.
type work struct {
	root   *node
	byPath map[string]*node
}

// Apply returns a new Document: base (a proposal) with the amendments
// applied in order. It never modifies base; provisions the amendments do not
// touch are copied unchanged, with their paths. The result keeps base's kind,
// format, title and identifiers; provisions an amendment wrote carry the
// marker "AM<number>".
//
// Each amendment's printed target is resolved against base by trying, in
// order: the conventional path ("Article 5(1)(d)", with numbered points under
// paragraph 1 read as definitions: "Article 3 point (44)"); the other reading
// of such points ("Article 3(1)(44)"); for articles without numbered
// paragraphs, the article itself for "paragraph 1" and "Article 6
// subparagraph 2" for "paragraph 2"; the EP's other count of subparagraphs
// ("subparagraph 1" as "subparagraph 2"); and decimal annex points nested
// under their parent ("Annex VII point 4(4.5)"). When several of these exist,
// the one whose text is closest to the Commission's column wins. An
// unreadable target falls back to Amendment.Path. Then:
//
//   - "deleted" (OpDelete) removes the provision with its children; a
//     deleted division only loses its heading, its articles move up.
//   - A replacement sets the provision's text to the first line of
//     Amendment.Text. When the amendment shows sub-structure (more lines, in
//     either column), the provision's children are replaced by the points
//     and subparagraphs read from the following lines. "– introductory part"
//     sets the chapeau only; "– title", and any division target, sets the
//     heading; a whole article takes its heading from the first line.
//   - An insertion ("(new)", or an empty left column) whose path does not
//     exist yet is placed after its preceding sibling of the same kind:
//     "recital 12a" after "recital 12", "Article 4a" after Article 4 in the
//     same division, "point (da)" after "(d)". Its text is built like a
//     replacement's.
//
// Amendments that cannot be placed (target not in base, new divisions, a
// parent that does not exist) are listed in the report with a reason; they
// are not errors.
func Apply(base *redline.Document, amendments []redline.Amendment) (*redline.Document, Report) {
	if base == nil {
		base = &redline.Document{}
	}
	w := newWork(base)
	var rep Report
	for _, a := range amendments {
		if reason := w.apply(a); reason != "" {
			rep.Unplaced = append(rep.Unplaced, Unplaced{Number: a.Number, Target: a.Target, Reason: reason})
			continue
		}
		rep.Applied++
	}
	out := &redline.Document{
		Kind:        base.Kind,
		Format:      base.Format,
		Extractor:   base.Extractor,
		Title:       base.Title,
		Identifiers: append([]string(nil), base.Identifiers...),
		Provisions:  make([]redline.Provision, 0, len(base.Provisions)+len(amendments)),
	}
	b := tree.NewBuilder(out)
	var emit func(n *node, parent int)
	emit = func(n *node, parent int) {
		i := b.Add(parent, n.p)
		for _, c := range n.children {
			emit(c, i)
		}
	}
	for _, c := range w.root.children {
		emit(c, -1)
	}
	return out, rep
}

// newWork copies base into a tree. A parent index that does not precede its
// child is invalid; such a provision is put at the top level.
func newWork(base *redline.Document) *work {
	w := &work{root: &node{}, byPath: make(map[string]*node, len(base.Provisions))}
	nodes := make([]*node, len(base.Provisions))
	for i, p := range base.Provisions {
		p.Markers = append([]string(nil), p.Markers...)
		n := &node{p: p}
		nodes[i] = n
		parent := w.root
		if p.Parent >= 0 && p.Parent < i {
			parent = nodes[p.Parent]
		}
		n.parent = parent
		parent.children = append(parent.children, n)
		if _, dup := w.byPath[p.Path]; !dup {
			w.byPath[p.Path] = n
		}
	}
	return w
}

// apply applies one amendment and returns why it could not, or "".
func (w *work) apply(a redline.Amendment) string {
	t, err := parseTarget(a.Target)
	if err != nil {
		// Without a readable target only the given path can be used.
		n := w.byPath[a.Path]
		if a.Path == "" || n == nil {
			return fmt.Sprintf("unreadable target and no path %q in the base: %v", a.Path, err)
		}
		if a.Op == redline.OpDelete {
			w.remove(n)
			return ""
		}
		w.replace(n, target{}, a)
		return ""
	}
	n, tried := w.resolve(t, a.Original)
	switch {
	case a.Op == redline.OpDelete && n == nil:
		return "not in the base (tried " + tried + ")"
	case a.Op == redline.OpDelete && (t.heading || t.intro):
		// A deleted title or chapeau leaves the provision in place.
		if t.heading {
			n.p.Heading = ""
		} else {
			n.p.Text = ""
		}
		mark(&n.p, a.Number)
		return ""
	case a.Op == redline.OpDelete:
		w.remove(n)
		return ""
	case n != nil:
		w.replace(n, t, a)
		return ""
	case a.Op == redline.OpInsert || t.isNew:
		return w.insert(t, a, tried)
	}
	return "not in the base (tried " + tried + ")"
}

// resolve finds the provision a target names, and lists what it tried.
func (w *work) resolve(t target, original string) (*node, string) {
	cands := t.candidates()
	tried := strings.Join(cands, ", ")
	if t.root.word == "article" && len(t.division) > 0 {
		// "Article 56 – SECTION 1 – title": a division above the article.
		art := w.byPath["Article "+t.root.label]
		want := cands[0]
		for n := art; n != nil && n != w.root; n = n.parent {
			if n.p.Kind == redline.ProvDivision && (n.p.Path == want || strings.HasSuffix(n.p.Path, " "+want)) {
				return n, tried
			}
		}
		return nil, want + " above Article " + t.root.label
	}
	var found []*node
	for _, c := range cands {
		if n := w.byPath[c]; n != nil && indexOf(found, n) < 0 {
			found = append(found, n)
		}
	}
	if len(found) > 0 {
		best := found[0]
		if original != "" && len(found) > 1 {
			// Several readings exist: take the one whose text the
			// Commission's column quotes.
			first, _, _ := strings.Cut(original, "\n")
			score := similarity(first, best.p.Text)
			for _, n := range found[1:] {
				if s := similarity(first, n.p.Text); s > score {
					best, score = n, s
				}
			}
		}
		return best, tried
	}
	if t.kind() == redline.ProvDivision {
		// "Chapter 3" may be printed without its title: accept a unique
		// division whose path ends with it.
		var found *node
		for p, n := range w.byPath {
			if n.p.Kind == redline.ProvDivision && strings.HasSuffix(p, " "+cands[0]) {
				if found != nil {
					return nil, tried
				}
				found = n
			}
		}
		return found, tried
	}
	return nil, tried
}

// similarity is the Dice coefficient of the word sets of the first 40
// words of a and b, ignoring case and punctuation.
func similarity(a, b string) float64 {
	words := func(s string) map[string]bool {
		set := map[string]bool{}
		for i, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if i == 40 {
				break
			}
			set[w] = true
		}
		return set
	}
	wa, wb := words(a), words(b)
	if len(wa) == 0 || len(wb) == 0 {
		return 0
	}
	common := 0
	for w := range wa {
		if wb[w] {
			common++
		}
	}
	return 2 * float64(common) / float64(len(wa)+len(wb))
}

// remove deletes n and its subtree; a division's children move up.
func (w *work) remove(n *node) {
	parent := n.parent
	i := indexOf(parent.children, n)
	if n.p.Kind == redline.ProvDivision {
		for _, c := range n.children {
			c.parent = parent
		}
		rest := append(append([]*node(nil), n.children...), parent.children[i+1:]...)
		parent.children = append(parent.children[:i], rest...)
		w.unindex(n, false)
		return
	}
	parent.children = append(parent.children[:i], parent.children[i+1:]...)
	w.unindex(n, true)
}

func (w *work) unindex(n *node, deep bool) {
	if w.byPath[n.p.Path] == n {
		delete(w.byPath, n.p.Path)
	}
	if deep {
		for _, c := range n.children {
			w.unindex(c, true)
		}
	}
}

func (w *work) index(n *node) {
	if _, dup := w.byPath[n.p.Path]; !dup {
		w.byPath[n.p.Path] = n
	}
	for _, c := range n.children {
		w.index(c)
	}
}

func indexOf(list []*node, n *node) int {
	for i, c := range list {
		if c == n {
			return i
		}
	}
	return -1
}

func mark(p *redline.Provision, number int) {
	m := "AM" + strconv.Itoa(number)
	for _, x := range p.Markers {
		if x == m {
			return
		}
	}
	p.Markers = append(p.Markers, m)
}

var divisionLabelRe = regexp.MustCompile(`(?i)^(?:title|chapter|section|part)\s+[IVXLC\d]+\s?[a-z]?\s*[:.–-]?\s*`)

// headingText reads a heading from amendment lines: a lone "Title" caption
// and a leading "SECTION 1:" are dropped.
func headingText(lines []string) string {
	var keep []string
	for _, l := range lines {
		if !strings.EqualFold(l, "title") && l != "" {
			keep = append(keep, l)
		}
	}
	s := strings.Join(keep, " ")
	if rest := divisionLabelRe.ReplaceAllString(s, ""); rest != "" {
		s = rest
	}
	return s
}

// replace rewrites n with the amendment's text.
func (w *work) replace(n *node, t target, a redline.Amendment) {
	lines := splitText(a.Text)
	mark(&n.p, a.Number)
	switch {
	case t.heading || n.p.Kind == redline.ProvDivision:
		n.p.Heading = headingText(lines)
	case (n.p.Kind == redline.ProvArticle || n.p.Kind == redline.ProvAnnex) && (t.root.word == "" || t.kind() == n.p.Kind):
		// A whole article or annex: heading first, then its body.
		if len(lines) > 0 {
			n.p.Heading = lines[0]
			lines = lines[1:]
		}
		n.p.Text = ""
		w.rebuild(n, lines, a.Number, false)
	case t.intro:
		if len(lines) > 0 {
			n.p.Text = lines[0]
		}
	case n.p.Kind == redline.ProvRecital || n.p.Kind == redline.ProvCitation || n.p.Kind == redline.ProvFootnote:
		n.p.Text = strings.Join(lines, " ")
	default:
		sub := len(lines) > 1 || strings.Contains(a.Original, "\n")
		n.p.Text = ""
		if len(lines) > 0 {
			n.p.Text = lines[0]
			lines = lines[1:]
		}
		if sub {
			// "– subparagraph 1" of a paragraph covers its text and points,
			// not the subparagraphs after them.
			keep := t.subparagraph != "" && n.p.Kind != redline.ProvSubparagraph
			w.rebuild(n, lines, a.Number, keep)
		}
	}
}

// rebuild replaces the children of n by those read from lines; with
// keepSubs, n's subparagraphs stay after the new children.
func (w *work) rebuild(n *node, lines []string, number int, keepSubs bool) {
	var kept []*node
	for _, c := range n.children {
		if keepSubs && c.p.Kind == redline.ProvSubparagraph {
			kept = append(kept, c)
			continue
		}
		w.unindex(c, true)
	}
	n.children = nil
	buildChildren(n, lines, number)
	for _, c := range n.children {
		w.index(c)
	}
	n.children = append(n.children, kept...)
}

func splitText(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// insert places a new provision.
func (w *work) insert(t target, a redline.Amendment, tried string) string {
	if t.kind() == redline.ProvDivision {
		return "new divisions are not placed: a new " + tried + " would regroup the articles that follow it"
	}
	for _, c := range t.candidates() {
		parentPath, label := splitPath(c)
		kind := pathKind(c)
		var parent *node
		switch kind {
		case redline.ProvRecital, redline.ProvCitation, redline.ProvAnnex:
			parent = w.parentOfKind(kind)
		case redline.ProvArticle:
			return w.insertArticle(c, label, a)
		default:
			parent = w.byPath[parentPath]
		}
		if parent == nil || !fits(parent, kind) {
			continue
		}
		n := &node{p: redline.Provision{Path: c, Kind: kind, Label: label}, parent: parent}
		insertChild(parent, n)
		w.index(n)
		w.replace(n, t, a)
		return ""
	}
	return "no parent in the base for " + tried
}

// fits reports whether a new provision of kind k suits parent: numbered
// paragraphs go into articles that have them (or nothing yet), points
// directly under an article only into articles without them.
func fits(parent *node, k redline.ProvisionKind) bool {
	if parent.p.Kind != redline.ProvArticle {
		return true
	}
	paras := false
	for _, c := range parent.children {
		paras = paras || c.p.Kind == redline.ProvParagraph
	}
	switch k {
	case redline.ProvParagraph:
		return paras || (len(parent.children) == 0 && parent.p.Text == "")
	case redline.ProvPoint, redline.ProvSubparagraph:
		return !paras
	}
	return true
}

var (
	articleParaRe = regexp.MustCompile(`^Article [^\s(]+\([0-9a-z]+\)$`)
	annexPartRe   = regexp.MustCompile(`^Annex \S+ (?:Section|Part) \S+$`)
)

// pathKind tells the kind of provision a path names.
func pathKind(p string) redline.ProvisionKind {
	switch {
	case strings.HasPrefix(p, "recital "):
		return redline.ProvRecital
	case strings.HasPrefix(p, "citation "):
		return redline.ProvCitation
	case subparaTail.MatchString(p):
		return redline.ProvSubparagraph
	case articleParaRe.MatchString(p):
		return redline.ProvParagraph
	case strings.HasSuffix(p, ")") || pointTail.MatchString(p):
		return redline.ProvPoint
	case annexPartRe.MatchString(p):
		return redline.ProvAnnexPart
	case strings.HasPrefix(p, "Article ") && !strings.Contains(p[len("Article "):], " "):
		return redline.ProvArticle
	case strings.HasPrefix(p, "Annex ") && !strings.Contains(p[len("Annex "):], " "):
		return redline.ProvAnnex
	}
	return redline.ProvDivision
}

// parentOfKind returns the parent of the first provision of a kind (recitals
// may sit under a preamble division in some bases), or the top level.
func (w *work) parentOfKind(k redline.ProvisionKind) *node {
	var found *node
	var walk func(n *node) bool
	walk = func(n *node) bool {
		for _, c := range n.children {
			if c.p.Kind == k {
				found = n
				return true
			}
			if walk(c) {
				return true
			}
		}
		return false
	}
	if walk(w.root) {
		return found
	}
	return w.root
}

// insertArticle places a new article after the article with the greatest
// smaller number, in that article's division.
func (w *work) insertArticle(path, label string, a redline.Amendment) string {
	var pred, first *node
	var walk func(n *node)
	walk = func(n *node) {
		for _, c := range n.children {
			if c.p.Kind == redline.ProvArticle {
				l := labelOf(c.p)
				if first == nil {
					first = c
				}
				if labelLess(l, label, false) {
					pred = c
				}
				continue
			}
			walk(c)
		}
	}
	walk(w.root)
	n := &node{p: redline.Provision{Path: path, Kind: redline.ProvArticle, Label: label}}
	switch {
	case pred != nil:
		n.parent = pred.parent
		i := indexOf(pred.parent.children, pred)
		pred.parent.children = insertAt(pred.parent.children, i+1, n)
	case first != nil:
		n.parent = first.parent
		i := indexOf(first.parent.children, first)
		first.parent.children = insertAt(first.parent.children, i, n)
	default:
		n.parent = w.root
		w.root.children = append(w.root.children, n)
	}
	w.index(n)
	w.replace(n, target{}, a)
	return ""
}

// labelOf returns a provision's label, or the last word of its path.
func labelOf(p redline.Provision) string {
	if p.Label != "" {
		return p.Label
	}
	if i := strings.LastIndexByte(p.Path, ' '); i >= 0 {
		return strings.Trim(p.Path[i+1:], "()")
	}
	return p.Path
}

// insertChild puts n among parent's children after the last sibling of the
// same kind whose label sorts before n's; before the first such sibling
// otherwise; points and paragraphs before any trailing subparagraph.
func insertChild(parent *node, n *node) {
	roman := romanValue(n.p.Label) > 0
	var same []*node
	for _, c := range parent.children {
		if c.p.Kind == n.p.Kind {
			same = append(same, c)
			roman = roman && romanValue(labelOf(c.p)) > 0
		}
	}
	var pred *node
	for _, c := range same {
		if labelLess(labelOf(c.p), n.p.Label, roman) {
			pred = c
		}
	}
	switch {
	case pred != nil:
		parent.children = insertAt(parent.children, indexOf(parent.children, pred)+1, n)
	case len(same) > 0:
		parent.children = insertAt(parent.children, indexOf(parent.children, same[0]), n)
	case n.p.Kind != redline.ProvSubparagraph:
		i := len(parent.children)
		for i > 0 && parent.children[i-1].p.Kind == redline.ProvSubparagraph {
			i--
		}
		parent.children = insertAt(parent.children, i, n)
	default:
		parent.children = append(parent.children, n)
	}
}

func insertAt(list []*node, i int, n *node) []*node {
	list = append(list, nil)
	copy(list[i+1:], list[i:])
	list[i] = n
	return list
}

var (
	bracketTail    = regexp.MustCompile(`^(.*)\(([^()]+)\)$`)
	pointTail      = regexp.MustCompile(`^(.*) point (\S+)$`)
	subparaTail    = regexp.MustCompile(`^(.*) subparagraph (\d+)$`)
	annexPartTail  = regexp.MustCompile(`^(Annex \S+) (?:Section|Part) (\S+)$`)
	topLevelSingle = regexp.MustCompile(`^(?:recital|citation|Article|Annex) (\S+)$`)
)

// splitPath splits a path into its parent's path and its own label:
// "Article 5(1)(da)" -> "Article 5(1)", "da"; "Article 3 point (44a)" ->
// "Article 3", "44a"; "Annex VIII point 4a" -> "Annex VIII", "4a".
func splitPath(p string) (parent, label string) {
	if m := bracketTail.FindStringSubmatch(p); m != nil {
		return strings.TrimSuffix(m[1], " point "), m[2]
	}
	if m := subparaTail.FindStringSubmatch(p); m != nil {
		return m[1], m[2]
	}
	if m := annexPartTail.FindStringSubmatch(p); m != nil {
		return m[1], m[2]
	}
	if m := pointTail.FindStringSubmatch(p); m != nil {
		return m[1], m[2]
	}
	if m := topLevelSingle.FindStringSubmatch(p); m != nil {
		return "", m[1]
	}
	return "", p
}

// Label styles of amended sub-structure, by nesting rank.
const (
	rankTop      = 0 // article, annex, annex part
	rankNumDot   = 1 // "1." paragraph in an article, point in an annex
	rankParenNum = 2 // "(1)" point
	rankLetter   = 3 // "(a)" or "a)" point
	rankRoman    = 4 // "(i)" point
)

type open struct {
	n    *node
	rank int
}

// rankOf returns the nesting rank of an existing provision.
func rankOf(n *node) int {
	switch n.p.Kind {
	case redline.ProvParagraph, redline.ProvSubparagraph:
		return rankNumDot
	case redline.ProvPoint:
		l := labelOf(n.p)
		switch {
		case l != "" && isDigit(l[0]) && strings.HasPrefix(n.p.Path, "Annex"):
			return rankNumDot
		case l != "" && isDigit(l[0]):
			return rankParenNum
		case romanValue(l) > 0 && n.parent != nil && n.parent.p.Kind == redline.ProvPoint && romanValue(labelOf(n.parent.p)) == 0:
			return rankRoman
		}
		return rankLetter
	}
	return rankTop
}

// lineRank classifies a labelled line. A roman-looking letter is a roman
// point when it continues an open roman list ("(iii)" after "(ii)"), or
// starts one under an open lettered point ("(d)" then "(i)"), except that
// "(i)" after "(h)" is the next letter unless "(ii)" or the like follows.
func lineRank(label string, style int, next string, stack []open) int {
	switch {
	case style == styleNumDot:
		return rankNumDot
	case isDigit(label[0]):
		return rankParenNum
	}
	top := stack[len(stack)-1]
	v := romanValue(label)
	switch {
	case v == 0:
	case top.rank == rankRoman && v > romanValue(labelOf(top.n.p)) && v <= romanValue(labelOf(top.n.p))+3:
		// Allow gaps: the EP sometimes runs two points into one line.
		return rankRoman
	case top.rank == rankLetter && v == 1:
		if labelOf(top.n.p) != "h" || len(stack) == 1 || romanValue(next) >= 2 {
			return rankRoman
		}
	}
	return rankLetter
}

// buildChildren reads the sub-structure of n from lines: labelled lines
// become paragraphs or points, nested by label style; unlabelled lines
// become subparagraphs of the nearest paragraph (or of n).
func buildChildren(n *node, lines []string, number int) {
	stack := []open{{n, rankOf(n)}}
	for i, line := range lines {
		label, rest, style := parseLabel(line)
		if label == "" {
			// Text after a list belongs to the paragraph, not the last point.
			for len(stack) > 1 && stack[len(stack)-1].rank > rankNumDot {
				stack = stack[:len(stack)-1]
			}
			c := stack[len(stack)-1].n
			if c.p.Kind == redline.ProvArticle && c.p.Text == "" && len(c.children) == 0 {
				c.p.Text = line
				continue
			}
			subs := 0
			for _, x := range c.children {
				if x.p.Kind == redline.ProvSubparagraph {
					subs++
				}
			}
			l := strconv.Itoa(subs + 2)
			add(c, &node{p: redline.Provision{Path: c.p.Path + " subparagraph " + l, Kind: redline.ProvSubparagraph, Label: l, Text: line}}, number)
			continue
		}
		next := ""
		if i+1 < len(lines) {
			next, _ = splitLabel(lines[i+1])
		}
		r := lineRank(label, style, next, stack)
		for len(stack) > 1 && stack[len(stack)-1].rank >= r {
			stack = stack[:len(stack)-1]
		}
		parent := stack[len(stack)-1].n
		kind := redline.ProvPoint
		if r == rankNumDot && parent.p.Kind == redline.ProvArticle {
			kind = redline.ProvParagraph
		}
		c := &node{p: redline.Provision{Path: childPath(parent, kind, label), Kind: kind, Label: label, Text: rest}}
		add(parent, c, number)
		stack = append(stack, open{c, r})
	}
}

func add(parent, c *node, number int) {
	c.parent = parent
	mark(&c.p, number)
	parent.children = append(parent.children, c)
}

// childPath builds the path of a new child following the path conventions.
func childPath(parent *node, kind redline.ProvisionKind, label string) string {
	pp := parent.p.Path
	switch {
	case kind == redline.ProvParagraph:
		return pp + "(" + label + ")"
	case parent.p.Kind == redline.ProvArticle:
		return pp + " point (" + label + ")"
	case parent.p.Kind == redline.ProvAnnex || parent.p.Kind == redline.ProvAnnexPart:
		return pp + " point " + label
	}
	return pp + "(" + label + ")"
}
