package amend

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/redline-watch/redline"
)

// A layoutLine is one line of pdftotext -layout output.
type layoutLine struct {
	r    []rune // without form feeds; tabs expanded; markers blanked
	page int
	no   int // 1-based line number in the input
	// indent is the column of the first non-space rune, -1 for a blank line.
	indent int
	// furniture marks page headers and footers; they are ignored.
	furniture bool
	text      string // the line trimmed
}

func (l layoutLine) trimmed() string { return l.text }

var (
	amendHeadRe = regexp.MustCompile(`^Amendment\s+(\d{1,4})$`)
	docLineRe   = regexp.MustCompile(`^(?:Proposal for an?|Draft|Motion for an?)\s+\S`)
	tableHeadRe = regexp.MustCompile(`^(?:Text proposed by the Commission|Present text|Commission proposal)\s{2,}Amendment$`)
	// furnitureRe matches one field of a page header or footer of EP
	// documents: "PE731.563v02-00", "RR\1279290EN.docx", "3/665", "EN",
	// "United in diversity".
	furnitureRe = regexp.MustCompile(`^(?:PE\d{3}\.\d{3}(?:v\d{2}-\d{2})?|\S*\\\d+[A-Z]{2}\.docx|\d{1,4}/\d{1,4}|[A-Z]{2}|United in diversity)$`)
	fieldSepRe  = regexp.MustCompile(`\s{2,}`)
)

// isFurniture reports whether a trimmed line is a page header or footer.
func isFurniture(s string) bool {
	if s == "" || !(strings.Contains(s, "PE") || strings.Contains(s, ".docx") || strings.Contains(s, "United in diversity")) {
		return false
	}
	fields := fieldSepRe.Split(s, -1)
	strong := false
	for _, f := range fields {
		if !furnitureRe.MatchString(f) {
			return false
		}
		// "EN" or "3/665" alone could be text; a header or footer always
		// carries the PE number, the file name or the motto.
		if strings.HasPrefix(f, "PE") || strings.HasSuffix(f, ".docx") || f == "United in diversity" {
			strong = true
		}
	}
	return strong
}

// splitLayout splits layout text into lines with page numbers.
func splitLayout(text string) []layoutLine {
	raw := strings.Split(text, "\n")
	out := make([]layoutLine, 0, len(raw))
	page := 1
	for i, s := range raw {
		s = strings.TrimRight(s, "\r")
		if n := strings.Count(s, "\f"); n > 0 {
			page += n
			s = strings.ReplaceAll(s, "\f", "")
		}
		r := make([]rune, 0, len(s))
		for _, c := range s {
			switch {
			case c == '\t':
				r = append(r, ' ')
				for len(r)%8 != 0 {
					r = append(r, ' ')
				}
			case strings.ContainsRune(markerRunes, c), c == '\r', c == '\v':
				r = append(r, ' ')
			default:
				r = append(r, c)
			}
		}
		for len(r) > 0 && r[len(r)-1] == ' ' {
			r = r[:len(r)-1]
		}
		l := layoutLine{r: r, page: page, no: i + 1, indent: -1}
		for j, c := range r {
			if c != ' ' {
				l.indent = j
				l.text = string(r[j:])
				break
			}
		}
		l.furniture = isFurniture(l.text)
		out = append(out, l)
	}
	return out
}

func (l layoutLine) blank() bool { return l.indent < 0 || l.furniture }

// An amendStart is where an amendment's table begins.
type amendStart struct {
	number  int
	heading int // index of the "Amendment N" line
	target  string
	header  int // index of the "Text proposed by the Commission  Amendment" line
}

// findStarts finds the amendments: an "Amendment N" line, the document line
// ("Proposal for a regulation"), the target, then the table header within a
// few lines.
func findStarts(lines []layoutLine) ([]amendStart, error) {
	var out []amendStart
	for i := 0; i < len(lines); i++ {
		if lines[i].blank() {
			continue
		}
		m := amendHeadRe.FindStringSubmatch(lines[i].trimmed())
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil {
			continue
		}
		st := amendStart{number: n, heading: i, header: -1}
		var tgt []string
		sawDoc := false
		seen := 0
		for j := i + 1; j < len(lines) && seen < 12; j++ {
			if lines[j].blank() {
				continue
			}
			seen++
			s := lines[j].trimmed()
			if tableHeadRe.MatchString(s) {
				st.header = j
				break
			}
			if amendHeadRe.MatchString(s) {
				break
			}
			if seen == 1 && docLineRe.MatchString(s) {
				sawDoc = true
				continue
			}
			tgt = append(tgt, s)
		}
		if st.header < 0 {
			if sawDoc {
				return nil, fmt.Errorf("line %d: amendment %d: no table header (%q) follows", lines[i].no, n, "Text proposed by the Commission  Amendment")
			}
			continue // "Amendment 12" as text, not a heading
		}
		st.target = strings.Join(tgt, " ")
		if st.target == "" {
			return nil, fmt.Errorf("line %d: amendment %d: no target before the table", lines[i].no, n)
		}
		out = append(out, st)
		i = st.header
	}
	return out, nil
}

// ParseLayout parses the layout text (pdftotext -layout) of a Parliament
// amendments document such as P9_TA(2023)0236. Each amendment is found by its
// "Amendment N" heading, the document line, the printed target and the
// two-column table "Text proposed by the Commission | Amendment"; the columns
// are split per page, page headers and footers dropped, and the right column
// becomes Amendment.Text, the left Amendment.Original.
//
// Both texts hold one normalised line per block (paragraph, point, title):
// the printed label of the first block is removed ("(d) the use" -> "the
// use"), later lines keep theirs ("(i) …") so that Apply can rebuild
// sub-points, and a new article's text starts with its title. Footnotes in
// the cells are dropped with their call marks. The document title and the
// title page's footnotes become provisions.
func ParseLayout(text string) (*redline.Document, error) {
	lines := splitLayout(text)
	starts, err := findStarts(lines)
	if err != nil {
		return nil, fmt.Errorf("parse amendments layout: %w", err)
	}
	if len(starts) == 0 {
		return nil, fmt.Errorf("parse amendments layout: no amendment found (no %q heading followed by a %q table)", "Amendment N", "Text proposed by the Commission | Amendment")
	}
	doc := &redline.Document{Kind: redline.DocAmendments, Format: "ep-amendments-pdf"}
	preamble(doc, lines[:starts[0].heading])
	margins := pageMargins(lines)
	doc.Amendments = make([]redline.Amendment, 0, len(starts))
	for k, st := range starts {
		end := len(lines)
		if k+1 < len(starts) {
			end = starts[k+1].heading
		}
		left, right := splitColumns(lines[st.header+1:end], lines[st.header], margins)
		raw := rawAmendment{
			number: st.number,
			target: st.target,
			left:   blocks(left),
			right:  blocks(right),
			where:  "line " + strconv.Itoa(lines[st.heading].no),
		}
		a, err := raw.amendment()
		if err != nil {
			return nil, fmt.Errorf("parse amendments layout: %s: amendment %d: %w", raw.where, st.number, err)
		}
		doc.Amendments = append(doc.Amendments, a)
	}
	return doc, nil
}

// pageMargins returns the smallest indent of each page (index = page).
func pageMargins(lines []layoutLine) []int {
	last := 1
	if len(lines) > 0 {
		last = lines[len(lines)-1].page
	}
	m := make([]int, last+1)
	for i := range m {
		m[i] = -1
	}
	for _, l := range lines {
		if l.blank() {
			continue
		}
		if m[l.page] < 0 || l.indent < m[l.page] {
			m[l.page] = l.indent
		}
	}
	return m
}

// side says which column(s) a table line holds text in.
type side uint8

const (
	sideNone side = iota
	sideLeft
	sideRight
	sideBoth
)

// A piece is a table line split into its two cells.
type piece struct {
	line           layoutLine
	left, right    string
	lInd, rInd     int
	hasL, hasR     bool
	blankL, blankR bool
}

// splitColumns splits the lines of one table into its two columns.
//
// pdftotext places each page's text by its own scale, so the gutter moves
// from page to page, and on a page that holds only one column the text
// starts near the left edge whichever column it belongs to. Each page
// segment of the table is therefore read on its own:
//
//   - lines holding both cells give the start of the right column, and
//     lines with one cell are placed by it;
//   - on the header's page, lines are placed by the middle between the two
//     header words;
//   - text both at the page margin and far from it is both columns on
//     different lines;
//   - text well inside a page whose margin other text (the next heading)
//     defines is the right column;
//   - otherwise the page holds one column only, and continuity decides: the
//     column that has text at all, else the one still running on the last
//     line of the previous page, else the one whose last line does not end
//     a sentence.
func splitColumns(tbl []layoutLine, hdr layoutLine, margins []int) (left, right []cellLine) {
	hdrMid := -1
	if s := string(hdr.r); hdr.indent >= 0 {
		if k := strings.LastIndex(s, "Amendment"); k > 0 {
			amendCol := len([]rune(s[:k]))
			hdrMid = (hdr.indent + amendCol) / 2
		}
	}
	var leftSeen, rightSeen bool
	var lastLeft, lastRight string
	last := sideNone
	for start := 0; start < len(tbl); {
		end := start
		for end < len(tbl) && tbl[end].page == tbl[start].page {
			end++
		}
		seg := tbl[start:end]
		start = end
		var pcs []piece
		for _, l := range seg {
			if !l.blank() {
				pcs = append(pcs, piece{line: l})
			} else if !l.furniture {
				pcs = append(pcs, piece{line: l, blankL: true, blankR: true})
			}
		}
		if !anyText(pcs) {
			continue
		}
		if r := rightStart(pcs); r > 0 {
			for i := range pcs {
				splitAt(&pcs[i], r)
			}
		} else {
			margin := margins[seg[0].page]
			low, high, minInd := false, false, -1
			for _, p := range pcs {
				if in := p.line.indent; in >= 0 {
					low = low || in <= margin+2
					high = high || in >= margin+30
					if minInd < 0 || in < minInd {
						minInd = in
					}
				}
			}
			threshold := -1
			var s side
			switch {
			case seg[0].page == hdr.page && hdrMid > 0:
				threshold = hdrMid
			case low && high:
				// Text at the margin and far from it: both columns
				// are on the page, on different lines.
				threshold = margin + 28
			case minInd >= margin+12:
				// Other text on the page (a heading) sits at the
				// margin, where the left column would be.
				s = sideRight
			case !leftSeen:
				s = sideRight
			case !rightSeen:
				s = sideLeft
			case last == sideLeft || last == sideRight:
				s = last
			case endsSentence(lastLeft) && !endsSentence(lastRight):
				s = sideRight
			case endsSentence(lastRight) && !endsSentence(lastLeft):
				s = sideLeft
			default:
				s = sideRight
			}
			for i := range pcs {
				switch {
				case threshold >= 0 && pcs[i].line.indent >= threshold:
					whole(&pcs[i], sideRight)
				case threshold >= 0:
					whole(&pcs[i], sideLeft)
				default:
					whole(&pcs[i], s)
				}
			}
		}
		left = appendCells(left, pcs, true)
		right = appendCells(right, pcs, false)
		for _, p := range pcs {
			if p.hasL {
				leftSeen = true
				lastLeft = p.left
			}
			if p.hasR {
				rightSeen = true
				lastRight = p.right
			}
			switch {
			case p.hasL && p.hasR:
				last = sideBoth
			case p.hasL:
				last = sideLeft
			case p.hasR:
				last = sideRight
			}
		}
	}
	return left, right
}

func anyText(pcs []piece) bool {
	for _, p := range pcs {
		if p.line.indent >= 0 && !p.line.furniture {
			return true
		}
	}
	return false
}

// rightStart finds where the right column starts on a page: the most common
// column at which text resumes after a gap of two or more spaces, at least 15
// columns after the line's start (so "1.    Providers" is not a gutter).
// It returns 0 when no line holds two cells.
func rightStart(pcs []piece) int {
	count := map[int]int{}
	for _, p := range pcs {
		r := p.line.r
		if p.line.indent < 0 {
			continue
		}
		for c := p.line.indent + 15; c < len(r); c++ {
			if r[c] != ' ' && r[c-1] == ' ' && r[c-2] == ' ' {
				if c >= 25 && c <= 90 {
					count[c]++
				}
				break
			}
		}
	}
	best, bestN := 0, 0
	for c := range count {
		n := count[c-1] + count[c] + count[c+1]
		if n > bestN || (n == bestN && c < best) {
			best, bestN = c, n
		}
	}
	return best
}

// splitAt splits one line at the right column start r.
func splitAt(p *piece, r int) {
	l := p.line
	if l.indent < 0 {
		return
	}
	if l.indent >= r-3 {
		whole(p, sideRight)
		return
	}
	best, bestScore := -1, 1<<30
	for c := max(r-3, l.indent+1); c <= r+3 && c < len(l.r); c++ {
		if l.r[c] == ' ' || l.r[c-1] != ' ' {
			continue
		}
		score := abs(c - r)
		if c < 2 || l.r[c-2] != ' ' {
			score += 4 // a single space is a weaker gutter
		}
		if score < bestScore {
			best, bestScore = c, score
		}
	}
	if best < 0 {
		whole(p, sideLeft)
		return
	}
	p.left = strings.TrimSpace(string(l.r[:best]))
	p.lInd = l.indent
	p.hasL = p.left != ""
	p.blankL = !p.hasL
	p.right = strings.TrimSpace(string(l.r[best:]))
	p.rInd = best + leadingSpaces(l.r[best:])
	p.hasR = p.right != ""
	p.blankR = !p.hasR
}

// whole puts the whole line in one column.
func whole(p *piece, s side) {
	l := p.line
	if l.indent < 0 {
		return
	}
	text := l.text
	if s == sideRight {
		p.right, p.rInd, p.hasR, p.blankL = text, l.indent, true, true
	} else {
		p.left, p.lInd, p.hasL, p.blankR = text, l.indent, true, true
	}
}

func leadingSpaces(r []rune) int {
	n := 0
	for n < len(r) && r[n] == ' ' {
		n++
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// appendCells appends one column of a page's pieces to cells, with indents
// relative to the column's left edge on that page.
func appendCells(cells []cellLine, pcs []piece, leftCol bool) []cellLine {
	edge, width := -1, 0
	for _, p := range pcs {
		has, ind, txt := p.hasR, p.rInd, p.right
		if leftCol {
			has, ind, txt = p.hasL, p.lInd, p.left
		}
		if !has {
			continue
		}
		if edge < 0 || ind < edge {
			edge = ind
		}
		if w := ind + len([]rune(txt)); w > width {
			width = w
		}
	}
	if edge < 0 {
		return cells
	}
	started, gap := false, false
	for _, p := range pcs {
		has, ind, txt, blank := p.hasR, p.rInd, p.right, p.blankR
		if leftCol {
			has, ind, txt, blank = p.hasL, p.lInd, p.left, p.blankL
		}
		if !has {
			if started && blank {
				gap = true
			}
			continue
		}
		cells = append(cells, cellLine{text: txt, indent: ind - edge, width: width - edge, page: p.line.page, blankBefore: gap})
		started, gap = true, false
	}
	return cells
}
