package pdftext

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// line is a row of runs that share a baseline (superscripts included).
type line struct {
	runs   []run
	lo, hi float64 // vertical extent in page space
	y      float64 // baseline of the longest run, not of a raised footnote call
	size   float64 // largest font size
	x1     float64 // right end of the last run
	long   int     // length of the longest run
}

// extent approximates a run's vertical extent from its baseline and size:
// descenders a quarter of the size below, ascenders three quarters above.
func extent(r run) (lo, hi float64) { return r.y0 - 0.25*r.size, r.y0 + 0.75*r.size }

// fits reports whether r sits on l: their extents overlap by at least half
// of the smaller one, which keeps raised footnote calls on their line but
// never merges two lines of body text.
func (l *line) fits(r run) bool {
	if r.slanted || len(l.runs) == 0 || l.runs[0].slanted {
		return false
	}
	lo, hi := extent(r)
	overlap := min(hi, l.hi) - max(lo, l.lo)
	return overlap > 0 && overlap >= 0.5*min(hi-lo, l.hi-l.lo)
}

func (l *line) add(r run) {
	lo, hi := extent(r)
	if len(l.runs) == 0 {
		l.lo, l.hi, l.x1 = lo, hi, r.x1
	}
	if len(r.text) > l.long {
		l.y, l.long = r.y0, len(r.text)
	}
	l.runs = append(l.runs, r)
	l.lo, l.hi = min(l.lo, lo), max(l.hi, hi)
	l.size = max(l.size, r.size)
	l.x1 = max(l.x1, r.x1)
}

// contentLines groups runs into lines in the order the page draws them,
// which for word processors is the reading order with every label on the
// line of its text. A run starts a new line when it leaves the current
// line's band, jumps back to the left or jumps right by more than three
// ems (the next cell of a table row, never a tab after a label).
func contentLines(runs []run) []*line {
	var out []*line
	var cur *line
	for _, r := range runs {
		if cur != nil && cur.fits(r) && r.x0 >= cur.x1-0.5*r.size && r.x0-cur.x1 < 3*r.size {
			cur.add(r)
			continue
		}
		cur = &line{}
		cur.add(r)
		out = append(out, cur)
	}
	return out
}

// rows groups runs into physical rows, top to bottom, whatever order the
// page draws them in; runs in a row are sorted left to right.
func rows(runs []run) []*line {
	runs = slices.Clone(runs)
	sortRows(runs)
	var out []*line
	var cur *line
	for _, r := range runs {
		if cur != nil && cur.fits(r) {
			cur.add(r)
			continue
		}
		cur = &line{}
		cur.add(r)
		out = append(out, cur)
	}
	for _, l := range out {
		sort.SliceStable(l.runs, func(i, j int) bool { return l.runs[i].x0 < l.runs[j].x0 })
	}
	return out
}

// wordGap reports whether the gap between two runs on a line is a space:
// more than an eighth of the font size, the narrowest space in body fonts.
func wordGap(prev, r run) bool {
	return r.x0-prev.x1 > 0.125*min(prev.size, r.size)
}

// duplicate reports whether r overprints prev (simulated bold draws the
// same text twice, a fraction of a point apart).
func duplicate(prev, r run) bool {
	return r.text == prev.text && math.Abs(r.x0-prev.x0) < 0.2*r.size && math.Abs(r.y0-prev.y0) < 0.2*r.size
}

// readingText renders lines with single spaces between words and a blank
// line where the vertical gap is larger than paragraph spacing or the text
// jumps back up (a new column, a footer drawn first).
func readingText(b *strings.Builder, lines []*line) {
	for i, l := range lines {
		if i > 0 {
			prev := lines[i-1]
			if gap := prev.y - l.y; gap > 1.45*max(prev.size, l.size) || gap < -0.5*l.size {
				b.WriteByte('\n')
			}
		}
		var s strings.Builder
		for j, r := range l.runs {
			if j > 0 {
				p := l.runs[j-1]
				if duplicate(p, r) {
					continue
				}
				if wordGap(p, r) {
					s.WriteByte(' ')
				}
			}
			s.WriteString(r.text)
		}
		b.WriteString(strings.Join(strings.Fields(s.String()), " "))
		b.WriteByte('\n')
	}
}

// layoutText renders rows on a character grid so that text keeps its
// horizontal position, like `pdftotext -layout`: the start of each row and
// of each piece of text after a gap wider than two ems (a table column, a
// tab stop) is placed by its x position, at least two spaces after what
// precedes it; narrower gaps are word spaces and become one space. The grid
// origin and pitch are shared by all pages so that a table column keeps its
// position across page breaks.
func layoutText(b *strings.Builder, pages [][]*line) {
	minX := math.Inf(1)
	var widths []float64
	for _, lines := range pages {
		for _, l := range lines {
			for _, r := range l.runs {
				minX = min(minX, r.x0)
				if n := utf8.RuneCountInString(r.text); n >= 3 && r.x1 > r.x0 {
					widths = append(widths, (r.x1-r.x0)/float64(n))
				}
			}
		}
	}
	// The pitch is a narrow character width (a low quantile), so that a
	// column's text rarely needs more cells than its physical width gives it
	// and the next column stays aligned.
	pitch := 4.0
	if len(widths) > 0 {
		sort.Float64s(widths)
		pitch = max(widths[len(widths)/10], 1)
	}
	for _, lines := range pages {
		for i, l := range lines {
			if i > 0 {
				prev := lines[i-1]
				gap := prev.y - l.y
				size := max(prev.size, l.size)
				for k := 1.6; k < 6 && gap > k*size; k += 1.4 {
					b.WriteByte('\n')
				}
			}
			var row []rune
			for j, r := range l.runs {
				// Clamped: a malicious file can place text a light year away.
				col := int(min(max(math.Round((r.x0-minX)/pitch), 0), maxColumn))
				if j > 0 {
					p := l.runs[j-1]
					if duplicate(p, r) {
						continue
					}
					switch gap := r.x0 - p.x1; {
					case gap > 2*min(p.size, r.size):
						col = max(col, len(row)+2)
					case wordGap(p, r) && !endsWithSpace(row) && !strings.HasPrefix(r.text, " "):
						col = len(row) + 1
					default:
						col = len(row)
					}
				}
				for len(row) < col {
					row = append(row, ' ')
				}
				row = append(row, []rune(r.text)...)
			}
			b.WriteString(strings.TrimRight(string(row), " "))
			b.WriteByte('\n')
		}
		b.WriteByte('\f')
	}
}

// maxColumn is the widest layout line, in characters.
const maxColumn = 2000

func endsWithSpace(row []rune) bool { return len(row) > 0 && row[len(row)-1] == ' ' }
