package legal_test

import (
	"os"
	"strings"
	"testing"

	goldenfile "github.com/redline-watch/redline/internal/golden"

	"github.com/redline-watch/redline/internal/corpus"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal"
)

const aiActPage = "ai-act-2024-1689.eurlex-oj.html"

func corpusFile(tb testing.TB, name string) string { return corpus.Path(tb, name) }

func parseCorpus(tb testing.TB) ([]byte, *legal.Document) {
	tb.Helper()
	data, err := os.ReadFile(corpusFile(tb, aiActPage))
	if err != nil {
		tb.Fatalf("read corpus: %v", err)
	}
	d, err := legal.ParseXHTML(data, legal.XHTMLOptions{})
	if err != nil {
		tb.Fatalf("ParseXHTML(%s): %v", aiActPage, err)
	}
	return data, d
}

func TestAIActCorpus(t *testing.T) {
	data, d := parseCorpus(t)
	counts := map[redline.ProvisionKind]int{}
	for _, p := range d.Provisions {
		counts[p.Kind]++
	}
	if counts[redline.ProvRecital] != 180 || counts[redline.ProvArticle] != 113 || counts[redline.ProvAnnex] != 13 {
		t.Errorf("counts: %d recitals, %d articles, %d annexes; want 180, 113, 13", counts[redline.ProvRecital], counts[redline.ProvArticle], counts[redline.ProvAnnex])
	}
	if counts[redline.ProvCitation] != 7 || counts[redline.ProvTitle] != 1 || counts[redline.ProvFinal] != 1 || counts[redline.ProvFootnote] < 58 {
		t.Errorf("counts: %d citations, %d titles, %d finals, %d footnotes", counts[redline.ProvCitation], counts[redline.ProvTitle], counts[redline.ProvFinal], counts[redline.ProvFootnote])
	}
	if d.Kind != redline.DocAct || d.Format != "oj-xhtml" {
		t.Errorf("kind/format = %s/%s", d.Kind, d.Format)
	}
	cases := []struct{ path, parent, text string }{
		{"Article 5(1)", "Article 5", "=The following AI practices shall be prohibited:"},
		{"Article 5(1)(a)", "Article 5(1)", "the placing on the market, the putting into service or the use of an AI system that deploys subliminal techniques"},
		{"Article 5(1)(b)", "Article 5(1)", "the placing on the market, the putting into service or the use of an AI system that exploits"},
		{"Article 5(1)(c)", "Article 5(1)", "the placing on the market, the putting into service or the use of AI systems for the evaluation or classification"},
		{"Article 5(1)(d)", "Article 5(1)", "the placing on the market, the putting into service for this specific purpose, or the use of an AI system for making risk assessments"},
		{"Article 5(1)(e)", "Article 5(1)", "the placing on the market, the putting into service for this specific purpose, or the use of AI systems that create or expand facial recognition databases"},
		{"Article 5(1)(f)", "Article 5(1)", "the placing on the market, the putting into service for this specific purpose, or the use of AI systems to infer emotions"},
		{"Article 5(1)(g)", "Article 5(1)", "the placing on the market, the putting into service for this specific purpose, or the use of biometric categorisation systems"},
		{"Article 5(1)(h)", "Article 5(1)", "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces for the purposes of law enforcement, unless"},
		{"Article 5(1)(h)(i)", "Article 5(1)(h)", "the targeted search for specific victims"},
		{"Article 5(1)(h)(ii)", "Article 5(1)(h)", "the prevention of a specific, substantial and imminent threat"},
		{"Article 5(1)(h)(iii)", "Article 5(1)(h)", "the localisation or identification of a person suspected"},
		{"Article 5(1) subparagraph 2", "Article 5(1)", "Point (h) of the first subparagraph is without prejudice to Article 9 of Regulation (EU) 2016/679"},
		{"Article 5(2)", "Article 5", "The use of ‘real-time’ remote biometric identification systems in publicly accessible spaces"},
		{"Article 5(8)", "Article 5", "=This Article shall not affect the prohibitions that apply where an AI practice infringes other Union law."},
		{"Article 3 point (1)", "Article 3", "‘AI system’ means a machine-based system"},
		{"Article 3 point (61)(a)(iii)", "Article 3 point (61)(a)", "the deployer is established"},
		{"Article 6(3) subparagraph 2(a)", "Article 6(3) subparagraph 2", "the AI system is intended to perform a narrow procedural task;"},
		{"Annex III point 1(a)", "Annex III point 1", "remote biometric identification systems."},
		{"Annex III point 6(a)", "Annex III point 6", "AI systems intended to be used by or on behalf of law enforcement authorities"},
		{"Annex IV point 2(h)", "Annex IV point 2", "cybersecurity measures put in place;"},
		{"Annex VII point 4.2(c)", "Annex VII point 4.2", "the technical documentation referred to in Annex IV."},
		{"Annex VIII Section B point 7", "Annex VIII Section B", "A short summary of the grounds"},
		{"Annex X point 3", "Annex X", "Regulation (EU) 2024/1358"},
		{"Annex XI Section 2 point 1", "Annex XI Section 2", "A detailed description of the evaluation strategies"},
		{"Annex XIII point (g)", "Annex XIII", "=the number of registered end-users."},
		{"recital 38", "", "The use of AI systems for real-time remote biometric identification"},
		{"citation 4", "", "=Having regard to the opinion of the European Economic and Social Committee,"},
		{"title", "", "REGULATION (EU) 2024/1689 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL of 13 June 2024"},
		{"final", "", "This Regulation shall be binding in its entirety"},
		{"Article 108 point (1) subparagraph 2", "Article 108 point (1)", "‘3. Without prejudice to paragraph 2"},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			p := provision(t, d, c.path)
			if parentPath(d, p) != c.parent {
				t.Errorf("parent = %q, want %q", parentPath(d, p), c.parent)
			}
			if exact, ok := strings.CutPrefix(c.text, "="); ok {
				if p.Text != exact {
					t.Errorf("text = %q, want %q", p.Text, exact)
				}
			} else if !strings.HasPrefix(p.Text, c.text) {
				t.Errorf("text = %.150q, want prefix %q", p.Text, c.text)
			}
		})
	}
	checkTree(t, d)

	canon := d.Canonical()
	for _, bad := range []string{"ruxit", "dtconfig", "jquery", "generateTOC", "ISSN 1977-0677", "Whereas:", "HAVE ADOPTED"} {
		if strings.Contains(canon, bad) {
			t.Errorf("canonical text contains %q", bad)
		}
	}
	cellar, err := legal.ParseXHTML(stripWrapper(data), legal.XHTMLOptions{})
	if err != nil {
		t.Fatalf("parse without wrapper: %v", err)
	}
	if cellar.Canonical() != canon {
		t.Errorf("canonical text changes without the EUR-Lex wrapper:\n%s", goldenfile.FirstDiff(cellar.Canonical(), canon))
	}
	// The amending articles 102 to 110 quote other acts; their quotes are
	// modifications, not structure of the AI Act.
	if len(d.Modifications) != 14 {
		t.Errorf("got %d modifications, want 14 (Articles 102-110)", len(d.Modifications))
	}
	for _, m := range d.Modifications {
		if m.Act == "" || m.Act == "Regulation (EU) 2024/1689" {
			t.Errorf("modification %+v names no other act", m)
		}
	}
}

func BenchmarkParseXHTMLAIAct(b *testing.B) {
	data, err := os.ReadFile(corpusFile(b, aiActPage))
	if err != nil {
		b.Fatalf("read corpus: %v", err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := legal.ParseXHTML(data, legal.XHTMLOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
