package amend_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/amend"
)

func TestParseXHTML(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "ep-amendments.xhtml"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := amend.ParseXHTML(data)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Kind != redline.DocAmendments || doc.Format != "ep-amendments-xhtml" {
		t.Errorf("kind %q format %q", doc.Kind, doc.Format)
	}
	if got := strings.Join(doc.Identifiers, " | "); got != "P9_TA(2031)0042 | COM(2030)0123 | C9-0011/2030 | 2030/0077(COD)" {
		t.Errorf("identifiers %s", got)
	}
	if doc.Title != "Example Surveillance Act — Amendments adopted by the European Parliament on 3 March 2031 on the proposal for a regulation on example surveillance rules (COM(2030)0123 – C9-0011/2030 – 2030/0077(COD))" {
		t.Errorf("title %q", doc.Title)
	}
	if i := doc.Find("title"); i < 0 || doc.Provisions[i].Text != doc.Title {
		t.Errorf("no title provision: %+v", doc.Provisions)
	}
	want := []redline.Amendment{
		{Number: 1, Target: "Citation 4 a (new)", Path: "citation 4a", Op: redline.OpInsert,
			Text: "Having regard to the opinion of the European Data Protection Supervisor,"},
		{Number: 2, Target: "Recital 12", Path: "recital 12", Op: redline.OpReplace,
			Original: "This Regulation should also apply to Union institutions acting as a user of an AI system, as laid down in Regulation (EU) 2018/1725.",
			Text:     "This Regulation should also apply to Union institutions acting as a deployer of an AI system."},
		{Number: 3, Target: "Article 5 – paragraph 1 – point d – introductory part", Path: "Article 5(1)(d)", Op: redline.OpReplace,
			Original: "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces for the purpose of law enforcement, unless strictly necessary for one of the following objectives:",
			Text:     "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces;"},
		{Number: 4, Target: "Article 5 – paragraph 1 – point d – point i", Path: "Article 5(1)(d)(i)", Op: redline.OpDelete,
			Original: "the targeted search for specific potential victims of crime, including missing children;"},
		{Number: 5, Target: "Article 7 – paragraph 2 – point h", Path: "Article 7(2)(h)", Op: redline.OpReplace,
			Original: "the extent to which existing Union law provides for effective measures of redress.",
			Text:     "the extent to which existing Union law provides for:\n(i) effective measures of redress in relation to the damage caused by an AI system;\n(ii) effective measures to prevent or substantially minimise those risks."},
		{Number: 6, Target: "Article 4 a (new)", Path: "Article 4a", Op: redline.OpInsert,
			Text: "AI literacy\n1. When implementing this Regulation, the Union and the Member States shall promote measures for the development of AI literacy.\n2. Providers and deployers shall take measures to ensure:\n(a) a sufficient level of AI literacy of their staff;\n(b) training adapted to the context of use."},
		{Number: 7, Target: "Annex III – paragraph 1 – point 1 – point a a (new)", Path: "Annex III point 1(aa)", Op: redline.OpInsert,
			Text: "AI systems intended to be used to make inferences about personal characteristics of natural persons on the basis of biometric data;"},
	}
	if len(doc.Amendments) != len(want) {
		t.Fatalf("%d amendments, want %d: %+v", len(doc.Amendments), len(want), doc.Amendments)
	}
	for i, w := range want {
		if g := doc.Amendments[i]; g != w {
			t.Errorf("amendment %d:\n got  %+v\n want %+v", i+1, g, w)
		}
	}

	// The XHTML amendments apply like the PDF ones.
	got, rep := amend.Apply(baseProposal(), doc.Amendments)
	if rep.Applied != 6 || len(rep.Unplaced) != 1 || rep.Unplaced[0].Number != 5 {
		t.Errorf("report %+v, want 6 applied and amendment 5 (Article 7 is not in the base) unplaced", rep)
	}
	checkTree(t, got)
	assertOrder(t, got, "Article 4a", "Article 4a(1)", "Article 4a(2)", "Article 4a(2)(a)", "Article 4a(2)(b)", "Title II")
	assertOrder(t, got, "Annex III point 1(a)", "Annex III point 1(aa)")
}

func TestParseXHTMLErrors(t *testing.T) {
	const head = `<html><body><p class="oj-ti-grseq-1">Amendment 3</p><p class="oj-ti-grseq-1">Proposal for a regulation</p>`
	const table = `<table><tr><td>Text proposed by the Commission</td><td>Amendment</td></tr><tr><td>old</td><td>new</td></tr></table>`
	tests := []struct{ name, doc, want string }{
		{"no amendments", `<html><body><p>Regulation</p></body></html>`, "no amendment found"},
		{"no table", head + `<p class="oj-ti-grseq-1">Recital 1</p></body></html>`, "amendment 3: no table"},
		{"no target", head + table + `</body></html>`, "amendment 3: no target"},
		{"bad target", head + `<p class="oj-ti-grseq-1">Preamble – indent 2</p>` + table + `</body></html>`, `target "Preamble – indent 2"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := amend.ParseXHTML([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseXHTML error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
