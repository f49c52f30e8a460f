package legal

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/redline-watch/redline"
)

// WriteText writes the tree as text: one provision per line, indented two
// spaces per depth, path first, then heading and text (used by `redline
// parse -format text`). Headings are shown in square brackets, markers in
// braces, and modifications follow the tree, one per line.
func WriteText(w io.Writer, d *Document) error {
	bw := bufio.NewWriter(w)
	for _, p := range d.Provisions {
		bw.WriteString(strings.Repeat("  ", p.Depth))
		bw.WriteString(p.Path)
		if p.Heading != "" {
			bw.WriteString(" [")
			bw.WriteString(oneLine(p.Heading))
			bw.WriteByte(']')
		}
		if len(p.Markers) > 0 {
			bw.WriteString(" {")
			bw.WriteString(strings.Join(p.Markers, " "))
			bw.WriteByte('}')
		}
		if p.Text != "" {
			bw.WriteString(": ")
			bw.WriteString(oneLine(p.Text))
		}
		bw.WriteByte('\n')
	}
	for _, m := range d.Modifications {
		fmt.Fprintf(bw, "modification %s: %s %s %s", m.Point, m.Op, m.Act, m.Path)
		if m.Text != "" {
			bw.WriteString(": ")
			bw.WriteString(oneLine(m.Text))
		}
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write document text: %w", err)
	}
	return nil
}

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// Summary returns a one-line count summary, e.g. "act: 180 recitals, 113
// articles, 13 annexes, 2871 provisions".
func Summary(d *Document) string {
	counts := map[redline.ProvisionKind]int{}
	for _, p := range d.Provisions {
		counts[p.Kind]++
	}
	s := fmt.Sprintf("%s: %d recitals, %d articles, %d annexes", d.Kind,
		counts[redline.ProvRecital], counts[redline.ProvArticle], counts[redline.ProvAnnex])
	if n := len(d.Modifications); n > 0 {
		s += fmt.Sprintf(", %d modifications", n)
	}
	if n := len(d.Amendments); n > 0 {
		s += fmt.Sprintf(", %d amendments", n)
	}
	return s + fmt.Sprintf(", %d provisions", len(d.Provisions))
}
