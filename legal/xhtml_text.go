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
// braces; modifications, amendments not applied to a base, and dossier
// events follow the tree, one per line.
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
	if d.AmendedFrom == "" {
		// Applied amendments show as AM markers in the tree; listed ones here.
		for _, a := range d.Amendments {
			fmt.Fprintf(bw, "amendment %d %s: %s", a.Number, a.Path, a.Op)
			if a.Text != "" {
				bw.WriteString(": ")
				bw.WriteString(oneLine(a.Text))
			}
			bw.WriteByte('\n')
		}
	}
	for _, e := range d.Events {
		fmt.Fprintf(bw, "event %s", orUndated(e.Date))
		for _, f := range []string{e.Institution, e.Type} {
			if f != "" {
				bw.WriteString(" ")
				bw.WriteString(f)
			}
		}
		if e.Title != "" {
			bw.WriteString(": ")
			bw.WriteString(oneLine(e.Title))
		}
		if len(e.Documents) > 0 {
			fmt.Fprintf(bw, " [%s]", strings.Join(e.Documents, ", "))
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
	if d.Kind == redline.DocRegister {
		s := fmt.Sprintf("register: %d events", len(d.Events))
		if len(d.Events) > 0 {
			s += fmt.Sprintf(" from %s to %s", orUndated(d.Events[0].Date), orUndated(d.Events[len(d.Events)-1].Date))
		}
		return s
	}
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

func orUndated(date string) string {
	if date == "" {
		return "undated"
	}
	return date
}
