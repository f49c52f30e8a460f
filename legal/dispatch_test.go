package legal_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redline-watch/redline/legal/internal/tree"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/internal/corpus"
	"github.com/redline-watch/redline/legal"
	"github.com/redline-watch/redline/legal/pdftext"
)

func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func TestDetect(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want legal.Format
	}{
		{"OJ act", readFile(t, "testdata/oj-act.html"), legal.FormatXHTML},
		{"Commission proposal", readFile(t, "testdata/com-proposal.html"), legal.FormatXHTML},
		{"EP amendments XHTML", readFile(t, "amend/testdata/ep-amendments.xhtml"), legal.FormatAmendments},
		{"EP amendments layout text", readFile(t, "amend/testdata/layout-fixture.txt"), legal.FormatAmendments},
		{"EP API JSON", readFile(t, "register/testdata/ep-mini.json"), legal.FormatRegister},
		{"Cellar RDF", readFile(t, "register/testdata/cellar-mini.rdf"), legal.FormatRegister},
		{"EUR-Lex procedure page", readFile(t, "register/testdata/eurlex-mini.html"), legal.FormatRegister},
		{"PDF", readFile(t, "pdftext/testdata/fixture.pdf"), legal.FormatPDF},
		{"Council text", readFile(t, "plaintext/testdata/council.txt"), legal.FormatText},
		{"PDF named .html", append([]byte("\n %PDF-1.7\n"), 0, 1, 2), legal.FormatPDF},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := legal.Detect(c.data)
			if err != nil || got != c.want {
				t.Errorf("Detect = %q, %v; want %q", got, err, c.want)
			}
		})
	}
	for name, data := range map[string][]byte{"empty": nil, "blank": []byte(" \n\t"), "binary": {0x89, 'P', 'N', 'G', 0, 0, 0}} {
		if _, err := legal.Detect(data); !errors.Is(err, legal.ErrUnknownFormat) {
			t.Errorf("Detect(%s) error = %v, want ErrUnknownFormat", name, err)
		}
	}
}

func TestParseJoinsInputs(t *testing.T) {
	p := &legal.Parser{PDF: pdftext.NewGo(pdftext.GoOptions{})}
	act := readFile(t, "testdata/oj-act.html")
	main, err := p.Parse(context.Background(), legal.Options{}, legal.Input{Name: "act", Data: act})
	if err != nil {
		t.Fatal(err)
	}
	joined, err := p.Parse(context.Background(), legal.Options{},
		legal.Input{Name: "act", Data: act}, legal.Input{Name: "annexes", Data: act})
	if err != nil {
		t.Fatal(err)
	}
	n := len(main.Provisions)
	if len(joined.Provisions) != 2*n {
		t.Fatalf("joined %d provisions, want %d", len(joined.Provisions), 2*n)
	}
	seen := map[string]bool{}
	for i, pr := range joined.Provisions {
		if seen[pr.Path] {
			t.Errorf("path %q repeats in the joined document", pr.Path)
		}
		seen[pr.Path] = true
		if i >= n && main.Provisions[i-n].Parent >= 0 && pr.Parent != main.Provisions[i-n].Parent+n {
			t.Errorf("provision %d (%s): parent %d, want %d", i, pr.Path, pr.Parent, main.Provisions[i-n].Parent+n)
		}
	}
	_, err = p.Parse(context.Background(), legal.Options{}, legal.Input{Name: "notes.txt", Data: []byte("Service unavailable.\nPlease try again later.\n")})
	if !errors.Is(err, legal.ErrNoStructure) || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("text without legal structure: %v, want ErrNoStructure naming the file", err)
	}
	if _, err := p.Parse(context.Background(), legal.Options{}); err == nil {
		t.Error("Parse without input succeeded")
	}
	_, err = p.Parse(context.Background(), legal.Options{}, legal.Input{Name: "broken.pdf", Data: []byte("%PDF-1.4\ngarbage")})
	if err == nil || !strings.Contains(err.Error(), "broken.pdf") {
		t.Errorf("truncated PDF error = %v, want one naming the file", err)
	}
}

func TestParseAppliesAmendmentsToBase(t *testing.T) {
	p := &legal.Parser{}
	base, err := p.Parse(context.Background(), legal.Options{}, legal.Input{Name: "proposal", Data: readFile(t, "testdata/com-proposal.html")})
	if err != nil {
		t.Fatal(err)
	}
	am := legal.Input{Name: "amendments", Data: readFile(t, "amend/testdata/ep-amendments.xhtml")}
	listed, err := p.Parse(context.Background(), legal.Options{}, am)
	if err != nil {
		t.Fatal(err)
	}
	if listed.Kind != redline.DocAmendments || len(listed.Amendments) == 0 || listed.AmendedFrom != "" {
		t.Fatalf("amendments without base: kind %s, %d amendments, amended from %q", listed.Kind, len(listed.Amendments), listed.AmendedFrom)
	}
	amended, err := p.Parse(context.Background(), legal.Options{Base: base}, am)
	if err != nil {
		t.Fatal(err)
	}
	if amended.Kind != redline.DocAmendments || amended.AmendedFrom != base.Title || len(amended.Amendments) != len(listed.Amendments) {
		t.Fatalf("amended: kind %s, amended from %q, %d amendments", amended.Kind, amended.AmendedFrom, len(amended.Amendments))
	}
	// Provisions come from the base, not from the amendments document.
	if len(amended.Provisions) < len(base.Provisions)/2 || amended.Find("recital 1") < 0 {
		t.Errorf("amended text has %d provisions (base %d)", len(amended.Provisions), len(base.Provisions))
	}
}

// extractors returns the PDF backends to test: pure Go always, poppler when installed.
func extractors(t *testing.T) map[string]pdftext.Extractor {
	ex := map[string]pdftext.Extractor{"go": pdftext.NewGo(pdftext.GoOptions{Timeout: 5 * time.Minute})}
	if pop, err := pdftext.NewPoppler(""); err == nil {
		ex["poppler"] = pop
	} else {
		t.Logf("pdftotext not installed (apt-get install poppler-utils); testing the Go backend only: %v", err)
	}
	return ex
}

func count(d *legal.Document, kind redline.ProvisionKind) int {
	n := 0
	for _, p := range d.Provisions {
		if p.Kind == kind {
			n++
		}
	}
	return n
}

func TestProposalPDFWithAnnexes(t *testing.T) {
	proposal := corpus.Read(t, "com-2021-206-proposal.pdf")
	annexes := corpus.Read(t, "com-2021-206-annexes.pdf")
	for name, ex := range extractors(t) {
		t.Run(name, func(t *testing.T) {
			p := &legal.Parser{PDF: ex}
			d, err := p.Parse(context.Background(), legal.Options{},
				legal.Input{Name: "proposal.pdf", Data: proposal}, legal.Input{Name: "annexes.pdf", Data: annexes})
			if err != nil {
				t.Fatal(err)
			}
			if r, a, x := count(d, redline.ProvRecital), count(d, redline.ProvArticle), count(d, redline.ProvAnnex); r != 89 || a != 85 || x != 9 {
				t.Errorf("%d recitals, %d articles, %d annexes; want 89, 85, 9", r, a, x)
			}
			i := d.Find("Article 5(1)(d)")
			if i < 0 || !strings.HasPrefix(d.Provisions[i].Text, "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces for the purpose of law enforcement, unless") {
				t.Errorf("Article 5(1)(d) missing or wrong")
			}
			if d.Find("Annex III point 6(a)") < 0 || d.Format != "pdf" || d.Extractor != ex.Name() {
				t.Errorf("annex point, format %q or extractor %q wrong", d.Format, d.Extractor)
			}
		})
	}
}

func TestParliamentAmendmentsPDF(t *testing.T) {
	if testing.Short() {
		t.Skip("extracts 470 pages of PDF")
	}
	proposal := corpus.Read(t, "com-2021-206-proposal.pdf")
	annexes := corpus.Read(t, "com-2021-206-annexes.pdf")
	ep := corpus.Read(t, "ep-position-p9-ta-2023-0236.pdf")
	for name, ex := range extractors(t) {
		t.Run(name, func(t *testing.T) {
			p := &legal.Parser{PDF: ex}
			ctx := context.Background()
			base, err := p.Parse(ctx, legal.Options{}, legal.Input{Name: "proposal.pdf", Data: proposal}, legal.Input{Name: "annexes.pdf", Data: annexes})
			if err != nil {
				t.Fatal(err)
			}
			d, err := p.Parse(ctx, legal.Options{Base: base}, legal.Input{Name: "ep.pdf", Data: ep})
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Amendments) != 771 {
				t.Errorf("%d amendments, want 771", len(d.Amendments))
			}
			i := d.Find("Article 5(1)(d)")
			if i < 0 {
				t.Fatal("amended Article 5(1)(d) missing")
			}
			if got, want := d.Provisions[i].Text, "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces;"; got != want {
				t.Errorf("amended Article 5(1)(d) = %q, want %q", got, want)
			}
			if d.Find("Article 5(1)(d)(i)") >= 0 {
				t.Error("the exceptions the Parliament deleted (Article 5(1)(d)(i)) are still there")
			}
			// Provisions the amendments do not touch come from the proposal.
			if j, k := d.Find("recital 1"), base.Find("recital 1"); j < 0 || k < 0 {
				t.Error("recital 1 missing")
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/oj-act.html", "amend/testdata/layout-fixture.txt", "register/testdata/ep-mini.json",
		"pdftext/testdata/fixture.pdf", "plaintext/testdata/council.txt"} {
		f.Add(readFile(f, name))
	}
	p := &legal.Parser{PDF: pdftext.NewGo(pdftext.GoOptions{Timeout: 10 * time.Second})}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := p.Parse(context.Background(), legal.Options{}, legal.Input{Name: "fuzz", Data: data})
		if err != nil {
			return
		}
		if err := tree.Check(d); err != nil {
			t.Fatal(err)
		}
	})
}

func TestParseAppliesAmendingActToBase(t *testing.T) {
	p := &legal.Parser{}
	ctx := context.Background()
	base, err := p.Parse(ctx, legal.Options{}, legal.Input{Name: "act", Data: readFile(t, "testdata/oj-act.html")})
	if err != nil {
		t.Fatal(err)
	}
	amending := legal.Input{Name: "omnibus", Data: readFile(t, "testdata/oj-amending.html")}
	d, err := p.Parse(ctx, legal.Options{Base: base}, amending)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != redline.DocAmendingAct || d.AmendedFrom != base.Title || len(d.Modifications) == 0 {
		t.Fatalf("kind %s, amended from %q, %d modifications", d.Kind, d.AmendedFrom, len(d.Modifications))
	}
	i := d.Find("Article 5(1)(ba)")
	if i < 0 || !strings.HasPrefix(d.Provisions[i].Text, "the placing on the market") || d.Provisions[d.Provisions[i].Parent].Path != "Article 5(1)" {
		t.Fatalf("inserted Article 5(1)(ba) missing or misplaced")
	}
	if j := d.Find("Article 5(1)(b)"); j < 0 || j > i {
		t.Errorf("Article 5(1)(ba) not placed after point (b)")
	}
	if k := d.Find("Article 113 subparagraph 2"); k < 0 || !strings.HasPrefix(d.Provisions[k].Text, "It shall apply from 2 August 2026, with the exception") {
		t.Errorf("replaced Article 113 subparagraph 2 = %+v", d.Provisions[k])
	}
	// A new article is rebuilt with its heading, paragraphs and points.
	if k := d.Find("Article 4a"); k < 0 || d.Provisions[k].Heading != "Processing of special categories of personal data for bias detection and correction" ||
		d.Find("Article 4a(1)(b)") < 0 {
		t.Errorf("inserted Article 4a not rebuilt with its structure")
	}
	// Modifications of other acts (Regulation (EU) 2018/1139) are left out.
	if d.Find("Article 17(3)") >= 0 {
		t.Error("a modification of another act was applied")
	}
	// Untouched provisions come from the base.
	if k := d.Find("Article 5(1)(h)"); k < 0 || d.Provisions[k].Text != base.Provisions[base.Find("Article 5(1)(h)")].Text {
		t.Error("Article 5(1)(h) differs from the base")
	}
}
