package plaintext

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Clean removes running headers, footers and page numbers, joins words
// hyphenated across line breaks and NFKC-normalises text extracted from a
// PDF. Pages stay separated by "\f" and lines keep their leading spaces, so
// text extracted in layout mode keeps its columns.
//
// Running headers and footers are found by shape, not by hard-coded
// strings: a line whose text with every digit run generalised (so "EN 44 EN"
// and "15698/22 RB/ek 73" match their counterparts on other pages) appears
// among the first or last three lines of at least half of the pages, and
// the same number of times on most (60%) of the pages that have it, is
// one; a heading such as "Amendment 12" that starts many pages occurs a
// varying number of times per page. Such lines are
// removed wherever they appear on a page, because reading-order extraction
// can move a footer into the middle of the page. Lines that look like
// structure ("(a)", "1.", "Article 5", "ANNEX") never count, nor do bare
// numbers. Page numbers are bare numbers at the top or bottom of a page
// that follow the page sequence.
//
// A word broken by a hyphen at the end of a line ("bio-" / "metric") is
// joined without the hyphen when the joined word occurs elsewhere in the
// text and the hyphenated form does not; otherwise the hyphen is real
// ("high-" / "risk") and the word is joined with it. The joined word moves
// to the end of the first line. pdftotext itself drops such hyphens
// ("highrisk"); a word whose hyphenated form is at least three times as
// frequent in the text gets its hyphen back. Lines that hold a column gap (two or more
// spaces inside the line, as in layout mode) are left alone, since their
// last word and the next line's first word are in different columns.
func Clean(text string) string {
	pages := cleanPages(text)
	out := make([]string, len(pages))
	for i, p := range pages {
		out[i] = strings.Join(p, "\n")
	}
	return strings.Join(out, "\f")
}

var (
	digitRun   = regexp.MustCompile(`[0-9]+`)
	bareNumber = regexp.MustCompile(`^[0-9]{1,4}$`)
	labelShape = regexp.MustCompile(`^(\(?[0-9#]{1,3}[a-z]{0,2}\)|\([a-z]{1,4}\)|[0-9#]+(\.[0-9#]+)*\.?)$`)
	// A heading: a structure word with at most its number ("Amendment 12",
	// "ANNEX III"). Longer lines that start with one, such as the Council's
	// annex-page footer "ANNEX TREE.2.B EN", can be running lines.
	structureWord  = regexp.MustCompile(`^(?i:(?:article|articles|annex|annexes|chapter|title|section|part|amendment|recital|citation)(?: \S+)?|proposal for\b.*)$`)
	hyphenEnd      = regexp.MustCompile(`(?:^|[^\p{L}-])(\p{L}+)-$`)
	lowerStart     = regexp.MustCompile(`^(\p{Ll}+)(\S*)(\s*)`)
	upperWordStart = regexp.MustCompile(`^(\p{Lu}+)(\S*)(\s*)`)
	capsWord       = regexp.MustCompile(`^\p{Lu}+$`)
	columnGap      = regexp.MustCompile(`\S\s{2,}\S`)
	wordRe         = regexp.MustCompile(`[\p{L}]+(?:-[\p{L}]+)*`)
)

// cleanPages does the work of Clean and returns the lines of each page.
func cleanPages(text string) [][]string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = norm.NFKC.String(text)
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	raw := strings.Split(text, "\f")
	// pdftotext ends the last page with a form feed too.
	if len(raw) > 1 && strings.TrimSpace(raw[len(raw)-1]) == "" {
		raw = raw[:len(raw)-1]
	}
	pages := make([][]string, len(raw))
	for i, p := range raw {
		lines := strings.Split(p, "\n")
		for j, l := range lines {
			lines[j] = strings.TrimRightFunc(l, unicode.IsSpace)
		}
		pages[i] = lines
	}
	if len(pages) == 1 {
		pages = inferPages(pages[0])
	}
	removeRunning(pages)
	removePageNumbers(pages)
	words := wordCounts(pages)
	joinHyphens(pages, words)
	rehyphenate(pages, words)
	return pages
}

// wordCounts counts the words of the text (letters, with single hyphens
// inside: "high-risk" is one word), case-folded.
func wordCounts(pages [][]string) map[string]int {
	words := map[string]int{}
	for _, lines := range pages {
		for _, l := range lines {
			forWords(strings.ToLower(l), func(w string) { words[w]++ })
		}
	}
	return words
}

// forWords calls f for each word of s, as wordRe would find them.
func forWords(s string, f func(string)) {
	start := -1
	for i, r := range s {
		switch {
		case unicode.IsLetter(r):
			if start < 0 {
				start = i
			}
		case r == '-' && start >= 0 && i+1 < len(s):
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if !unicode.IsLetter(next) {
				f(s[start:i])
				start = -1
			}
		default:
			if start >= 0 {
				f(s[start:i])
				start = -1
			}
		}
	}
	if start >= 0 {
		f(strings.TrimSuffix(s[start:], "-"))
	}
}

// key is a line with its white space collapsed; shape also generalises digit runs.
func key(l string) string { return strings.Join(strings.Fields(l), " ") }

func shape(k string) string {
	if !strings.ContainsAny(k, "0123456789") {
		return k
	}
	return digitRun.ReplaceAllString(k, "#")
}

// edges returns the indexes of the first and last n non-empty lines of a page.
func edges(lines []string, n int) []int {
	var idx []int
	for i := 0; i < len(lines) && len(idx) < n; i++ {
		if strings.TrimSpace(lines[i]) != "" {
			idx = append(idx, i)
		}
	}
	var tail []int
	for i := len(lines) - 1; i >= 0 && len(tail) < n; i-- {
		if strings.TrimSpace(lines[i]) != "" && !slices.Contains(idx, i) {
			tail = append(tail, i)
		}
	}
	return append(idx, tail...)
}

func runningCandidate(k string) bool {
	return k != "" && !bareNumber.MatchString(k) && !labelShape.MatchString(k) && !structureWord.MatchString(k)
}

// inferPages splits text that lost its form feeds (many stored extractions
// join pages with plain newlines) back into pages, so that running headers,
// footers and footnote zones stay page-sized. A page ends after each line of
// its running footer: the most frequent line shape that carries a number
// that counts pages and recurs at least three times, typically at least five
// lines apart and on average at most 120 lines apart, never a labelled line ("PE-CONS 24/24 AD/DOS/di 165",
// "15698/22 RB/ek 73"); failing that, after each bare page number of an
// ascending sequence ("2", "3", "4" between "EN" lines). Text without such
// a pattern stays one page.
func inferPages(lines []string) [][]string {
	const minGap, maxPage = 5, 120
	type occ struct {
		idx  []int
		keys map[string]bool
	}
	shapes := map[string]*occ{}
	var order []string
	var numbers []int // indexes of bare-number lines
	for i, l := range lines {
		k := key(l)
		if bareNumber.MatchString(k) {
			numbers = append(numbers, i)
			continue
		}
		if _, _, labelled := parseLabel(k); labelled || !runningCandidate(k) || !strings.ContainsAny(k, "0123456789") {
			continue
		}
		s := shape(k)
		o := shapes[s]
		if o == nil {
			o = &occ{keys: map[string]bool{}}
			shapes[s] = o
			order = append(order, s)
		}
		o.idx = append(o.idx, i)
		o.keys[k] = true
	}
	// Page furniture recurs a page apart; a short last page may bring two
	// footers close, so the typical (median) gap decides.
	spread := func(idx []int) bool {
		if len(idx) < 3 {
			return false
		}
		gaps := make([]int, len(idx)-1)
		for j := range gaps {
			gaps[j] = idx[j+1] - idx[j]
		}
		slices.Sort(gaps)
		return gaps[len(gaps)/2] >= minGap
	}
	var best []int
	for _, s := range order {
		// A footer comes at least every hundred lines or so: numbered
		// lines of a list ("Regulation (EU) 2018/1860 of …", "…/1861 of …")
		// are rarer.
		if o := shapes[s]; len(o.keys) >= 3 && len(o.idx) > len(best) && len(o.idx)*maxPage >= len(lines) && spread(o.idx) && counts(lines, o.idx) {
			best = o.idx
		}
	}
	if best == nil {
		best = pageNumberRun(lines, numbers)
		if !spread(best) {
			return [][]string{lines}
		}
	}
	// The rest of the footer ("TREE.2.B EN" after "PE-CONS 24/24 AD/DOS/di
	// 7", "EN" after the page number) ends the page too, when the same line
	// follows most page numbers.
	after := func(i int) int {
		for j := i + 1; j < len(lines) && j <= i+3; j++ {
			if key(lines[j]) != "" {
				return j
			}
		}
		return -1
	}
	follow := map[string]int{}
	for _, i := range best {
		if j := after(i); j >= 0 && runningCandidate(key(lines[j])) {
			follow[shape(key(lines[j]))]++
		}
	}
	tail := ""
	for s, n := range follow {
		if n*5 >= len(best)*4 {
			tail = s
		}
	}
	var pages [][]string
	start := 0
	for _, i := range best {
		if j := after(i); j >= 0 && tail != "" && shape(key(lines[j])) == tail {
			i = j
		}
		pages = append(pages, lines[start:i+1])
		start = i + 1
	}
	if start < len(lines) {
		pages = append(pages, lines[start:])
	}
	return pages
}

// counts reports whether one of the numbers of the lines at idx (all of one
// shape) counts pages: it goes up by one from most occurrences to the next.
func counts(lines []string, idx []int) bool {
	runs := make([][]string, len(idx))
	for j, i := range idx {
		runs[j] = digitRun.FindAllString(key(lines[i]), -1)
	}
	for k := range runs[0] {
		up := 0
		for j := 1; j < len(runs); j++ {
			a, _ := strconv.Atoi(runs[j-1][k])
			b, _ := strconv.Atoi(runs[j][k])
			if b == a+1 {
				up++
			}
		}
		if up*5 >= (len(runs)-1)*3 {
			return true
		}
	}
	return false
}

// pageNumberRun returns the bare-number lines (indexes into lines) that
// belong to runs of at least three numbers ascending by one: the page
// numbers of a text that lost its form feeds. A Commission proposal numbers
// its explanatory memorandum and its act separately, so there may be
// several runs.
func pageNumberRun(lines []string, numbers []int) []int {
	var out, run []int
	prev := 0
	flush := func() {
		if len(run) >= 3 {
			out = append(out, run...)
		}
		run = nil
	}
	for _, i := range numbers {
		n, _ := strconv.Atoi(key(lines[i]))
		switch {
		case len(run) > 0 && n == prev+1:
			run = append(run, i)
		case len(run) > 0 && n == prev:
			continue // a number repeated inside the text
		default:
			flush()
			run = []int{i}
		}
		prev = n
	}
	flush()
	return out
}

// removeRunning deletes running headers and footers (see Clean).
func removeRunning(pages [][]string) {
	if len(pages) < 2 {
		return
	}
	atEdge := map[string]int{}          // shape -> pages where it is at an edge
	perPage := map[string]map[int]int{} // shape -> count -> pages
	for _, lines := range pages {
		seen := map[string]bool{}
		for _, i := range edges(lines, 3) {
			if k := key(lines[i]); runningCandidate(k) {
				seen[shape(k)] = true
			}
		}
		for s := range seen {
			atEdge[s]++
		}
		counts := map[string]int{}
		for _, l := range lines {
			if k := key(l); runningCandidate(k) {
				counts[shape(k)]++
			}
		}
		for s, n := range counts {
			if perPage[s] == nil {
				perPage[s] = map[int]int{}
			}
			perPage[s][n]++
		}
	}
	need := max(2, (len(pages)+1)/2)
	running := map[string]bool{}
	for s, n := range atEdge {
		if n < need {
			continue
		}
		total, mode := 0, 0
		for _, pages := range perPage[s] {
			total += pages
			mode = max(mode, pages)
		}
		// A header occurs the same number of times on (nearly) every page;
		// a heading such as "Amendment 12" that happens to start most pages
		// does not.
		if mode*10 >= total*6 {
			running[s] = true
		}
	}
	if len(running) == 0 {
		return
	}
	for p, lines := range pages {
		edge := map[int]bool{}
		for _, i := range edges(lines, 3) {
			edge[i] = true
		}
		kept := lines[:0]
		for i, l := range lines {
			if k := key(l); k != "" && (running[shape(k)] || edge[i] && endsRunning(shape(k), running)) {
				continue
			}
			kept = append(kept, l)
		}
		pages[p] = kept
	}
}

// endsRunning reports whether a line shape s and a running line R differ by
// at most three leading words: the Council prints the part of the document
// in the footer of annex pages ("ANNEX III  TREE.2.B  EN", "ANNEX  TREE.2.B
// EN" next to the usual "TREE.2.B  EN"), so whichever of the two is on fewer
// pages goes with the other. Only lines of some length count, so a bare "EN"
// footer never swallows a line of text.
func endsRunning(s string, running map[string]bool) bool {
	tails := func(long, short string) bool {
		if len(short) < 6 || !strings.HasSuffix(long, " "+short) {
			return false
		}
		return len(strings.Fields(long[:len(long)-len(short)-1])) <= 3
	}
	for r := range running {
		if tails(s, r) || tails(r, s) {
			return true
		}
	}
	return false
}

// removePageNumbers deletes bare numbers at a page's top or bottom that
// follow the page sequence: the offset between page index and number that
// most pages agree on.
func removePageNumbers(pages [][]string) {
	votes := map[int]int{}
	for p, lines := range pages {
		for _, i := range edges(lines, 3) {
			if k := key(lines[i]); bareNumber.MatchString(k) {
				n, _ := strconv.Atoi(k)
				votes[n-p]++
			}
		}
	}
	best, bestVotes := 0, 0
	for off, v := range votes {
		if v > bestVotes || (v == bestVotes && off < best) {
			best, bestVotes = off, v
		}
	}
	if bestVotes < 2 && len(pages) > 1 || bestVotes == 0 {
		return
	}
	for p, lines := range pages {
		want := strconv.Itoa(p + best)
		for _, i := range edges(lines, 3) {
			if key(lines[i]) == want {
				pages[p] = append(lines[:i:i], lines[i+1:]...)
				break
			}
		}
	}
}

// joinHyphens joins words hyphenated across line breaks (see Clean).
func joinHyphens(pages [][]string, words map[string]int) {
	for p := range pages {
		lines := pages[p]
		for i := 0; i+1 < len(lines); i++ {
			l := lines[i]
			if !strings.HasSuffix(l, "-") {
				continue
			}
			m := hyphenEnd.FindStringSubmatch(l)
			if m == nil || columnGap.MatchString(strings.TrimSpace(l)) {
				continue
			}
			next := strings.TrimSpace(lines[i+1])
			indent := lines[i+1][:len(lines[i+1])-len(strings.TrimLeft(lines[i+1], " "))]
			if d := len(indent) - (len(l) - len(strings.TrimLeft(l, " "))); d > 8 || d < -8 {
				continue // another column of a layout page
			}
			n := lowerStart.FindStringSubmatch(next)
			if n == nil && capsWord.MatchString(m[1]) {
				n = upperWordStart.FindStringSubmatch(next) // "HIGH-" / "RISK" in a heading
			}
			if n == nil || columnGap.MatchString(next) {
				continue
			}
			first, punct := n[1], n[2]
			word := m[1] + "-" + first
			if words[strings.ToLower(m[1]+first)] > 0 && words[strings.ToLower(word)] == 0 {
				word = m[1] + first
			}
			lines[i] = l[:len(l)-len(m[1])-1] + word + punct
			if tail := next[len(n[0]):]; tail != "" {
				lines[i+1] = indent + tail
			} else {
				// The moved word was the whole line; an empty line would
				// read as a paragraph break.
				lines = append(lines[:i+1], lines[i+2:]...)
			}
		}
		pages[p] = lines
	}
}

// rehyphenate restores the hyphen that pdftotext drops when it joins a
// word broken at a line end ("highrisk"): a word whose hyphenated form
// occurs at least three times as often in the text gets the hyphen back.
func rehyphenate(pages [][]string, counts map[string]int) {
	fix := map[string]int{} // joined word -> byte offset of the hyphen
	for w, n := range counts {
		first, second, ok := strings.Cut(w, "-")
		if !ok || strings.Contains(second, "-") {
			continue
		}
		if j := counts[first+second]; j > 0 && n >= 3*j {
			fix[first+second] = len(first)
		}
	}
	if len(fix) == 0 {
		return
	}
	for _, lines := range pages {
		for i, l := range lines {
			low := strings.ToLower(l)
			hit := false
			for w := range fix {
				hit = hit || strings.Contains(low, w)
			}
			if !hit {
				continue
			}
			lines[i] = wordRe.ReplaceAllStringFunc(l, func(w string) string {
				if at, ok := fix[strings.ToLower(w)]; ok && len(strings.ToLower(w)) == len(w) {
					return w[:at] + "-" + w[at:]
				}
				return w
			})
		}
	}
}

// runeLen is the length of s in characters.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
