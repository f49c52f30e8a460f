package legal_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal"
)

// textLines parses html and returns the WriteText lines without indentation.
func textLines(t *testing.T, html []byte) (*legal.Document, []string) {
	t.Helper()
	d, err := legal.ParseXHTML(html, legal.XHTMLOptions{})
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
	return d, got
}

// TestMarkupVariants covers markup found in real documents outside the
// corpus (see the comment at the top of each fixture for its source).
func TestMarkupVariants(t *testing.T) {
	cases := []struct {
		name    string
		fixture string // file in testdata, or
		html    string // inline markup
		want    []string
	}{
		{
			name:    "proposal annex with decimal points holding lettered points and text",
			fixture: "com-annex-decimal-points.html",
			want: []string{
				"title: ANNEXES to the Proposal for a Regulation of the European Parliament and of the Council",
				"Annex VII [CONFORMITY BASED ON ASSESSMENT OF QUALITY MANAGEMENT SYSTEM]",
				"Annex VII point 3: Quality management system",
				"Annex VII point 3.1: The application of the provider shall include:",
				"Annex VII point 3.1(a): the name and address of the provider;",
				"Annex VII point 3.1(b): the list of AI systems covered under the same quality management system.",
				"Annex VII point 3.2: The quality management system shall be assessed by the notified body.",
				"Annex VII point 3.2 subparagraph 2: The decision shall be notified to the provider or its authorised representative.",
				"Annex VII point 4: Control of the technical documentation.",
				"Annex VII point 4.1: The application shall include:",
				"Annex VII point 4.1(a): the technical documentation referred to in Annex IV.",
				"Annex VII point 4.1 subparagraph 2: The certificate shall indicate the name and address of the provider.",
			},
		},
		{
			name:    "proposal amending points typed by hand, footnote rule inside quoted wording",
			fixture: "com-typed-points.html",
			want: []string{
				"title: Proposal for a REGULATION OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL LAYING DOWN HARMONISED RULES ON ARTIFICIAL INTELLIGENCE",
				"Article 75 [Amendment to Regulation (EC) No 300/2008]: In Article 4(3) of Regulation (EC) No 300/2008, the following subparagraph is added:",
				"Article 75 subparagraph 2: “When adopting detailed measures concerning Artificial Intelligence systems in the meaning of Regulation (EU) YYY/XX [on Artificial Intelligence]*, the requirements set out in Chapter 2, Title III of that Regulation shall be taken into account. * Regulation (EU) YYY/XX [on Artificial Intelligence] (OJ ...).”",
				"Article 81 [Amendment to Regulation (EU) 2018/1139]: Regulation (EU) 2018/1139 is amended as follows:",
				"Article 81 point (1): In Article 17, the following paragraph is added:",
				"Article 81 point (1) subparagraph 2: “3. Without prejudice to paragraph 2, the requirements set out in Title III, Chapter 2 of that Regulation shall be taken into account.”",
				"Article 81 point (2): In Article 19, the following paragraph is added:",
				"Article 81 point (2) subparagraph 2: “4. When adopting delegated acts pursuant to paragraphs 1 and 2, those requirements shall be taken into account. (a) This typed label is quoted wording, not a point of Article 81.”.",
				"modification Article 75: insert Regulation (EC) No 300/2008 Article 4(3): When adopting detailed measures concerning Artificial Intelligence systems in the meaning of Regulation (EU) YYY/XX [on Artificial Intelligence]*, the requirements set out in Chapter 2, Title III of that Regulation shall be taken into account. * Regulation (EU) YYY/XX [on Artificial Intelligence] (OJ ...).",
				"modification Article 81 point (1): insert Regulation (EU) 2018/1139 Article 17(3): Without prejudice to paragraph 2, the requirements set out in Title III, Chapter 2 of that Regulation shall be taken into account.",
				"modification Article 81 point (2): insert Regulation (EU) 2018/1139 Article 19(4): When adopting delegated acts pursuant to paragraphs 1 and 2, those requirements shall be taken into account. (a) This typed label is quoted wording, not a point of Article 81.",
			},
		},
		{
			name:    "official journal markup without ELI containers",
			fixture: "oj-plain.html",
			want: []string{
				"title: POSITION OF THE EUROPEAN PARLIAMENT adopted at first reading with a view to the adoption of Regulation (EU) 2024/... laying down harmonised rules on artificial intelligence",
				"title point (1): Adopts its position at first reading hereinafter set out;",
				"citation 1: Having regard to the Treaty on the Functioning of the European Union, and in particular Articles 16 and 114 thereof,",
				"citation 2: Having regard to the opinion of the European Economic and Social Committee,",
				"recital 1: The purpose of this Regulation is to improve the functioning of the internal market.",
				"recital 2: Certain AI practices should be prohibited, in particular:",
				"recital 2 point (1): manipulative techniques;",
				"recital 3: This Regulation respects the fundamental rights recognised in the Charter.",
				"Chapter II [PROHIBITED AI PRACTICES]",
				"Article 5 [Prohibited AI practices]",
				"Article 5(1): The following AI practices shall be prohibited:",
				"Article 5(1)(h): the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces for the purposes of law enforcement, unless and in so far as such use is strictly necessary for one of the following objectives:",
				"Article 5(1)(h)(i): the targeted search for specific victims of abduction;",
				"Article 5(1) subparagraph 2: Point (h) of the first subparagraph is without prejudice to Article 9 of Regulation (EU) 2016/679.",
				"Article 5(2): The use of ‘real-time’ remote biometric identification systems shall be deployed only to confirm the identity of the specifically targeted individual.",
				"Article 113 [Entry into force and application]: This Regulation shall enter into force on the twentieth day following that of its publication in the Official Journal of the European Union.",
				"final: This Regulation shall be binding in its entirety and directly applicable in all Member States. Done at Brussels, 13 June 2024. For the European Parliament The President R. METSOLA",
				"footnote 1: OJ C 517, 22.12.2021, p. 56.",
				"Annex III [High-risk AI systems referred to in Article 6(2)]",
				"Annex III subparagraph 1: High-risk AI systems pursuant to Article 6(2) are the AI systems listed in any of the following areas:",
				"Annex III point 1: Biometrics, in so far as their use is permitted under relevant Union or national law:",
				"Annex III point 1(a): remote biometric identification systems.",
			},
		},
		{
			// Modelled on Annex X of the consolidated text 02024R1689-20260727 in
			// frankdevlabs/ai-act-explorer-nl (data/source/consolidated/02024R1689-20260727.html,
			// commit 7b00d61b15af2734fb5b667a37cff18cc383510b), where the annex title is a
			// second p.title-annex-1 instead of a p.title-annex-2.
			name: "consolidated annex title in the style of the annex number",
			html: `<p class="reference">02024R1689 — EN — 27.07.2026 — 001.001</p><div class="eli-container">` +
				`<div class="eli-main-title" id="tit_1"><p class="title-doc-first">REGULATION (EU) 2024/1689</p></div>` +
				`<div id="anx_X"><p><br/></p><hr class="separator-annex"/><p class="title-annex-1">ANNEX X</p>` +
				`<p class="title-annex-1">Union legislative acts on large-scale IT systems in the area of Freedom, Security and Justice</p>` +
				`<p class="title-gr-seq-level-1">3.   <span class="boldface">Eurodac</span></p>` +
				`<p class="norm">Regulation (EU) 2024/1358 of the European Parliament and of the Council of 14 May 2024.</p></div></div>`,
			want: []string{
				"title: REGULATION (EU) 2024/1689",
				"Annex X [Union legislative acts on large-scale IT systems in the area of Freedom, Security and Justice]",
				"Annex X point 3 [Eurodac]: Regulation (EU) 2024/1358 of the European Parliament and of the Council of 14 May 2024.",
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			html := []byte(c.html)
			if c.fixture != "" {
				html = readFixture(t, c.fixture)
			}
			_, got := textLines(t, html)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// TestPlainOJKinds checks that the fallback for markup without ELI
// containers gives the provisions their kinds, not only their paths.
func TestPlainOJKinds(t *testing.T) {
	d, _ := textLines(t, readFixture(t, "oj-plain.html"))
	for path, kind := range map[string]redline.ProvisionKind{
		"citation 2": redline.ProvCitation,
		"recital 3":  redline.ProvRecital,
		"Annex III":  redline.ProvAnnex,
		"final":      redline.ProvFinal,
		"footnote 1": redline.ProvFootnote,
	} {
		if got := provision(t, d, path).Kind; got != kind {
			t.Errorf("%s: kind %s, want %s", path, got, kind)
		}
	}
	if d.Kind != redline.DocAct || d.Format != "oj-xhtml" {
		t.Errorf("kind %s format %s, want act oj-xhtml", d.Kind, d.Format)
	}
}

// TestSpacedAmendments checks that Parliament amendments whose headings
// carry no-break spaces ("Amendment\u00a0220") are read as amendments, both
// by ParseXHTML and by content detection through Parser.Parse.
func TestSpacedAmendments(t *testing.T) {
	data := readFixture(t, "ep-amendments-nbsp.xhtml")
	want := []redline.Amendment{
		{Number: 220, Path: "Article 5(1)(d)", Op: redline.OpReplace},
		{Number: 221, Path: "Article 5(1)(d)(i)", Op: redline.OpDelete},
	}
	direct, err := legal.ParseXHTML(data, legal.XHTMLOptions{})
	if err != nil {
		t.Fatal(err)
	}
	parser := &legal.Parser{}
	detected, err := parser.Parse(t.Context(), legal.Options{}, legal.Input{Name: "ep-amendments-nbsp.xhtml", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]*legal.Document{"ParseXHTML": direct, "Parse": detected} {
		if d.Kind != redline.DocAmendments || d.Format != "ep-amendments-xhtml" {
			t.Errorf("%s: kind %s format %s, want amendments ep-amendments-xhtml", name, d.Kind, d.Format)
		}
		if len(d.Amendments) != len(want) {
			t.Fatalf("%s: %d amendments, want %d", name, len(d.Amendments), len(want))
		}
		for i, w := range want {
			a := d.Amendments[i]
			if a.Number != w.Number || a.Path != w.Path || a.Op != w.Op {
				t.Errorf("%s: amendment %d = %d %s %s, want %d %s %s", name, i, a.Number, a.Path, a.Op, w.Number, w.Path, w.Op)
			}
		}
	}
}
