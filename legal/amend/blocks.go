package amend

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/norm"
)

// A cellLine is one line of one column of an amendment table.
type cellLine struct {
	text string // trimmed, markers removed
	// indent is the line's start relative to the column's left edge on its
	// page; centred headings have a large one.
	indent int
	// width is the widest line of the column on this page (indent + length),
	// used to tell centred lines from indented ones.
	width int
	page  int
	// blankBefore is set when a blank line of this column separates it from
	// the previous line on the same page.
	blankBefore bool
}

var (
	// labelRe matches the label at the start of a block: "(a)", "(ba)",
	// "(b a)", "(iii)", "(12)", "(44 a)", "a)", "1.", "1 a.", "4.5.", and
	// "a." before a word (not "p. 39").
	labelRe = regexp.MustCompile(`^(?:\((\d{1,3}(?:\s?[a-z]{1,2})?|[a-z]{1,2}(?:\s[a-z]{1,2})?|[ivxlc]{1,7})\)(?:\s+|$)|([a-z]{1,2})\)(?:\s+|$)|(\d{1,3}(?:\.\d{1,2})*(?:\s?[a-z]{1,2})?)\.(?:\s+|$)|([a-z])\.\s+[\p{L}‘“"'])`)
	// articleHeadRe matches a standalone article heading inside a cell.
	articleHeadRe = regexp.MustCompile(`^Article\s+(-\s*)?\d{1,3}(\s?[a-z]{1,2})?$`)
	// footnoteRuleRe is the rule above the footnotes of a cell.
	footnoteRuleRe = regexp.MustCompile(`^_{5,}$`)
	footnoteNumRe  = regexp.MustCompile(`^(\d{1,3})\s+\S`)
)

// markerRunes are bold/italic change markers some EP exports print.
const markerRunes = "▌◄►▐■"

// isContinuationWord reports words that end a line after which a
// label-like start ("(a)", "5.") is a cross-reference, not a new point:
// "referred to in point\n(a) of".
func isContinuationWord(w string) bool {
	switch w {
	case "article", "articles", "point", "points", "paragraph", "paragraphs",
		"subparagraph", "subparagraphs", "annex", "annexes", "regulation",
		"directive", "decision", "no", "of", "to", "in", "under", "see",
		"title", "chapter", "section":
		return true
	}
	return false
}

// isTitleGlue reports words that end a title line the next line continues.
func isTitleGlue(w string) bool {
	switch w {
	case "and", "or", "of", "the", "a", "an", "to", "for", "in", "on", "with",
		"by", "between", "from", "at", "into", "concerning":
		return true
	}
	return false
}

// continuesTitle reports whether l continues the article title in cur (the
// lines after an "Article N" heading). A title is centred, may wrap after a
// joining word, and its continuation lines start in lower case; the body
// starts with a label, a capital or after a full stop. Titles are short and
// centred, so a long or full-width lower-case line is body text that lacks
// its capital.
func continuesTitle(cur []cellLine, l cellLine) bool {
	prev := cur[len(cur)-1]
	if l.blankBefore || endsSentence(prev.text) || labelRe.MatchString(l.text) {
		return false
	}
	words := len(strings.Fields(l.text))
	for _, c := range cur {
		words += len(strings.Fields(c.text))
	}
	if isCentred(l) || (isTitleGlue(lastWord(prev.text)) && words <= 16) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(l.text)
	full := l.indent+utf8.RuneCountInString(l.text) >= l.width
	return unicode.IsLower(r) && !full && words <= 12
}

// refTailRe matches a line that ends inside a reference: "referred to in
// Article 15" may continue with "(1a) and the AI Office".
var refTailRe = regexp.MustCompile(`(?i)\b(?:articles?|paragraphs?|points?|subparagraphs?|annex(?:es)?|regulation|directive|decision|no)\s+\S+$`)

// continuesReference reports whether a line ends so that a label-like start
// of the next line continues a cross-reference rather than opening a point.
func continuesReference(prev string) bool {
	return isContinuationWord(lastWord(prev)) || refTailRe.MatchString(prev)
}

// splitLabel splits a printed label off the start of s: "(d) the use" ->
// "d", "the use". The label is returned without brackets, dots or spaces.
func splitLabel(s string) (label, rest string) {
	label, rest, _ = parseLabel(s)
	return label, rest
}

// Label styles, as matched by labelRe.
const (
	styleNone      = iota
	styleParen     // "(a)", "(iii)", "(12)"
	styleLetter    // "a)"
	styleNumDot    // "1.", "1 a.", "4.5."
	styleLetterDot // "a. the distributors"
)

// parseLabel is splitLabel that also reports the label's style.
func parseLabel(s string) (label, rest string, style int) {
	m := labelRe.FindStringSubmatchIndex(s)
	if m == nil {
		return "", s, styleNone
	}
	end := m[1]
	for g := 1; g <= 4; g++ {
		if m[2*g] >= 0 {
			label = strings.ReplaceAll(s[m[2*g]:m[2*g+1]], " ", "")
			style = g
			if g == styleLetterDot {
				// The match ran into the first word; keep it.
				end = m[2*g+1] + 1
				for end < len(s) && s[end] == ' ' {
					end++
				}
			}
			break
		}
	}
	return label, s[end:], style
}

// isCentred reports whether a line is centred in its column, as headings
// are: indented, with about as much room on its right.
func isCentred(l cellLine) bool {
	if l.indent < 3 {
		return false
	}
	right := l.width - l.indent - utf8.RuneCountInString(l.text)
	return right >= l.indent-6
}

func lastWord(s string) string {
	s = strings.TrimRightFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		s = s[i+1:]
	}
	return strings.ToLower(s)
}

func endsSentence(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	switch s[len(s)-1] {
	case '.', ';', ':':
		return true
	}
	return false
}

// blocks groups the lines of one cell into blocks (paragraphs, points,
// headings) and normalises each. Footnotes below a rule are dropped, and
// their call marks removed from the text.
func blocks(lines []cellLine) []string {
	lines, notes := dropFootnotes(lines)
	var out [][]cellLine
	var cur []cellLine
	titleMode := false // inside the title that follows an article heading
	flush := func() {
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	for i, l := range lines {
		if i == 0 {
			cur = append(cur, l)
			if articleHeadRe.MatchString(l.text) {
				flush()
				titleMode = true
			}
			continue
		}
		prev := lines[i-1]
		if titleMode {
			if len(cur) == 0 || continuesTitle(cur, l) {
				cur = append(cur, l)
				continue
			}
			titleMode = false
			flush()
			cur = append(cur, l)
			continue
		}
		brk := false
		switch {
		case articleHeadRe.MatchString(l.text):
			brk, titleMode = true, true
		case labelRe.MatchString(l.text) && (endsSentence(prev.text) || !continuesReference(prev.text)):
			brk = true
		case l.blankBefore && endsSentence(prev.text):
			brk = true
		case isCentred(l) != isCentred(prev):
			brk = true
		}
		if brk {
			flush()
		}
		cur = append(cur, l)
		if titleMode {
			flush()
		}
	}
	flush()
	res := make([]string, 0, len(out))
	for _, b := range out {
		if t := joinLines(b, notes); t != "" {
			res = append(res, t)
		}
	}
	return res
}

// dropFootnotes removes the footnotes of a cell: everything from a rule
// ("______") to the end of that page. It returns the footnote numbers seen.
func dropFootnotes(lines []cellLine) ([]cellLine, map[string]bool) {
	var notes map[string]bool
	out := lines[:0:0]
	skipPage := -1
	for _, l := range lines {
		if footnoteRuleRe.MatchString(l.text) {
			skipPage = l.page
			continue
		}
		if l.page == skipPage {
			if m := footnoteNumRe.FindStringSubmatch(l.text); m != nil {
				if notes == nil {
					notes = make(map[string]bool)
				}
				notes[m[1]] = true
			}
			continue
		}
		out = append(out, l)
	}
	return out, notes
}

// footnoteCallRe finds digits glued to the end of a word: "Council35",
// "2002/584/JHA62", "(COD))1".
var footnoteCallRe = regexp.MustCompile(`([\p{L})\]])(\d{1,3})\b`)

// joinLines joins the lines of one block into normalised text. A line that
// ends with a hyphen is joined without a space, keeping the hyphen: EU texts
// are not hyphenated by the typesetter, so the hyphen belongs to a compound
// ("AI-based", "non-discrimination").
func joinLines(ls []cellLine, notes map[string]bool) string {
	var b strings.Builder
	for i, l := range ls {
		if i > 0 && !strings.HasSuffix(ls[i-1].text, "-") {
			b.WriteByte(' ')
		}
		b.WriteString(l.text)
	}
	return cleanText(b.String(), notes)
}

// cleanText drops change markers and known footnote calls and normalises.
func cleanText(s string, notes map[string]bool) string {
	if strings.ContainsAny(s, markerRunes) {
		s = strings.Map(func(r rune) rune {
			if strings.ContainsRune(markerRunes, r) {
				return ' '
			}
			return r
		}, s)
	}
	if len(notes) > 0 {
		s = footnoteCallRe.ReplaceAllStringFunc(s, func(m string) string {
			sm := footnoteCallRe.FindStringSubmatch(m)
			if notes[sm[2]] {
				return sm[1]
			}
			return m
		})
	}
	return norm.Text(s)
}

// rawAmendment is an amendment as read from either format, before its
// target and text are interpreted.
type rawAmendment struct {
	number int
	target string
	// left and right are the blocks of the two columns.
	left, right []string
	// where names the place in the input for error messages ("line 1234").
	where string
}

// isDeleted reports whether a column reads "deleted".
func isDeleted(blocks []string) bool {
	if len(blocks) != 1 {
		return false
	}
	_, s := splitLabel(blocks[0]) // "(c) deleted"
	return strings.ToLower(strings.TrimRight(s, ". ")) == "deleted"
}

// columnText turns the blocks of a column into Amendment text: the printed
// label of the first block ("(d)", "1 a.", "Article 4 a") is removed, the
// blocks are joined with newlines so that Apply can rebuild sub-points.
func columnText(blocks []string) string {
	if len(blocks) == 0 {
		return ""
	}
	bs := blocks
	if articleHeadRe.MatchString(bs[0]) {
		bs = bs[1:]
	} else if _, rest := splitLabel(bs[0]); rest != bs[0] {
		bs = append([]string{rest}, bs[1:]...)
	}
	var b strings.Builder
	for _, s := range bs {
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s)
	}
	return b.String()
}

// amendment interprets a raw amendment.
func (r rawAmendment) amendment() (redline.Amendment, error) {
	a := redline.Amendment{Number: r.number, Target: r.target}
	t, err := parseTarget(r.target)
	if err != nil {
		return a, err
	}
	a.Path = t.candidates()[0]
	a.Original = columnText(r.left)
	switch {
	case isDeleted(r.right):
		a.Op = redline.OpDelete
	case t.isNew || len(r.left) == 0:
		a.Op = redline.OpInsert
		a.Text = columnText(r.right)
	default:
		a.Op = redline.OpReplace
		a.Text = columnText(r.right)
	}
	return a, nil
}

// labelKey orders labels of siblings: numbers numerically with their letter
// suffix ("12" < "12a" < "12b" < "13"), EP minus-numbers just before the
// number ("-57a" between "56c" and "57"), roman numerals by value when both
// are roman, letters as strings ("d" < "da" < "db" < "e").
func labelLess(a, b string, roman bool) bool {
	na, sa, oka := splitNumber(a)
	nb, sb, okb := splitNumber(b)
	if oka && okb {
		if na != nb {
			return na < nb
		}
		return sa < sb
	}
	if roman {
		ra, rb := romanValue(a), romanValue(b)
		if ra > 0 && rb > 0 {
			return ra < rb
		}
	}
	return a < b
}

// splitNumber reads "12a" as 12*2, "a" and "-57a" as 57*2-1, "a", so that
// minus-numbers sort between their neighbours.
func splitNumber(s string) (n int, suffix string, ok bool) {
	minus := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	i := 0
	for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
		i++
	}
	if i == 0 {
		return 0, "", false
	}
	num := s[:i]
	if j := strings.IndexByte(num, '.'); j >= 0 {
		num = num[:j] // "4.5" sorts with 4; the suffix orders it among 4.x
		suffix = s[j:i]
	}
	v, err := strconv.Atoi(num)
	if err != nil {
		return 0, "", false
	}
	n = v * 2
	if minus {
		n--
	}
	return n, suffix + s[i:], true
}

// romanValue returns the value of a lower-case roman numeral, or 0.
func romanValue(s string) int {
	total := 0
	for i := 0; i < len(s); i++ {
		v := romanDigit(s[i])
		if v == 0 {
			return 0
		}
		if i+1 < len(s) && romanDigit(s[i+1]) > v {
			total -= v
		} else {
			total += v
		}
	}
	return total
}

func romanDigit(c byte) int {
	switch c {
	case 'i':
		return 1
	case 'v':
		return 5
	case 'x':
		return 10
	case 'l':
		return 50
	case 'c':
		return 100
	}
	return 0
}
