package amend_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/redline-watch/redline/internal/corpus"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/amend"
)

const layoutName = "ep-position-p9-ta-2023-0236.pdftotext-layout.txt"

func readCorpusFile(tb testing.TB, name string) string { return string(corpus.Read(tb, name)) }

func parseCorpus(t *testing.T) *redline.Document {
	t.Helper()
	doc, err := amend.ParseLayout(readCorpusFile(t, layoutName))
	if err != nil {
		t.Fatalf("ParseLayout: %v", err)
	}
	return doc
}

func TestCorpusParseLayout(t *testing.T) {
	doc := parseCorpus(t)
	if doc.Kind != redline.DocAmendments || doc.Format != "ep-amendments-pdf" {
		t.Errorf("kind %q format %q", doc.Kind, doc.Format)
	}
	for _, id := range []string{"P9_TA(2023)0236", "COM(2021)0206", "2021/0106(COD)"} {
		found := false
		for _, x := range doc.Identifiers {
			found = found || x == id
		}
		if !found {
			t.Errorf("identifier %q missing from %q", id, doc.Identifiers)
		}
	}
	if !strings.HasPrefix(doc.Title, "Artificial Intelligence Act — Amendments adopted by the European Parliament on 14 June 2023") || !strings.HasSuffix(doc.Title, "2021/0106(COD))") {
		t.Errorf("title %q", doc.Title)
	}
	if len(doc.Amendments) != 771 {
		t.Fatalf("%d amendments, want 771", len(doc.Amendments))
	}
	ops := map[redline.AmendOp]int{}
	for i, a := range doc.Amendments {
		if a.Number != i+1 {
			t.Fatalf("amendment %d at position %d", a.Number, i+1)
		}
		if a.Target == "" || a.Path == "" {
			t.Errorf("amendment %d: target %q path %q", a.Number, a.Target, a.Path)
		}
		if a.Op != redline.OpDelete && a.Text == "" {
			t.Errorf("amendment %d (%s): no text", a.Number, a.Op)
		}
		if a.Op == redline.OpReplace && a.Original == "" {
			t.Errorf("amendment %d: replacement without the Commission's text", a.Number)
		}
		ops[a.Op]++
	}
	t.Logf("operations: %v", ops)
	if ops[redline.OpDelete] != 45 {
		t.Errorf("%d deletions, want 45 (the right columns reading \"deleted\")", ops[redline.OpDelete])
	}

	tests := []struct {
		number             int
		target, path       string
		op                 redline.AmendOp
		text, originalHead string
	}{
		{220, "Article 5 – paragraph 1 – point d – introductory part", "Article 5(1)(d)", redline.OpReplace,
			"the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces;",
			"the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces for the purpose of law enforcement"},
		{221, "Article 5 – paragraph 1 – point d – point i", "Article 5(1)(d)(i)", redline.OpDelete, "", "the targeted search"},
		{222, "Article 5 – paragraph 1 – point d – point ii", "Article 5(1)(d)(ii)", redline.OpDelete, "", "the prevention of a specific"},
		{223, "Article 5 – paragraph 1 – point d – point iii", "Article 5(1)(d)(iii)", redline.OpDelete, "", "the detection, localisation"},
		{1, "Citation 4 a (new)", "citation 4a", redline.OpInsert, "Having regard to the opinion of the European Central Bank,", ""},
		{4, "Recital 1 a (new)", "recital 1a", redline.OpInsert, "This Regulation should preserve the values of the Union", ""},
		{212, "Article 4", "Article 4", redline.OpDelete, "", "Amendments to Annex I\nThe Commission is empowered"},
		{753, "Annex IV – paragraph 1 – point 2 – point c", "Annex IV point 2(c)", redline.OpDelete, "", "the description of the system architecture"},
		{255, "Article 7 – paragraph 2 – point h –", "Article 7(2)(h)", redline.OpReplace,
			"the extent to which existing Union law provides for:\n(i) effective measures of redress in relation to the damage caused by an AI system, with the exclusion of claims for direct or indirect damages;\n(ii) effective measures to prevent or substantially minimise those risks.",
			"effective measures of redress in relation to the risks"},
	}
	for _, tc := range tests {
		a := doc.Amendments[tc.number-1]
		if a.Target != tc.target || a.Path != tc.path || a.Op != tc.op {
			t.Errorf("amendment %d: %q -> %q, %s; want %q -> %q, %s", tc.number, a.Target, a.Path, a.Op, tc.target, tc.path, tc.op)
		}
		if tc.op != redline.OpDelete && !strings.HasPrefix(a.Text, tc.text) {
			t.Errorf("amendment %d text:\n%q\nwant prefix\n%q", tc.number, a.Text, tc.text)
		}
		if !strings.HasPrefix(a.Original, tc.originalHead) {
			t.Errorf("amendment %d original:\n%q\nwant prefix\n%q", tc.number, a.Original, tc.originalHead)
		}
	}
	if a := doc.Amendments[219]; a.Text != tests[0].text {
		t.Errorf("amendment 220 text %q", a.Text)
	}
	// The new Article 4a: its heading, then paragraphs and points, one per line.
	a := doc.Amendments[212]
	lines := strings.Split(a.Text, "\n")
	if lines[0] != "General principles applicable to all AI systems" || !strings.HasPrefix(lines[1], "1. All operators falling under this Regulation") || !strings.HasPrefix(lines[2], "a) ‘human agency and oversight’") || len(lines) != 10 {
		t.Errorf("amendment 213 lines %q", lines)
	}
	// Footnotes are dropped with their calls: "2002/584/JHA62" in amendment 223.
	if o := doc.Amendments[222].Original; strings.Contains(o, "JHA62") || strings.Contains(o, "European arrest warrant") {
		t.Errorf("amendment 223 keeps its footnote: %q", o)
	}
}

// TestCorpusApply applies real amendments to a hand-made proposal-like base.
func TestCorpusApply(t *testing.T) {
	doc := parseCorpus(t)
	var ams []redline.Amendment
	for _, n := range []int{1, 2, 30, 31, 32, 33, 34, 35, 199, 200, 201, 211, 212, 213, 214, 220, 221, 222, 223, 224, 225, 226, 227, 710, 711, 712} {
		ams = append(ams, doc.Amendments[n-1])
	}
	base := baseProposal()
	orig := cloneDoc(base)
	got, rep := amend.Apply(base, ams)
	if len(rep.Unplaced) != 0 || rep.Applied != len(ams) {
		t.Fatalf("report %+v", rep)
	}
	if !reflect.DeepEqual(base, orig) {
		t.Fatal("Apply modified its base")
	}
	checkTree(t, got)

	d := provision(t, got, "Article 5(1)(d)")
	if d.Text != "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces;" {
		t.Errorf("Article 5(1)(d) = %q", d.Text)
	}
	if kids := got.Children(got.Find("Article 5(1)(d)")); len(kids) != 0 {
		t.Errorf("Article 5(1)(d) keeps children %v", kids)
	}
	if p := provision(t, got, "Article 5(1)(da)"); !strings.Contains(p.Text, "risk assessments of natural persons") {
		t.Errorf("Article 5(1)(da) = %q", p.Text)
	}
	assertOrder(t, got, "Article 5(1)(c)", "Article 5(1)(d)", "Article 5(1)(da)", "Article 5(1)(db)", "Article 5(1)(dc)", "Article 5(1)(dd)", "Article 5(2)")
	assertOrder(t, got, "citation 4", "citation 4a", "citation 4b", "recital 11")
	assertOrder(t, got, "recital 11", "recital 12", "recital 12a", "recital 12b", "recital 12c", "recital 13")
	assertOrder(t, got, "Article 3 point (44)", "Article 3 point (44a)", "Article 3 point (44b)", "Article 3 point (44n)", "Article 4a")
	if got.Find("Article 4") >= 0 {
		t.Error("Article 4 not deleted")
	}
	assertOrder(t, got, "Article 3", "Article 4a", "Article 4a(1)", "Article 4a(1)(a)", "Article 4a(1)(f)", "Article 4a(2)", "Article 4a(3)", "Article 4b", "Article 4b(4)", "Title II")
	if h := provision(t, got, "Article 4b").Heading; h != "AI literacy" {
		t.Errorf("Article 4b heading %q", h)
	}
	assertOrder(t, got, "Annex III point 1", "Annex III point 1(a)", "Annex III point 1(aa)")
	if p := provision(t, got, "Annex III point 1"); !reflect.DeepEqual(p.Markers, []string{"AM710"}) {
		t.Errorf("Annex III point 1 = %+v", p)
	}
	for _, p := range []string{"title", "citation 1", "citation 4", "Title I", "Article 5(1)", "Article 5(1)(a)", "Article 5(1)(c)", "Article 5(2)", "Annex III subparagraph 1"} {
		sameAsBase(t, base, got, p)
	}
}
