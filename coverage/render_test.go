package coverage_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	goldenfile "github.com/redline-watch/redline/internal/golden"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/coverage"
)

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

// fixtureReports are the reports of two small drafts: a proposal that bans
// real-time RBI with exceptions and lists predictive policing as
// high-risk, and a final text that bans both outright.
func fixtureReports(t *testing.T) []coverage.Report {
	t.Helper()
	draft := doc(
		n("recital 1", "", "Predictive policing tools that predict crimes deserve scrutiny."),
		banArticle([]node{
			n("Article 5(1)(a)", "", "the use of real-time remote biometric identification in publicly accessible spaces, unless strictly necessary to find missing children;"),
		}),
		n("Annex III", "High-risk AI systems", "",
			n("Annex III point 6", "", "Law enforcement:",
				n("Annex III point 6(a)", "", "AI systems for predicting the occurrence of a criminal offence;"))),
	)
	final := doc(banArticle([]node{
		n("Article 5(1)(a)", "", "the use of real-time remote biometric identification in publicly accessible spaces;"),
		n("Article 5(1)(b)", "", "the use of AI systems for predicting the occurrence of a criminal offence;"),
	}))
	set := defaultSet(t)
	a, b := coverage.Evaluate(set, draft), coverage.Evaluate(set, final)
	a.Document, b.Document = "draft | v1", "final"
	pending := coverage.Evaluate(set, &redline.Document{Kind: redline.DocAmendments, Amendments: []redline.Amendment{{Number: 1}}})
	pending.Document = "amendments"
	return []coverage.Report{a, b, pending}
}

func TestWriteMatrix(t *testing.T) {
	reports := fixtureReports(t)
	for _, tt := range []struct{ format, file string }{
		{coverage.FormatText, "matrix.txt"},
		{coverage.FormatMarkdown, "matrix.md"},
		{coverage.FormatJSON, "matrix.json"},
	} {
		t.Run(tt.format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := coverage.WriteMatrix(&buf, tt.format, reports); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file, buf.Bytes())
		})
	}
}

func TestWriteMatrixJSONShape(t *testing.T) {
	var buf bytes.Buffer
	if err := coverage.WriteMatrix(&buf, coverage.FormatJSON, fixtureReports(t)); err != nil {
		t.Fatal(err)
	}
	var m struct {
		Documents []struct {
			Name    string `json:"name"`
			Demands []struct {
				ID       string `json:"id"`
				Level    string `json:"level"`
				Verdict  string `json:"verdict"`
				Evidence []struct {
					Provision  string   `json:"provision"`
					Quote      string   `json:"quote"`
					Exceptions []string `json:"exceptions"`
				} `json:"evidence"`
			} `json:"demands"`
		} `json:"documents"`
	}
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	d := m.Documents[0].Demands[0]
	if m.Documents[0].Name != "draft | v1" || d.ID != "biometric-mass-surveillance" || d.Level != "prohibited_with_exceptions" ||
		d.Verdict != "partial" || d.Evidence[0].Provision != "Article 5(1)(a)" || len(d.Evidence[0].Exceptions) != 1 {
		t.Errorf("unexpected JSON: %+v", m.Documents[0].Demands[0])
	}
}

func TestWriteMatrixUnknownFormat(t *testing.T) {
	err := coverage.WriteMatrix(&bytes.Buffer{}, "html", nil)
	if err == nil || !strings.Contains(err.Error(), `"html"`) {
		t.Errorf("err = %v, want one naming the format", err)
	}
}

func TestWriteExplanation(t *testing.T) {
	d := doc(
		n("recital 18", "", "Remote biometric identification in publicly accessible spaces is intrusive."),
		banArticle([]node{
			n("Article 5(1)(d)", "", "the use of real-time remote biometric identification systems in publicly accessible spaces for the purpose of law enforcement;"),
		},
			n("Article 5(2)", "", "By way of derogation from paragraph 1, point (d), a judicial authority may authorise the use of such systems in publicly accessible spaces to find a missing child."),
		),
		n("Annex III", "High-risk AI systems", "",
			n("Annex III point 1", "", "Biometrics:",
				n("Annex III point 1(a)", "", "remote biometric identification systems."))),
	)
	ex, err := coverage.Explain(defaultSet(t), "biometric-mass-surveillance", d)
	if err != nil {
		t.Fatal(err)
	}
	ex.Document = "fixture"
	var buf bytes.Buffer
	if err := coverage.WriteExplanation(&buf, ex); err != nil {
		t.Fatal(err)
	}
	golden(t, "explain.txt", buf.Bytes())
}
