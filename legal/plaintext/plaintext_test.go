package plaintext_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/redline-watch/redline/legal/internal/tree"

	goldenfile "github.com/redline-watch/redline/internal/golden"

	"github.com/redline-watch/redline/internal/corpus"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/pdftext"
	"github.com/redline-watch/redline/legal/plaintext"
)

func corpusPath(t testing.TB, name string) string { return corpus.Path(t, name) }

func read(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// source is one way to get the text of a corpus PDF.
type source struct {
	name string
	text func(t *testing.T) string
}

// sources returns the stored pdftotext output of a corpus PDF and the text
// of the PDF itself through each extractor backend.
func sources(stem string) []source {
	viaPDF := func(e func(t *testing.T) pdftext.Extractor) func(t *testing.T) string {
		return func(t *testing.T) string {
			pdf, err := os.ReadFile(corpusPath(t, stem+".pdf"))
			if err != nil {
				t.Fatal(err)
			}
			s, err := e(t).Text(context.Background(), pdf, pdftext.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
	}
	return []source{
		{"stored pdftotext text", func(t *testing.T) string { return read(t, corpusPath(t, stem+".pdftotext.txt")) }},
		{"pdftotext backend", viaPDF(func(t *testing.T) pdftext.Extractor {
			p, err := pdftext.NewPoppler("")
			if err != nil {
				t.Skipf("pdftotext not installed: %v", err)
			}
			return p
		})},
		{"go backend", viaPDF(func(*testing.T) pdftext.Extractor { return pdftext.NewGo(pdftext.GoOptions{}) })},
	}
}

func parse(t testing.TB, text string) *redline.Document {
	t.Helper()
	doc, err := plaintext.Parse(text, plaintext.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkTree(t, doc)
	return doc
}

// checkTree checks the invariants every parsed document keeps: unique
// paths, parents before children, consistent depths, labels never repeated
// at the start of the text.
func checkTree(t testing.TB, doc *redline.Document) {
	t.Helper()
	if err := tree.Check(doc); err != nil {
		t.Error(err)
	}
	for _, p := range doc.Provisions {
		if p.Label != "" && p.Kind == redline.ProvPoint && (strings.HasPrefix(p.Text, "("+p.Label+") ") || strings.HasPrefix(p.Text, p.Label+". ")) {
			t.Errorf("%s: label repeated in text %q", p.Path, p.Text)
		}
	}
}

func count(doc *redline.Document, kind redline.ProvisionKind) int {
	n := 0
	for _, p := range doc.Provisions {
		if p.Kind == kind {
			n++
		}
	}
	return n
}

func prov(t testing.TB, doc *redline.Document, path string) redline.Provision {
	t.Helper()
	i := doc.Find(path)
	if i < 0 {
		t.Fatalf("no provision %q", path)
	}
	return doc.Provisions[i]
}

func parentPath(doc *redline.Document, path string) string {
	i := doc.Find(path)
	if i < 0 || doc.Provisions[i].Parent < 0 {
		return ""
	}
	return doc.Provisions[doc.Provisions[i].Parent].Path
}

func TestCorpusProposal(t *testing.T) {
	for _, src := range sources("com-2021-206-proposal") {
		t.Run(src.name, func(t *testing.T) {
			doc := parse(t, src.text(t))
			if n := count(doc, redline.ProvRecital); n != 89 {
				t.Errorf("%d recitals, want 89", n)
			}
			if n := count(doc, redline.ProvArticle); n != 85 {
				t.Errorf("%d articles, want 85", n)
			}
			if n := count(doc, redline.ProvCitation); n != 6 {
				t.Errorf("%d citations, want 6", n)
			}
			if doc.Kind != redline.DocProposal {
				t.Errorf("kind %s, want proposal", doc.Kind)
			}
			for _, id := range []string{"COM(2021) 206 final", "2021/0106(COD)"} {
				if !contains(doc.Identifiers, id) {
					t.Errorf("identifiers %q lack %q", doc.Identifiers, id)
				}
			}
			if want := "Proposal for a REGULATION OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL LAYING DOWN HARMONISED RULES ON ARTIFICIAL INTELLIGENCE (ARTIFICIAL INTELLIGENCE ACT) AND AMENDING CERTAIN UNION LEGISLATIVE ACTS"; doc.Title != want {
				t.Errorf("title %q", doc.Title)
			}
			if got := prov(t, doc, "Article 5(1)").Text; got != "The following artificial intelligence practices shall be prohibited:" {
				t.Errorf("Article 5(1) = %q", got)
			}
			d := prov(t, doc, "Article 5(1)(d)")
			if !strings.HasPrefix(d.Text, "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces for the purpose of law enforcement, unless") {
				t.Errorf("Article 5(1)(d) = %q", d.Text)
			}
			for _, path := range []string{"Article 5(1)(d)(i)", "Article 5(1)(d)(ii)", "Article 5(1)(d)(iii)"} {
				if got := parentPath(doc, path); got != "Article 5(1)(d)" {
					t.Errorf("%s: parent %q", path, got)
				}
			}
			// pdftotext prints "(d)" before the sub-points of (c): they must
			// still be (c)'s.
			if got := prov(t, doc, "Article 5(1)(c)(ii)").Text; !strings.HasSuffix(got, "disproportionate to their social behaviour or its gravity;") {
				t.Errorf("Article 5(1)(c)(ii) = %q", got)
			}
			if got := prov(t, doc, "Article 5(1)(d)(iii)").Text; !strings.HasPrefix(got, "the detection, localisation, identification or prosecution of a perpetrator") {
				t.Errorf("Article 5(1)(d)(iii) = %q", got)
			}
			for _, path := range []string{"Article 5(2)", "Article 5(3)", "Article 5(4)"} {
				if got := parentPath(doc, path); got != "Article 5" {
					t.Errorf("%s: parent %q", path, got)
				}
			}
			if got := prov(t, doc, "Article 5(2) subparagraph 2").Text; !strings.HasPrefix(got, "In addition, the use of ‘real-time’") {
				t.Errorf("Article 5(2) subparagraph 2 = %q", got)
			}
			if got := parentPath(doc, "Article 5"); got != "Title II" {
				t.Errorf("Article 5: parent %q, want Title II", got)
			}
			if got := prov(t, doc, "Title III Chapter 1").Heading; got != "CLASSIFICATION OF AI SYSTEMS AS HIGH-RISK" {
				t.Errorf("Title III Chapter 1 heading %q", got)
			}
			if got := prov(t, doc, "Article 6").Heading; got != "Classification rules for high-risk AI systems" {
				t.Errorf("Article 6 heading %q", got)
			}
			// Definitions are points directly under the article; the
			// proposal numbers the second one "(1)" again.
			if got := prov(t, doc, "Article 3 point (1) [2]").Text; !strings.HasPrefix(got, "‘provider’ means") {
				t.Errorf("Article 3 point (1) [2] = %q", got)
			}
			if got := prov(t, doc, "recital 1").Text; !strings.HasPrefix(got, "The purpose of this Regulation is to improve") || !strings.HasSuffix(got, "explicitly authorised by this Regulation.") {
				t.Errorf("recital 1 = %q", got)
			}
			// A recital broken by a page with footnotes reads on, without
			// the footnotes or their call marks.
			if got := prov(t, doc, "recital 2").Text; !strings.Contains(got, "concerning restrictions of the use of AI systems") {
				t.Errorf("recital 2 = %q", got)
			}
			if got := prov(t, doc, "citation 4").Text; got != "Having regard to the opinion of the European Economic and Social Committee," {
				t.Errorf("citation 4 = %q (footnote call not removed?)", got)
			}
			if got := prov(t, doc, "footnote 31").Text; got != "OJ C [...], [...], p. [...]." {
				t.Errorf("footnote 31 = %q", got)
			}
			if got := prov(t, doc, "final").Text; !strings.Contains(got, "Done at Brussels") {
				t.Errorf("final = %q", got)
			}
			if i := doc.Find("memorandum 1"); i < 0 || doc.Provisions[i].Heading != "1.1. Reasons for and objectives of the proposal" {
				t.Errorf("memorandum 1 missing or with the wrong heading")
			}
			for _, p := range doc.Provisions {
				if strings.Contains(p.Text, " EN EN") || strings.HasSuffix(p.Text, " EN") {
					t.Errorf("%s: running footer left in text: %q", p.Path, p.Text)
				}
			}
		})
	}
}

func TestCorpusAnnexes(t *testing.T) {
	for _, src := range sources("com-2021-206-annexes") {
		t.Run(src.name, func(t *testing.T) {
			doc := parse(t, src.text(t))
			if n := count(doc, redline.ProvAnnex); n != 9 {
				t.Errorf("%d annexes, want 9", n)
			}
			if n := count(doc, redline.ProvArticle); n != 0 {
				t.Errorf("%d articles in an annex-only text", n)
			}
			if got := prov(t, doc, "Annex III").Heading; got != "HIGH-RISK AI SYSTEMS REFERRED TO IN ARTICLE 6(2)" {
				t.Errorf("Annex III heading %q", got)
			}
			// pdftotext prints the labels of Annex III in a column of their
			// own, with the texts of points 1(a) and 2(a) after "6.".
			for path, want := range map[string]string{
				"Annex III point 1":    "Biometric identification and categorisation of natural persons:",
				"Annex III point 1(a)": "AI systems intended to be used for the ‘real-time’ and ‘post’ remote biometric identification of natural persons;",
				"Annex III point 2(a)": "AI systems intended to be used as safety components in the management and operation of road traffic and the supply of water, gas, heating and electricity.",
				"Annex III point 6":    "Law enforcement:",
				"Annex III point 6(a)": "AI systems intended to be used by law enforcement authorities for making individual risk assessments of natural persons in order to assess the risk of a natural person for offending or reoffending or the risk for potential victims of criminal offences;",
				"Annex III point 6(c)": "AI systems intended to be used by law enforcement authorities to detect deep fakes as referred to in article 52(3);",
				"Annex III point 8(a)": "AI systems intended to assist a judicial authority in researching and interpreting facts and the law and in applying the law to a concrete set of facts.",
			} {
				if got := prov(t, doc, path).Text; got != want {
					t.Errorf("%s = %q, want %q", path, got, want)
				}
			}
			if got := prov(t, doc, "Annex II Section A").Heading; got != "List of Union harmonisation legislation based on the New Legislative Framework" {
				t.Errorf("Annex II Section A heading %q", got)
			}
			if got := parentPath(doc, "Annex VII point 4.2(c)"); got != "Annex VII point 4.2" {
				t.Errorf("Annex VII point 4.2(c): parent %q", got)
			}
			if !contains(doc.Identifiers, "COM(2021) 206 final") {
				t.Errorf("identifiers %q", doc.Identifiers)
			}
		})
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestCouncilGolden parses a Council-style text of our own making: a cover
// note, the act in an "ANNEX", a running header line on every page
// ("14954/22 RB/ek TREE.2.B 3 EN" and "LIMITE"), a footnote, labels printed
// apart from their text and an orphan label at a page break.
func TestCouncilGolden(t *testing.T) {
	doc := parse(t, read(t, "testdata/council.txt"))
	got, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	goldenfile.Check(t, "testdata/council.golden.json", got)
	// The points the golden file must show, spelled out.
	if doc.Kind != redline.DocCouncil || !contains(doc.Identifiers, "ST 14954/22") || !contains(doc.Identifiers, "2021/0106(COD)") {
		t.Errorf("kind %s, identifiers %q", doc.Kind, doc.Identifiers)
	}
	if got := parentPath(doc, "Article 5(1)(b)(ii)"); got != "Article 5(1)(b)" {
		t.Errorf("orphan label: Article 5(1)(b)(ii) under %q", got)
	}
	if got := prov(t, doc, "Article 5(1)(c)").Text; !strings.HasPrefix(got, "the use of ‘real-time’ remote biometric identification systems") {
		t.Errorf("orphan label: Article 5(1)(c) = %q", got)
	}
	if got := prov(t, doc, "recital 2a").Text; strings.Contains(got, "Council1") || !strings.HasSuffix(got, "of the Council.") {
		t.Errorf("footnote call left in recital 2a: %q", got)
	}
	for _, p := range doc.Provisions {
		if strings.Contains(p.Text, "LIMITE") || strings.Contains(p.Text, "RB/ek") {
			t.Errorf("%s: running header left in text: %q", p.Path, p.Text)
		}
	}
}

// TestCouncilLayoutWithoutFormFeeds parses testdata/pe-cons-noff.txt, a few
// pages modelled on the pdftotext -layout text of the Council's PE-CONS
// 24/24 (the AI Act as agreed for signature, 14 May 2024) as one public
// repository stores it: without form feeds, with the running footer
// "PE-CONS 24/24 AD/DOS/di N" / "TREE.2.B EN", "ANNEX III" in the footer of
// annex pages, chapter and annex titles in mixed case, and text between two
// points of Annex III. The same text with the form feeds that pdftotext
// prints after each footer must give the same document.
func TestCouncilLayoutWithoutFormFeeds(t *testing.T) {
	stored := read(t, "testdata/pe-cons-noff.txt")
	var paged strings.Builder
	for _, l := range strings.SplitAfter(stored, "\n") {
		paged.WriteString(l)
		if strings.Contains(l, "TREE.2.B") && strings.HasSuffix(strings.TrimSpace(l), "EN") {
			paged.WriteString("\f")
		}
	}
	for _, in := range []struct{ name, text string }{{"stored without form feeds", stored}, {"with form feeds", paged.String()}} {
		t.Run(in.name, func(t *testing.T) {
			doc := parse(t, in.text)
			checkTree(t, doc)
			if doc.Kind != redline.DocAct {
				t.Errorf("kind = %q, want act (the enacting formula names the Council, the cover is not the Council's)", doc.Kind)
			}
			if !strings.HasPrefix(doc.Title, "REGULATION (EU) 2024/... OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL of ... laying down") {
				t.Errorf("title = %q", doc.Title)
			}
			for _, id := range []string{"2021/0106(COD)", "PE-CONS 24/24"} {
				if !contains(doc.Identifiers, id) {
					t.Errorf("identifiers %q lack %q", doc.Identifiers, id)
				}
			}
			want := map[string]string{
				"citation 2":                          "Having regard to the opinion of the European Central Bank,",
				"recital 2":                           "AI systems can be easily deployed in a large variety of sectors of the economy.",
				"Article 5(1)(b)":                     "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces for the purposes of law enforcement.",
				"Annex III point 1(a) subparagraph 2": "This shall not include AI systems intended to be used for biometric verification;",
				"Annex III point 1(b)":                "AI systems intended to be used for emotion recognition.",
				"Annex III point 2":                   "Critical infrastructure: AI systems intended to be used as safety components in the management and operation of critical digital infrastructure.",
				"Annex III point 3":                   "Education and vocational training.",
				"footnote 1":                          "OJ C 115, 11.3.2022, p. 5.",
			}
			for path, text := range want {
				if got := prov(t, doc, path).Text; got != text {
					t.Errorf("%s = %q, want %q", path, got, text)
				}
			}
			for path, heading := range map[string]string{"Chapter II": "Prohibited AI Practices", "Annex III": "High-risk AI systems referred to in Article 6(2)"} {
				if got := prov(t, doc, path).Heading; got != heading {
					t.Errorf("%s heading = %q, want %q", path, got, heading)
				}
			}
			for _, p := range doc.Provisions {
				if strings.Contains(p.Text, "TREE.2.B") || strings.Contains(p.Text, "PE-CONS") || p.Kind == redline.ProvMemorandum || p.Kind == redline.ProvSubparagraph && p.Parent >= 0 && doc.Provisions[p.Parent].Kind == redline.ProvDivision {
					t.Errorf("page furniture or a lost heading in %s: %q", p.Path, p.Text)
				}
			}
			if got, want := count(doc, redline.ProvRecital)+count(doc, redline.ProvArticle)+count(doc, redline.ProvAnnex), 4; got != want {
				t.Errorf("recitals+articles+annexes = %d, want %d; got %s", got, want, paths(doc))
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", " \n\f \n"} {
		if _, err := plaintext.Parse(in, plaintext.Options{}); !errors.Is(err, plaintext.ErrNoText) {
			t.Errorf("Parse(%q): error %v, want ErrNoText", in, err)
		}
	}
}

func TestKindHint(t *testing.T) {
	doc, err := plaintext.Parse("Article 1\nSubject matter\nThis Regulation lays down rules.\n", plaintext.Options{Kind: redline.DocConsolidated})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Kind != redline.DocConsolidated {
		t.Errorf("kind %s, want the hint", doc.Kind)
	}
	if doc.Format != plaintext.Format {
		t.Errorf("format %q", doc.Format)
	}
}

// TestStructure parses small texts that each exercise one rule.
func TestStructure(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want map[string]string // path -> text ("" = exists, any text)
		not  []string          // paths that must not exist
	}{
		{
			name: "label on its own line or on the line of its text",
			in:   "Article 2\nScope\n1.\n\nThis Regulation applies to:\n(a)\n\nproviders of AI systems;\n(b) users of AI systems.\n2. It shall not apply to the military.\n",
			want: map[string]string{
				"Article 2(1)":    "This Regulation applies to:",
				"Article 2(1)(a)": "providers of AI systems;",
				"Article 2(1)(b)": "users of AI systems.",
				"Article 2(2)":    "It shall not apply to the military.",
			},
		},
		{
			name: "labels ahead of their texts",
			in:   "Article 6\nRules\n1.\n\n2.\n\nAn AI system is high-risk where:\n(a)\n\nit is a safety component;\n\n(b)\n\nit needs a third-party assessment.\n\nSystems listed in Annex III are also high-risk.\n",
			want: map[string]string{
				"Article 6(1)":    "An AI system is high-risk where:",
				"Article 6(1)(b)": "it needs a third-party assessment.",
				"Article 6(2)":    "Systems listed in Annex III are also high-risk.",
			},
		},
		{
			name: "roman i after a chapeau, letter i after a point",
			in: "Article 7\nCriteria\n1. The Commission shall consider:\n(h) the extent to which Union law provides for:\n(i) measures of redress;\n(ii) measures to prevent risks.\n" +
				"2. It shall list:\n(a) one;\n(b) two;\n(c) three;\n(d) four;\n(e) five;\n(f) six;\n(g) seven;\n(h) eight;\n(i) nine.\n",
			want: map[string]string{
				"Article 7(1)(h)(i)":  "measures of redress;",
				"Article 7(1)(h)(ii)": "measures to prevent risks.",
				"Article 7(2)(i)":     "nine.",
			},
			not: []string{"Article 7(1)(i)", "Article 7(2)(h)(i)"},
		},
		{
			name: "cross-references never start structure",
			in:   "Article 9\nRisk management\n1. The system referred to in\nArticle 5\nof this Regulation and the requirements laid down in Article\n33.\nshall apply to points\n(a) and (b) of Annex III.\n",
			want: map[string]string{
				"Article 9(1)": "The system referred to in Article 5 of this Regulation and the requirements laid down in Article 33. shall apply to points (a) and (b) of Annex III.",
			},
			not: []string{"Article 5", "Article 9(33)", "Article 9(1)(a)"},
		},
		{
			name: "quoted provisions are text",
			in:   "Article 78\nAmendment to Directive 2014/90/EU\nIn Article 8, the following paragraph is added:\n“4. For AI systems, the Commission shall take into account\nArticle 5\n(a) the requirements.”\nArticle 79\nEntry into force\nThis Regulation enters into force.\n",
			want: map[string]string{
				"Article 78 subparagraph 2": "“4. For AI systems, the Commission shall take into account Article 5 (a) the requirements.”",
				"Article 79":                "This Regulation enters into force.",
			},
			not: []string{"Article 78(4)", "Article 5", "Article 78 point (a)"},
		},
		{
			// Modelled on Article 81 of COM(2021) 206: every quotation belongs to
			// the amending point that announces it, the last one included.
			name: "quoted wording belongs to the point that announces it",
			in:   "Article 81\nAmendment to Regulation (EU) 2018/1139\nRegulation (EU) 2018/1139 is amended as follows:\n(1) In Article 17, the following paragraph is added:\n“3. The requirements shall be taken into account.”\n(2) In Article 19, the following paragraph is added:\n“4. The requirements shall be taken into account.”\n",
			want: map[string]string{
				"Article 81 point (1) subparagraph 2": "“3. The requirements shall be taken into account.”",
				"Article 81 point (2) subparagraph 2": "“4. The requirements shall be taken into account.”",
			},
			not: []string{"Article 81 subparagraph 2"},
		},
		{
			name: "definitions, duplicate numbers and text after a list",
			in:   "Article 3\nDefinitions\nFor the purpose of this Regulation:\n(1) ‘AI system’ means software;\n(1) ‘provider’ means a person;\n(3) ‘user’ means a person using it.\nThese definitions apply to Annex III.\n",
			want: map[string]string{
				"Article 3":                "For the purpose of this Regulation:",
				"Article 3 point (1)":      "‘AI system’ means software;",
				"Article 3 point (1) [2]":  "‘provider’ means a person;",
				"Article 3 point (3)":      "‘user’ means a person using it.",
				"Article 3 subparagraph 2": "These definitions apply to Annex III.",
			},
		},
		{
			name: "subparagraph of a paragraph after its points",
			in:   "Article 5\n1. The following shall be prohibited:\n(a) one practice;\n(b) another practice.\nPoint (b) is without prejudice to Article 9.\n2. Member States may authorise it.\n",
			want: map[string]string{
				"Article 5(1) subparagraph 2": "Point (b) is without prejudice to Article 9.",
				"Article 5(2)":                "Member States may authorise it.",
			},
		},
		{
			name: "divisions nest and article paths ignore them",
			in:   "TITLE III\nHIGH-RISK AI SYSTEMS\nCHAPTER 1\nCLASSIFICATION\nSECTION 2\nRULES\nArticle 6\nScope\nText.\nCHAPTER 2\nREQUIREMENTS\nArticle 8\nCompliance\nText.\n",
			want: map[string]string{
				"Title III":                     "",
				"Title III Chapter 1 Section 2": "",
				"Title III Chapter 2":           "",
				"Article 6":                     "Text.",
				"Article 8":                     "Text.",
			},
		},
		{
			name: "annex with parts, points and text",
			in:   "ANNEX VIII\nINFORMATION TO BE SUBMITTED\nSection A – Information from providers\nThe following information shall be provided:\n1. the name of the provider;\n2. the trade name:\n(a) the version;\n(b) the date.\nSection B. Information from users\n1. the name of the user.\n",
			want: map[string]string{
				"Annex VIII Section A":                "",
				"Annex VIII Section A subparagraph 1": "The following information shall be provided:",
				"Annex VIII Section A point 2(b)":     "the date.",
				"Annex VIII Section B point 1":        "the name of the user.",
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := parse(t, c.in)
			for path, want := range c.want {
				i := doc.Find(path)
				if i < 0 {
					t.Errorf("no provision %q; got %s", path, paths(doc))
					continue
				}
				if got := doc.Provisions[i].Text; want != "" && got != want {
					t.Errorf("%s = %q, want %q", path, got, want)
				}
			}
			for _, path := range c.not {
				if doc.Find(path) >= 0 {
					t.Errorf("unexpected provision %q; got %s", path, paths(doc))
				}
			}
		})
	}
}

func paths(doc *redline.Document) string {
	var out []string
	for _, p := range doc.Provisions {
		out = append(out, p.Path)
	}
	return strings.Join(out, ", ")
}

func TestClean(t *testing.T) {
	page := func(n string, body ...string) string {
		return "EN\n" + strings.Join(body, "\n") + "\n\n" + n + "\n\nEN\n"
	}
	cases := []struct {
		name     string
		in       string
		want     []string // lines that must be present
		gone     []string // lines that must be gone
		wantText string   // exact output, when set
	}{
		{
			name: "running footer and page numbers",
			// pdftotext prints one of the two footers of page 2 mid-page.
			in:   page("1", "First page text.") + "\f" + "Second page\nEN\ntext.\n\n2\n\nEN\n" + "\f" + page("3", "Third page text.") + "\f",
			want: []string{"First page text.", "Second page", "text.", "Third page text."},
			gone: []string{"EN", "1", "2", "3"},
		},
		{
			name: "running footer and page numbers of text without form feeds",
			// A Commission PDF's text as some tools store it: pages joined by newlines.
			in:   page("1", "First page text.", "It goes on.") + page("2", "Second page text.", "It goes on further.") + page("3", "Third page text.", "It ends."),
			want: []string{"First page text.", "Second page text.", "Third page text."},
			gone: []string{"EN", "1", "2", "3"},
		},
		{
			name: "Council footer of annex pages",
			// On the note's pages the footer reads "TREE.2.B EN", on the pages
			// of its annex "ANNEX TREE.2.B EN" (ST 11320/1/23 REV 1, 10 July 2023).
			in: "NOTE\nText one.\n15698/22 RB/ek 7\nTREE.2.B EN\f" +
				"Text two.\n15698/22 RB/ek 8\nTREE.2.B EN\f" +
				"ANNEX\nArticle 1\nText three.\n15698/22 RB/ek 9\nANNEX TREE.2.B EN\f" +
				"Text four.\n15698/22 RB/ek 10\nANNEX TREE.2.B EN\f" +
				"Text five.\n15698/22 RB/ek 11\nANNEX TREE.2.B EN\f",
			want: []string{"ANNEX", "Article 1", "Text two.", "Text three.", "Text five."},
			gone: []string{"ANNEX TREE.2.B EN", "TREE.2.B EN"},
		},
		{
			name: "Council header lines",
			in: "LIMITE\nArticle 1\nText one.\n15698/22 RB/ek TREE.2.B 7 EN\f" +
				"LIMITE\nArticle 2\nText two.\n15698/22 RB/ek TREE.2.B 8 EN\f" +
				"LIMITE\nArticle 3\nText three.\n15698/22 RB/ek TREE.2.B 9 EN\f",
			want: []string{"Article 1", "Article 2", "Article 3"},
			gone: []string{"LIMITE", "15698/22 RB/ek TREE.2.B 8 EN"},
		},
		{
			name: "repeated headings are not running headers",
			in:   "Amendment 1\nText.\nAmendment 2\nMore.\f" + "Amendment 3\nText.\f" + "Amendment 4\nText.\nAmendment 5\nText.\nAmendment 6\nText.\f",
			want: []string{"Amendment 1", "Amendment 3", "Amendment 6"},
		},
		{
			name:     "hyphenation: a word that occurs unbroken is joined",
			in:       "the use of bio-\nmetric data, and biometric\nidentification.",
			wantText: "the use of biometric\ndata, and biometric\nidentification.",
		},
		{
			name:     "hyphenation: a compound keeps its hyphen",
			in:       "a high-\nrisk system is a high-risk AI system",
			wantText: "a high-risk\nsystem is a high-risk AI system",
		},
		{
			name:     "hyphenation: headings in capitals",
			in:       "REGISTRATION OF HIGH-\nRISK AI SYSTEMS",
			wantText: "REGISTRATION OF HIGH-RISK\nAI SYSTEMS",
		},
		{
			name:     "hyphenation: layout columns are left alone",
			in:       "the free movement of AI-     uniform legal\nbased goods and services      framework",
			wantText: "the free movement of AI-     uniform legal\nbased goods and services      framework",
		},
		{
			name:     "a hyphen dropped by pdftotext comes back",
			in:       "a highrisk system; high-risk, high-risk and high-risk systems",
			wantText: "a high-risk system; high-risk, high-risk and high-risk systems",
		},
		{
			name:     "NFKC",
			in:       "bene\ufb01ts\u00a0and eﬃciency",
			wantText: "benefits and efficiency",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := plaintext.Clean(c.in)
			if c.wantText != "" && got != c.wantText {
				t.Errorf("Clean = %q, want %q", got, c.wantText)
			}
			have := map[string]bool{}
			for _, l := range strings.FieldsFunc(got, func(r rune) bool { return r == '\n' || r == '\f' }) {
				have[strings.TrimSpace(l)] = true
			}
			for _, l := range c.want {
				if !have[l] {
					t.Errorf("line %q missing from %q", l, got)
				}
			}
			for _, l := range c.gone {
				if have[l] {
					t.Errorf("line %q left in %q", l, got)
				}
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(read(f, "testdata/council.txt"))
	for _, c := range []string{
		"Article 1\n1.\n\n2.\n\n(a)\n(i)\n\ntext\f(d)\n(i)\n",
		"ANNEX III\nTITLE\n1.\n(a)\n2.\n3.1.\n3.2.\n(a) x;\n(b) y.\nSection A – x\n",
		"“‘Article 5\n(a) quoted\n",
		"1\n\nEN\f2\n\nEN\f3\n\nEN\f",
		"Having regard to x,\nWhereas:\n(1)\n(2) text\nHAVE ADOPTED THIS REGULATION:\nArticle 1\nx\nDone at Brussels,\nLEGISLATIVE FINANCIAL STATEMENT\n1.1.\n",
	} {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, in string) {
		doc, err := plaintext.Parse(in, plaintext.Options{})
		if err != nil {
			if !errors.Is(err, plaintext.ErrNoText) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		checkTree(t, doc)
		_ = plaintext.Clean(in)
	})
}

// BenchmarkParse parses the pdftotext text of the 108-page proposal.
func BenchmarkParse(b *testing.B) {
	text := read(b, corpusPath(b, "com-2021-206-proposal.pdftotext.txt"))
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := plaintext.Parse(text, plaintext.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
