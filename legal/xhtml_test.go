package legal_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/redline-watch/redline/legal/internal/tree"

	goldenfile "github.com/redline-watch/redline/internal/golden"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return data
}

func parseFixture(t testing.TB, name string) *legal.Document {
	t.Helper()
	d, err := legal.ParseXHTML(readFixture(t, name), legal.XHTMLOptions{})
	if err != nil {
		t.Fatalf("ParseXHTML(%s): %v", name, err)
	}
	return d
}

// provision returns the provision at path or fails the test.
func provision(t *testing.T, d *legal.Document, path string) redline.Provision {
	t.Helper()
	i := d.Find(path)
	if i < 0 {
		t.Fatalf("provision %q not found", path)
	}
	return d.Provisions[i]
}

func parentPath(d *legal.Document, p redline.Provision) string {
	if p.Parent < 0 {
		return ""
	}
	return d.Provisions[p.Parent].Path
}

func TestParseXHTMLGolden(t *testing.T) {
	cases := []struct {
		name    string
		fixture string
		kind    redline.DocumentKind
		format  string
	}{
		{"official journal act", "oj-act.html", redline.DocAct, "oj-xhtml"},
		{"consolidated text", "consolidated.html", redline.DocConsolidated, "consolidated-xhtml"},
		{"commission proposal", "com-proposal.html", redline.DocProposal, "com-xhtml"},
		{"amending act", "oj-amending.html", redline.DocAmendingAct, "oj-xhtml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := parseFixture(t, c.fixture)
			if d.Kind != c.kind || d.Format != c.format {
				t.Errorf("kind/format = %s/%s, want %s/%s", d.Kind, d.Format, c.kind, c.format)
			}
			var buf bytes.Buffer
			if err := legal.WriteText(&buf, d); err != nil {
				t.Fatalf("WriteText: %v", err)
			}
			goldenfile.Check(t, filepath.Join("testdata", strings.TrimSuffix(c.fixture, ".html")+".golden"), buf.Bytes())
			checkTree(t, d)
		})
	}
}

var labelPrefix = regexp.MustCompile(`^(\([0-9a-z]{1,5}\)|\d{1,3}\.)\s`)

// checkTree verifies invariants every parsed document must satisfy.
func checkTree(t *testing.T, d *legal.Document) {
	t.Helper()
	if err := tree.Check(d); err != nil {
		t.Error(err)
	}
	for _, p := range d.Provisions {
		if p.Kind != redline.ProvSubparagraph && labelPrefix.MatchString(p.Text) {
			t.Errorf("%s: text starts with a label: %.40q", p.Path, p.Text)
		}
		for _, bad := range []string{"\u00a0", "▼", "►", "◄", "\x00"} {
			if strings.Contains(p.Text, bad) || strings.Contains(p.Heading, bad) {
				t.Errorf("%s: text contains %q", p.Path, bad)
			}
		}
	}
}

func TestOJStructure(t *testing.T) {
	d := parseFixture(t, "oj-act.html")
	cases := []struct {
		path, kind, parent, label, heading, textPrefix string
	}{
		{"title", "title", "", "", "", "REGULATION (EU) 2024/1689 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL of 13 June 2024 laying down"},
		{"citation 2", "citation", "", "2", "", "Having regard to the opinion of the European Economic and Social Committee,"},
		{"recital 38", "recital", "", "38", "", "The use of AI systems for real-time remote biometric identification"},
		{"Chapter II", "division", "", "II", "PROHIBITED AI PRACTICES", ""},
		{"Article 5", "article", "Chapter II", "5", "Prohibited AI practices", ""},
		{"Article 5(1)", "paragraph", "Article 5", "1", "", "The following AI practices shall be prohibited:"},
		{"Article 5(1)(h)", "point", "Article 5(1)", "h", "", "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces for the purposes of law enforcement, unless"},
		{"Article 5(1)(h)(iii)", "point", "Article 5(1)(h)", "iii", "", "the localisation or identification of a person suspected"},
		{"Article 5(1) subparagraph 2", "subparagraph", "Article 5(1)", "2", "", "Point (h) of the first subparagraph is without prejudice"},
		{"Article 5(2) subparagraph 2", "subparagraph", "Article 5(2)", "2", "", "In addition, the use of"},
		{"Article 3 point (1)", "point", "Article 3", "1", "", "‘AI system’ means a machine-based system"},
		{"Article 3 point (27)", "point", "Article 3", "27", "", "‘harmonised standard’ means a harmonised standard as defined in Article 2(1), point (c), of Regulation (EU) No 1025/2012;"},
		{"Article 3 point (49)(b)", "point", "Article 3 point (49)", "b", "", "a serious and irreversible disruption"},
		{"Article 113", "article", "Chapter XIII", "113", "Entry into force and application", "This Regulation shall enter into force"},
		{"Article 113 subparagraph 3(a)", "point", "Article 113 subparagraph 3", "a", "", "Chapters I and II shall apply from 2 February 2025;"},
		{"final", "final", "", "", "", "This Regulation shall be binding in its entirety and directly applicable in all Member States. Done at Brussels, 13 June 2024. For the European Parliament The President R. METSOLA"},
		{"footnote 1", "footnote", "", "1", "", "OJ C 517, 22.12.2021, p. 56."},
		{"Annex II indent 2", "point", "Annex II", "", "", "trafficking in human beings,"},
		{"Annex III", "annex", "", "III", "High-risk AI systems referred to in Article 6(2)", ""},
		{"Annex III subparagraph 1", "subparagraph", "Annex III", "1", "", "High-risk AI systems pursuant to Article 6(2)"},
		{"Annex III point 1(a)", "point", "Annex III point 1", "a", "", "remote biometric identification systems."},
		{"Annex III point 1(a) subparagraph 2", "subparagraph", "Annex III point 1(a)", "2", "", "This shall not include AI systems"},
		{"Annex III point 6(a)", "point", "Annex III point 6", "a", "", "AI systems intended to be used by or on behalf of law enforcement authorities"},
		{"Annex VII point 3", "point", "Annex VII", "3", "Quality management system", ""},
		{"Annex VII point 3.1(b)", "point", "Annex VII point 3.1", "b", "", "the list of AI systems"},
		{"Annex VII point 3.2", "point", "Annex VII point 3", "3.2", "", "The quality management system shall be assessed"},
		{"Annex VIII Section B", "annex_part", "Annex VIII", "B", "Information to be submitted by providers of high-risk AI systems in accordance with Article 49(2)", ""},
		{"Annex VIII Section B point 7", "point", "Annex VIII Section B", "7", "", "A short summary of the grounds"},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			p := provision(t, d, c.path)
			if string(p.Kind) != c.kind || p.Label != c.label || p.Heading != c.heading || parentPath(d, p) != c.parent {
				t.Errorf("got kind=%s label=%q heading=%q parent=%q, want %s %q %q %q", p.Kind, p.Label, p.Heading, parentPath(d, p), c.kind, c.label, c.heading, c.parent)
			}
			if !strings.HasPrefix(p.Text, c.textPrefix) || (c.textPrefix == "" && p.Text != "") {
				t.Errorf("text = %.120q, want prefix %q", p.Text, c.textPrefix)
			}
		})
	}
	if got := d.Identifiers; len(got) != 2 || got[0] != "(EU) 2024/1689" || got[1] != "http://data.europa.eu/eli/reg/2024/1689/oj" {
		t.Errorf("identifiers = %q", got)
	}
	if len(d.Modifications) != 0 {
		t.Errorf("unexpected modifications: %+v", d.Modifications)
	}
}

// stripWrapper turns a EUR-Lex page into what Cellar serves: the same
// CONVEX XHTML without the per-request scripts, stylesheets and metadata.
func stripWrapper(data []byte) []byte {
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`(?s)<script[^>]*>.*?</script>`),
		regexp.MustCompile(`<link[^>]*>`),
		regexp.MustCompile(`<meta[^>]*>`),
	} {
		data = re.ReplaceAll(data, nil)
	}
	return data
}

func TestCellarMatchesEURLexPage(t *testing.T) {
	page := readFixture(t, "oj-act.html")
	cellar := stripWrapper(page)
	if bytes.Contains(cellar, []byte("ruxit")) || !bytes.Contains(page, []byte("ruxitagentjs")) {
		t.Fatal("fixture should carry the Dynatrace script and stripWrapper should remove it")
	}
	a, err := legal.ParseXHTML(page, legal.XHTMLOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := legal.ParseXHTML(cellar, legal.XHTMLOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Canonical() != b.Canonical() {
		t.Errorf("canonical text differs between page and Cellar XHTML:\n%s", goldenfile.FirstDiff(a.Canonical(), b.Canonical()))
	}
	for _, bad := range []string{"ruxit", "dtconfig", "generateTOC", "ISSN", "Official Journal of the European Union L series"} {
		if strings.Contains(a.Canonical(), bad) {
			t.Errorf("canonical text contains %q", bad)
		}
	}
}

// TestConsolidatedMatchesOJ checks that the consolidated markup of the same
// provisions yields the same paths and texts as the Official Journal markup:
// every article and annex provision of the OJ fixture exists in the
// consolidated one with the same text, and the consolidated extras are the
// provisions its amendment markers announce.
func TestConsolidatedMatchesOJ(t *testing.T) {
	oj := parseFixture(t, "oj-act.html")
	cons := parseFixture(t, "consolidated.html")
	enacting := func(d *legal.Document) map[string]redline.Provision {
		out := map[string]redline.Provision{}
		for i, p := range d.Provisions {
			switch d.Provisions[d.Top(i)].Kind {
			case redline.ProvDivision, redline.ProvArticle, redline.ProvAnnex:
				out[p.Path] = p
			}
		}
		return out
	}
	a, b := enacting(oj), enacting(cons)
	deleted := "Annex VIII Section B point 7" // removed by M1 in the consolidated text
	for path, p := range a {
		q, ok := b[path]
		switch {
		case path == deleted:
			if ok {
				t.Errorf("%s should be gone from the consolidated text", path)
			}
		case !ok:
			t.Errorf("%s missing from the consolidated text", path)
		case p.Text != q.Text || p.Heading != q.Heading || p.Kind != q.Kind || parentPath(oj, p) != parentPath(cons, q):
			t.Errorf("%s differs:\n  oj:   %s [%s] %q\n  cons: %s [%s] %q", path, p.Kind, p.Heading, p.Text, q.Kind, q.Heading, q.Text)
		}
	}
	for path := range b {
		if _, ok := a[path]; !ok && path != "Article 5(1)(ba)" {
			t.Errorf("unexpected consolidated provision %s", path)
		}
	}
	markers := []struct {
		path string
		want []string
	}{
		{"Article 5(1)(ba)", []string{"M1"}},
		{"Article 5(1)(c)", []string{"B"}},
		{"Article 3 point (2)", []string{"C1"}},
		{"Article 3 point (27)", []string{"M1"}},
		{"Annex VIII Section B point 8", []string{"M1", "B"}},
		{"Article 5(1)(a)", nil},
	}
	for _, m := range markers {
		if got := provision(t, cons, m.path).Markers; strings.Join(got, " ") != strings.Join(m.want, " ") {
			t.Errorf("%s markers = %q, want %q", m.path, got, m.want)
		}
	}
	if got := cons.Identifiers; len(got) != 2 || got[1] != "02024R1689-20260727" {
		t.Errorf("identifiers = %q", got)
	}
	if cons.Title != oj.Title {
		t.Errorf("title differs:\n%q\n%q", cons.Title, oj.Title)
	}
}

func TestCOMProposal(t *testing.T) {
	d := parseFixture(t, "com-proposal.html")
	if got := strings.Join(d.Identifiers, ", "); got != "COM(2021) 206 final, 2021/0106(COD)" {
		t.Errorf("identifiers = %s", got)
	}
	if !strings.HasPrefix(d.Title, "Proposal for a REGULATION OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL LAYING DOWN HARMONISED RULES") {
		t.Errorf("title = %q", d.Title)
	}
	cases := []struct{ path, parent, heading, textPrefix string }{
		{"memorandum 1", "", "1.1. Reasons for and objectives of the proposal", "This explanatory memorandum accompanies"},
		{"memorandum 2", "", "1.1. Reasons for and objectives of the proposal", "This proposal delivers on the political commitment by President von der Leyen, who announced in her political guidelines for the 2019-2024 Commission “A Union that strives for more”, that"},
		{"memorandum 4", "", "1.1. Reasons for and objectives of the proposal", "ensure that AI systems placed on the Union market"},
		{"citation 3", "", "", "Having regard to the opinion of the European Economic and Social Committee,"},
		{"recital 18", "", "", "The use of AI systems for ‘real-time’ remote biometric identification"},
		{"Title II", "", "PROHIBITED ARTIFICIAL INTELLIGENCE PRACTICES", ""},
		{"Article 1", "Title I", "Subject matter", "This Regulation lays down:"},
		{"Article 1 point (b)", "Article 1", "", "prohibitions of certain artificial intelligence practices;"},
		{"Article 3 point (2)", "Article 3", "", "‘provider’ means"},
		{"Article 3 point (3)", "Article 3", "", "‘small-scale provider’ means a provider that is a micro or small enterprise within the meaning of Commission Recommendation 2003/361/EC;"},
		{"Article 3 point (44)(a)", "Article 3 point (44)", "", "the death of a person"},
		{"Article 5", "Title II", "", ""},
		{"Article 5(1)", "Article 5", "", "The following artificial intelligence practices shall be prohibited:"},
		{"Article 5(1)(c)(ii)", "Article 5(1)(c)", "", "detrimental or unfavourable treatment"},
		{"Article 5(1)(d)", "Article 5(1)", "", "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces for the purpose of law enforcement, unless and in as far as such use is strictly necessary for one of the following objectives:"},
		{"Article 5(1)(d)(iii)", "Article 5(1)(d)", "", "the detection, localisation, identification or prosecution of a perpetrator or suspect of a criminal offence referred to in Article 2(2) of Council Framework Decision 2002/584/JHA and punishable"},
		{"Article 5(2) subparagraph 2", "Article 5(2)", "", "In addition,"},
		{"Article 5(3) subparagraph 3", "Article 5(3)", "", "[A Member State may decide"},
		{"Article 85(2)", "Article 85", "", "This Regulation shall apply from"},
		{"final", "", "", "This Regulation shall be binding in its entirety and directly applicable in all Member States. Done at Brussels, For the European Parliament For the Council The President The President"},
		{"memorandum 7", "", "1.1. Title of the proposal/initiative", "Regulation of the European Parliament and of the Council Laying Down"},
		{"memorandum 8", "", "1.1. Title of the proposal/initiative", "TOTAL appropriations for DG CNECT | Commitments | 1.240"},
		{"Annex III", "", "HIGH-RISK AI SYSTEMS REFERRED TO IN ARTICLE 6(2)", ""},
		{"Annex III point 1(a)", "Annex III point 1", "", "AI systems intended to be used for the ‘real-time’ and ‘post’ remote biometric identification"},
		{"Annex III point 6(b)", "Annex III point 6", "", "AI systems intended to be used by law enforcement authorities as polygraphs"},
		{"footnote 31", "", "", "OJ C [...], [...], p. [...]."},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			p := provision(t, d, c.path)
			if parentPath(d, p) != c.parent || p.Heading != c.heading {
				t.Errorf("parent=%q heading=%q, want %q %q", parentPath(d, p), p.Heading, c.parent, c.heading)
			}
			if !strings.HasPrefix(p.Text, c.textPrefix) || (c.textPrefix == "" && p.Text != "") {
				t.Errorf("text = %.160q, want prefix %q", p.Text, c.textPrefix)
			}
		})
	}
	for _, absent := range []string{"citation 5", "Article 3 point (1) [2]", "Article 5(1)(c)(i)(i)"} {
		if d.Find(absent) >= 0 {
			t.Errorf("unexpected provision %s", absent)
		}
	}
}

func TestXHTMLFlavour(t *testing.T) {
	cases := []struct {
		name string
		data string
		want string
	}{
		{"oj fixture", string(readFixture(t, "oj-act.html")), legal.FlavourOJ},
		{"consolidated fixture", string(readFixture(t, "consolidated.html")), legal.FlavourConsolidated},
		{"proposal fixture", string(readFixture(t, "com-proposal.html")), legal.FlavourCOM},
		{"single-quoted class", `<p class='oj-ti-art'>Article 1</p>`, legal.FlavourOJ},
		{"class among others", `<p class="li Titrearticle x">Article 1</p>`, legal.FlavourCOM},
		{"class name inside text only", `<p>the class title-article-norm is used</p>`, ""},
		{"plain html", `<html><body><p>Hello</p></body></html>`, ""},
		{"empty", ``, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := legal.XHTMLFlavour([]byte(c.data)); got != c.want {
				t.Errorf("XHTMLFlavour = %q, want %q", got, c.want)
			}
		})
	}
}

func TestParseXHTMLErrors(t *testing.T) {
	oj := readFixture(t, "oj-act.html")
	cases := []struct {
		name    string
		data    []byte
		opts    legal.XHTMLOptions
		wantErr string
		noText  bool
	}{
		{"no legal markup", []byte(`<html><body><p>Access denied</p></body></html>`), legal.XHTMLOptions{}, "no oj-ti-art, Titrearticle or title-article-norm element", true},
		{"empty body", nil, legal.XHTMLOptions{}, "no legal text found", true},
		{"markup without provisions", []byte(`<p class="oj-normal"></p>`), legal.XHTMLOptions{}, "oj markup without any title, article, recital or annex", true},
		{"selector matches nothing", oj, legal.XHTMLOptions{Selector: "div#nothing-here"}, `selector "div#nothing-here" matched no element`, false},
		{"malformed selector", oj, legal.XHTMLOptions{Selector: "div[["}, `selector "div[["`, false},
		{"nesting too deep", []byte(`<p class="oj-normal">x</p>` + strings.Repeat("<div>", 600)), legal.XHTMLOptions{}, "parse html", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := legal.ParseXHTML(c.data, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, c.wantErr)
			}
			if got := errors.Is(err, legal.ErrNoLegalText); got != c.noText {
				t.Errorf("errors.Is(err, ErrNoLegalText) = %v, want %v", got, c.noText)
			}
		})
	}
}

func TestParseXHTMLSelector(t *testing.T) {
	d, err := legal.ParseXHTML(readFixture(t, "oj-act.html"), legal.XHTMLOptions{Selector: "#anx_III"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Provisions[0].Path != "Annex III" || d.Find("Article 5") >= 0 || d.Find("Annex III point 6(d)") < 0 {
		t.Errorf("selector should keep only Annex III, got %s", legal.Summary(d))
	}
}

func TestSummary(t *testing.T) {
	cases := []struct{ fixture, want string }{
		{"oj-act.html", "act: 2 recitals, 3 articles, 4 annexes, 80 provisions"},
		{"oj-amending.html", "amending_act: 1 recitals, 3 articles, 0 annexes, 11 modifications, 25 provisions"},
	}
	for _, c := range cases {
		t.Run(c.fixture, func(t *testing.T) {
			if got := legal.Summary(parseFixture(t, c.fixture)); got != c.want {
				t.Errorf("Summary = %q, want %q", got, c.want)
			}
		})
	}
	reg := &legal.Document{Kind: redline.DocRegister, Events: []redline.DossierEvent{{Date: "2021-04-21"}, {Date: "2024-07-12"}}}
	if got, want := legal.Summary(reg), "register: 2 events from 2021-04-21 to 2024-07-12"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}

// failWriter fails every write, to check that WriteText reports it.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteTextError(t *testing.T) {
	err := legal.WriteText(failWriter{}, parseFixture(t, "oj-act.html"))
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want the write error", err)
	}
}

func TestParseXHTMLSnippets(t *testing.T) {
	cases := []struct {
		name string
		html string
		want []string // "path: text" lines of WriteText, without indentation
	}{
		{
			name: "proposal heading in its own paragraph",
			html: `<p class="Titrearticle">Article 7</p><p class="Titrearticle">Amendments to Annex III</p><p class="li ManualNumPar1"><span class="num">1.</span><span>The Commission is empowered.</span></p>`,
			want: []string{"Article 7 [Amendments to Annex III]", "Article 7(1): The Commission is empowered."},
		},
		{
			name: "unclosed quotation ends at the next annex",
			html: `<div class="eli-container"><div id="art_1"><p class="oj-ti-art">Article 1</p><p class="oj-normal">Regulation (EU) 2024/1689 is amended as follows:</p>` +
				`<table><tr><td><p class="oj-normal">(1)</p></td><td><p class="oj-normal">the following Article is inserted:</p><p class="oj-normal">‘Article 9a</p><p class="oj-normal">Text without its closing mark</p></td></tr></table></div></div>` +
				`<div class="eli-container" id="anx_I"><p class="oj-doc-ti">ANNEX I</p><p class="oj-normal">Annex text.</p></div>`,
			want: []string{
				"Article 1: Regulation (EU) 2024/1689 is amended as follows:",
				"Article 1 point (1): the following Article is inserted:",
				"Article 1 point (1) subparagraph 2: ‘Article 9a Text without its closing mark",
				"Annex I",
				"Annex I subparagraph 1: Annex text.",
				"modification Article 1 point (1): insert Regulation (EU) 2024/1689 Article 9a: Text without its closing mark",
			},
		},
		{
			name: "numbered paragraphs without paragraph markup continue the sequence only",
			html: `<div class="eli-container"><div id="art_2"><p class="oj-ti-art">Article 2</p><p class="oj-normal">1. First.</p><p class="oj-normal">3. Not the next number.</p><p class="oj-normal">2. Second.</p></div></div>`,
			want: []string{"Article 2", "Article 2(1): First.", "Article 2(1) subparagraph 2: 3. Not the next number.", "Article 2(2): Second."},
		},
		{
			name: "repeated auto-number in a proposal",
			html: `<p class="Titrearticle">Article 3</p><p class="li Point0"><span class="num">(a)</span><span>one;</span></p><p class="li Point0"><span class="num">(a)</span><span>two;</span></p><p class="li Point0"><span class="num">(c)</span><span>three.</span></p>`,
			want: []string{"Article 3", "Article 3 point (a): one;", "Article 3 point (b): two;", "Article 3 point (c): three."},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := legal.ParseXHTML([]byte(c.html), legal.XHTMLOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := legal.WriteText(&buf, d); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
				got = append(got, strings.TrimSpace(l))
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
