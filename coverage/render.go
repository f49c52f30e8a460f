package coverage

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Formats WriteMatrix accepts.
const (
	FormatText     = "text"
	FormatJSON     = "json"
	FormatMarkdown = "md"
)

// WriteMatrix writes the demands × documents matrix of reports: an aligned
// table ("text"), a Markdown table ("md"), or JSON ("json") shaped
// {"documents": [{"name": ..., "demands": [{"id", "level", "verdict",
// "evidence"}]}]}. Demands are rows in the order they first appear.
func WriteMatrix(w io.Writer, format string, reports []Report) error {
	switch format {
	case FormatText:
		return writeText(w, reports)
	case FormatMarkdown:
		return writeMarkdown(w, reports)
	case FormatJSON:
		return writeJSON(w, reports)
	}
	return fmt.Errorf("write coverage matrix: unknown format %q (want text, md or json)", format)
}

// matrix is the reports arranged by demand id.
type matrix struct {
	ids   []string
	cells []map[string]Result // per report
}

func newMatrix(reports []Report) matrix {
	m := matrix{cells: make([]map[string]Result, len(reports))}
	seen := map[string]bool{}
	for i, r := range reports {
		m.cells[i] = make(map[string]Result, len(r.Results))
		for _, res := range r.Results {
			m.cells[i][res.DemandID] = res
			if !seen[res.DemandID] {
				seen[res.DemandID] = true
				m.ids = append(m.ids, res.DemandID)
			}
		}
	}
	return m
}

// cell is the short form of a result: level, verdict and the first
// provision of its evidence.
func cell(res Result, ok bool) string {
	if !ok {
		return "-"
	}
	s := string(res.Level) + " (" + string(res.Verdict) + ")"
	if len(res.Evidence) > 0 {
		s += " " + res.Evidence[0].Provision
		if n := len(res.Evidence) - 1 + res.More; n > 0 {
			s += fmt.Sprintf(" +%d", n)
		}
	}
	return s
}

func writeText(w io.Writer, reports []Report) error {
	m := newMatrix(reports)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	head := []string{"DEMAND"}
	for _, r := range reports {
		head = append(head, r.Document)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, id := range m.ids {
		row := []string{id}
		for i := range reports {
			res, ok := m.cells[i][id]
			row = append(row, cell(res, ok))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write coverage matrix: %w", err)
	}
	for _, r := range reports {
		if r.Note != "" {
			if _, err := fmt.Fprintf(w, "note (%s): %s\n", r.Document, r.Note); err != nil {
				return fmt.Errorf("write coverage matrix: %w", err)
			}
		}
	}
	return nil
}

// mdEscape keeps a value inside its Markdown table cell.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func writeMarkdown(w io.Writer, reports []Report) error {
	m := newMatrix(reports)
	var b strings.Builder
	b.WriteString("| Demand |")
	for _, r := range reports {
		b.WriteString(" " + mdEscape(r.Document) + " |")
	}
	b.WriteString("\n|---|")
	b.WriteString(strings.Repeat("---|", len(reports)))
	b.WriteByte('\n')
	for _, id := range m.ids {
		b.WriteString("| " + mdEscape(id) + " |")
		for i := range reports {
			res, ok := m.cells[i][id]
			if !ok {
				b.WriteString(" - |")
				continue
			}
			fmt.Fprintf(&b, " `%s` (%s)", res.Level, res.Verdict)
			if len(res.Evidence) > 0 {
				paths := make([]string, len(res.Evidence))
				for k, e := range res.Evidence {
					paths[k] = e.Provision
				}
				b.WriteString("<br>" + mdEscape(strings.Join(paths, ", ")))
				if res.More > 0 {
					fmt.Fprintf(&b, " and %d more", res.More)
				}
			}
			b.WriteString(" |")
		}
		b.WriteByte('\n')
	}
	for _, r := range reports {
		if r.Note != "" {
			fmt.Fprintf(&b, "\n> Note (%s): %s\n", mdEscape(r.Document), r.Note)
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write coverage matrix: %w", err)
	}
	return nil
}

// jsonMatrix is the JSON shape of WriteMatrix.
type jsonMatrix struct {
	Documents []jsonDocument `json:"documents"`
}

type jsonDocument struct {
	Name    string   `json:"name"`
	Note    string   `json:"note,omitempty"`
	Demands []Result `json:"demands"`
}

func writeJSON(w io.Writer, reports []Report) error {
	out := jsonMatrix{Documents: make([]jsonDocument, len(reports))}
	for i, r := range reports {
		res := r.Results
		if res == nil {
			res = []Result{}
		}
		out.Documents[i] = jsonDocument{Name: r.Document, Note: r.Note, Demands: res}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write coverage matrix: %w", err)
	}
	return nil
}

// WriteExplanation writes, as text, why a demand got its level in a
// document: every matching provision with its level, rule, reason, quote
// and carve-outs, then the near misses with the groups they lack.
func WriteExplanation(w io.Writer, e Explanation) error {
	var b strings.Builder
	fmt.Fprintf(&b, "demand:   %s (%s)\n", e.Demand.ID, e.Demand.Title)
	fmt.Fprintf(&b, "ask:      %s\n", e.Demand.Ask)
	fmt.Fprintf(&b, "letter:   %q\n", e.Demand.Quote)
	fmt.Fprintf(&b, "document: %s\n", e.Document)
	fmt.Fprintf(&b, "level:    %s (%s)\n", e.Level, e.Verdict)
	if e.Note != "" {
		fmt.Fprintf(&b, "note:     %s\n", e.Note)
	}
	fmt.Fprintf(&b, "\nmatches (%d):\n", len(e.Matches))
	for _, m := range e.Matches {
		fmt.Fprintf(&b, "  %s: %s\n", m.Provision, m.Level)
		fmt.Fprintf(&b, "    rule:      %s\n", m.Rule)
		fmt.Fprintf(&b, "    why:       %s\n", m.Reason)
		fmt.Fprintf(&b, "    quote:     %q\n", m.Quote)
		for _, x := range m.Exceptions {
			fmt.Fprintf(&b, "    carve-out: %q\n", x)
		}
	}
	if len(e.NearMisses) > 0 {
		fmt.Fprintf(&b, "\nnear misses (%d):\n", len(e.NearMisses))
		for _, m := range e.NearMisses {
			fmt.Fprintf(&b, "  %s\n", m.Provision)
			fmt.Fprintf(&b, "    rule:      %s\n", m.Rule)
			for _, g := range m.Missing {
				fmt.Fprintf(&b, "    missing:   one of %s\n", g)
			}
			fmt.Fprintf(&b, "    quote:     %q\n", m.Quote)
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write explanation of %s: %w", e.Demand.ID, err)
	}
	return nil
}
