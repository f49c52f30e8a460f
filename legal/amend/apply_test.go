package amend_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/amend"
	"github.com/redline-watch/redline/legal/internal/tree"
)

// baseProposal builds a small proposal-like tree with the wording of COM(2021)
// 206 for the provisions it keeps.
func baseProposal() *redline.Document {
	doc := &redline.Document{Kind: redline.DocProposal, Format: "pdf", Title: "Proposal for a Regulation laying down harmonised rules on artificial intelligence", Identifiers: []string{"COM(2021) 206 final"}}
	b := tree.NewBuilder(doc)
	p := func(parent int, path string, kind redline.ProvisionKind, label, heading, text string) int {
		return b.Add(parent, redline.Provision{Path: path, Kind: kind, Label: label, Heading: heading, Text: text})
	}
	p(-1, "title", redline.ProvTitle, "", "", "Proposal for a REGULATION OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL LAYING DOWN HARMONISED RULES ON ARTIFICIAL INTELLIGENCE")
	for i, c := range []string{"Having regard to the Treaty on the Functioning of the European Union, and in particular Articles 16 and 114 thereof,", "Having regard to the proposal from the European Commission,", "After transmission of the draft legislative act to the national parliaments,", "Having regard to the opinion of the European Economic and Social Committee,"} {
		l := string(rune('1' + i))
		p(-1, "citation "+l, redline.ProvCitation, l, "", c)
	}
	p(-1, "recital 11", redline.ProvRecital, "11", "", "In light of their digital nature, certain AI systems should fall within the scope of this Regulation even when they are neither placed on the market, nor put into service, nor used in the Union.")
	p(-1, "recital 12", redline.ProvRecital, "12", "", "This Regulation should also apply to Union institutions, offices, bodies and agencies when acting as a provider or user of an AI system.")
	p(-1, "recital 13", redline.ProvRecital, "13", "", "In order to ensure a consistent and high level of protection of public interests as regards health, safety and fundamental rights, common normative standards for all high-risk AI systems should be established.")
	t1 := p(-1, "Title I", redline.ProvDivision, "I", "GENERAL PROVISIONS", "")
	a3 := p(t1, "Article 3", redline.ProvArticle, "3", "Definitions", "For the purpose of this Regulation, the following definitions apply:")
	p(a3, "Article 3 point (1)", redline.ProvPoint, "1", "", "‘artificial intelligence system’ (AI system) means software that is developed with one or more of the techniques and approaches listed in Annex I;")
	p(a3, "Article 3 point (44)", redline.ProvPoint, "44", "", "‘serious incident’ means any incident that directly or indirectly leads, might have led or might lead to any of the following:")
	p(t1, "Article 4", redline.ProvArticle, "4", "Amendments to Annex I", "The Commission is empowered to adopt delegated acts in accordance with Article 73 to amend the list of techniques and approaches listed in Annex I.")
	t2 := p(-1, "Title II", redline.ProvDivision, "II", "PROHIBITED ARTIFICIAL INTELLIGENCE PRACTICES", "")
	a5 := p(t2, "Article 5", redline.ProvArticle, "5", "", "")
	p1 := p(a5, "Article 5(1)", redline.ProvParagraph, "1", "", "The following artificial intelligence practices shall be prohibited:")
	p(p1, "Article 5(1)(a)", redline.ProvPoint, "a", "", "the placing on the market, putting into service or use of an AI system that deploys subliminal techniques beyond a person’s consciousness;")
	p(p1, "Article 5(1)(b)", redline.ProvPoint, "b", "", "the placing on the market, putting into service or use of an AI system that exploits any of the vulnerabilities of a specific group of persons;")
	p(p1, "Article 5(1)(c)", redline.ProvPoint, "c", "", "the placing on the market, putting into service or use of AI systems by public authorities for the evaluation or classification of the trustworthiness of natural persons;")
	d := p(p1, "Article 5(1)(d)", redline.ProvPoint, "d", "", "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces for the purpose of law enforcement, unless and in as far as such use is strictly necessary for one of the following objectives:")
	p(d, "Article 5(1)(d)(i)", redline.ProvPoint, "i", "", "the targeted search for specific potential victims of crime, including missing children;")
	p(d, "Article 5(1)(d)(ii)", redline.ProvPoint, "ii", "", "the prevention of a specific, substantial and imminent threat to the life or physical safety of natural persons or of a terrorist attack;")
	p(d, "Article 5(1)(d)(iii)", redline.ProvPoint, "iii", "", "the detection, localisation, identification or prosecution of a perpetrator or suspect of a criminal offence;")
	p2 := p(a5, "Article 5(2)", redline.ProvParagraph, "2", "", "The use of ‘real-time’ remote biometric identification systems in publicly accessible spaces for the purpose of law enforcement shall take into account the following elements:")
	p(p2, "Article 5(2) subparagraph 2", redline.ProvSubparagraph, "2", "", "In addition, the use of ‘real-time’ remote biometric identification systems shall comply with necessary and proportionate safeguards.")
	p(p2, "Article 5(2) subparagraph 3", redline.ProvSubparagraph, "3", "", "The competent authority shall only grant the authorisation where it is satisfied that the use is necessary.")
	an := p(-1, "Annex III", redline.ProvAnnex, "III", "HIGH-RISK AI SYSTEMS REFERRED TO IN ARTICLE 6(2)", "")
	p(an, "Annex III subparagraph 1", redline.ProvSubparagraph, "1", "", "High-risk AI systems pursuant to Article 6(2) are the AI systems listed in any of the following areas:")
	pt := p(an, "Annex III point 1", redline.ProvPoint, "1", "", "Biometric identification and categorisation of natural persons:")
	p(pt, "Annex III point 1(a)", redline.ProvPoint, "a", "", "AI systems intended to be used for the ‘real-time’ and ‘post’ remote biometric identification of natural persons;")
	return doc
}

func cloneDoc(d *redline.Document) *redline.Document {
	c := *d
	c.Provisions = make([]redline.Provision, len(d.Provisions))
	for i, p := range d.Provisions {
		p.Markers = append([]string(nil), p.Markers...)
		c.Provisions[i] = p
	}
	c.Identifiers = append([]string(nil), d.Identifiers...)
	return &c
}

// checkTree verifies the invariants of a provision list: unique paths,
// parents before children, consistent depths.
func checkTree(t *testing.T, d *redline.Document) {
	t.Helper()
	if err := tree.Check(d); err != nil {
		t.Error(err)
	}
}

func paths(d *redline.Document) []string {
	out := make([]string, len(d.Provisions))
	for i, p := range d.Provisions {
		out[i] = p.Path
	}
	return out
}

func provision(t *testing.T, d *redline.Document, path string) redline.Provision {
	t.Helper()
	i := d.Find(path)
	if i < 0 {
		t.Fatalf("no provision %q in %q", path, paths(d))
	}
	return d.Provisions[i]
}

func parentPath(d *redline.Document, path string) string {
	i := d.Find(path)
	if i < 0 || d.Provisions[i].Parent < 0 {
		return ""
	}
	return d.Provisions[d.Provisions[i].Parent].Path
}

// assertAfter checks that the provisions appear in this order, each right
// after the previous among the provisions listed.
func assertOrder(t *testing.T, d *redline.Document, want ...string) {
	t.Helper()
	last := -1
	for _, p := range want {
		i := d.Find(p)
		if i < 0 {
			t.Fatalf("no provision %q", p)
		}
		if i <= last {
			t.Errorf("%q at %d, want after %q at %d; order %q", p, i, d.Provisions[last].Path, last, paths(d))
		}
		last = i
	}
}

// sameAsBase checks that a provision is copied unchanged from base.
func sameAsBase(t *testing.T, base, got *redline.Document, path string) {
	t.Helper()
	b, g := provision(t, base, path), provision(t, got, path)
	b.Parent, g.Parent = 0, 0
	if !reflect.DeepEqual(b, g) {
		t.Errorf("%q changed:\n got  %+v\n want %+v", path, g, b)
	}
	if parentPath(base, path) != parentPath(got, path) {
		t.Errorf("%q: parent %q, want %q", path, parentPath(got, path), parentPath(base, path))
	}
}

func TestApply(t *testing.T) {
	base := baseProposal()
	orig := cloneDoc(base)
	ams := []redline.Amendment{
		{Number: 1, Target: "Article 5 – paragraph 1 – point d – introductory part", Op: redline.OpReplace, Text: "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces;"},
		{Number: 2, Target: "Article 5 – paragraph 1 – point d – point i", Op: redline.OpDelete},
		{Number: 3, Target: "Article 5 – paragraph 1 – point d – point ii", Op: redline.OpDelete},
		{Number: 4, Target: "Article 5 – paragraph 1 – point d – point iii", Op: redline.OpDelete},
		{Number: 5, Target: "Article 5 – paragraph 1 – point d b (new)", Op: redline.OpInsert, Text: "the placing on the market of biometric categorisation systems;"},
		{Number: 6, Target: "Article 5 – paragraph 1 – point d a (new)", Op: redline.OpInsert, Text: "the use of predictive policing systems;"},
		{Number: 7, Target: "Recital 12 a (new)", Op: redline.OpInsert, Text: "A new recital."},
		{Number: 8, Target: "Citation 4 a (new)", Op: redline.OpInsert, Text: "Having regard to the opinion of the European Central Bank,"},
		{Number: 9, Target: "Article 4 a (new)", Op: redline.OpInsert, Text: "General principles\n1. All operators shall:\na) respect human agency;\nb) respect privacy;\nThat list is not exhaustive.\n2. Paragraph 1 is without prejudice to Union law."},
		{Number: 10, Target: "Article 3 – paragraph 1 – point 44 a (new)", Op: redline.OpInsert, Text: "‘national supervisory authority’ means the authority designated by a Member State;"},
		{Number: 11, Target: "Annex III – paragraph 1 – point 1 – point a a (new)", Op: redline.OpInsert, Text: "AI systems intended to be used for emotion recognition;"},
		{Number: 12, Target: "Article 5 – paragraph 2", Op: redline.OpReplace, Original: "The use of ‘real-time’ remote biometric identification systems shall take into account the following elements:", Text: "The use of AI systems shall take into account:\n(a) the nature of the situation;\n(b) the consequences of the use;\nPoint (b) does not apply to searches for missing children."},
		{Number: 13, Target: "Article 4 – title", Op: redline.OpReplace, Text: "Amendments to the Annexes"},
		{Number: 14, Target: "Title II", Op: redline.OpReplace, Text: "PROHIBITED AI PRACTICES"},
		{Number: 15, Target: "Article 99 – paragraph 1", Op: redline.OpReplace, Text: "Nothing."},
		{Number: 16, Target: "Article 5 – Chapter 1a (new)", Op: redline.OpInsert, Text: "1 a. New chapter"},
		{Number: 17, Target: "Article 5 – indent 2", Op: redline.OpReplace, Text: "Unreadable."},
		{Number: 18, Target: "Article 5 – paragraph 7 – point a a (new)", Op: redline.OpInsert, Text: "No parent."},
	}
	got, rep := amend.Apply(base, ams)
	if !reflect.DeepEqual(base, orig) {
		t.Fatal("Apply modified its base")
	}
	checkTree(t, got)

	if rep.Applied != 14 {
		t.Errorf("Applied = %d, want 14; unplaced %+v", rep.Applied, rep.Unplaced)
	}
	var unplaced []int
	for _, u := range rep.Unplaced {
		if u.Reason == "" || u.Target == "" {
			t.Errorf("unplaced %+v lacks a target or reason", u)
		}
		unplaced = append(unplaced, u.Number)
	}
	if !reflect.DeepEqual(unplaced, []int{15, 16, 17, 18}) {
		t.Errorf("unplaced %v, want [15 16 17 18]: %+v", unplaced, rep.Unplaced)
	}

	d := provision(t, got, "Article 5(1)(d)")
	if d.Text != "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces;" {
		t.Errorf("Article 5(1)(d) = %q", d.Text)
	}
	if !reflect.DeepEqual(d.Markers, []string{"AM1"}) {
		t.Errorf("Article 5(1)(d) markers %q, want [AM1]", d.Markers)
	}
	for _, gone := range []string{"Article 5(1)(d)(i)", "Article 5(1)(d)(ii)", "Article 5(1)(d)(iii)"} {
		if got.Find(gone) >= 0 {
			t.Errorf("%q still present", gone)
		}
	}
	if kids := got.Children(got.Find("Article 5(1)(d)")); len(kids) != 0 {
		t.Errorf("Article 5(1)(d) has children %v", kids)
	}
	assertOrder(t, got, "Article 5(1)(c)", "Article 5(1)(d)", "Article 5(1)(da)", "Article 5(1)(db)", "Article 5(2)")
	if p := provision(t, got, "Article 5(1)(da)"); p.Kind != redline.ProvPoint || p.Label != "da" || p.Text != "the use of predictive policing systems;" || parentPath(got, p.Path) != "Article 5(1)" {
		t.Errorf("Article 5(1)(da) = %+v under %q", p, parentPath(got, p.Path))
	}
	assertOrder(t, got, "recital 11", "recital 12", "recital 12a", "recital 13")
	assertOrder(t, got, "citation 4", "citation 4a", "recital 11")

	assertOrder(t, got, "Article 4", "Article 4a", "Article 4a(1)", "Article 4a(1)(a)", "Article 4a(1)(b)", "Article 4a(1) subparagraph 2", "Article 4a(2)", "Title II")
	a4a := provision(t, got, "Article 4a")
	if a4a.Heading != "General principles" || a4a.Text != "" || parentPath(got, "Article 4a") != "Title I" {
		t.Errorf("Article 4a = %+v under %q", a4a, parentPath(got, "Article 4a"))
	}
	if p := provision(t, got, "Article 4a(1)(b)"); p.Text != "respect privacy;" || p.Label != "b" || p.Kind != redline.ProvPoint {
		t.Errorf("Article 4a(1)(b) = %+v", p)
	}
	if p := provision(t, got, "Article 4a(1) subparagraph 2"); p.Text != "That list is not exhaustive." {
		t.Errorf("Article 4a(1) subparagraph 2 = %+v", p)
	}

	assertOrder(t, got, "Article 3 point (44)", "Article 3 point (44a)", "Article 4")
	assertOrder(t, got, "Annex III point 1(a)", "Annex III point 1(aa)")

	assertOrder(t, got, "Article 5(2)", "Article 5(2)(a)", "Article 5(2)(b)", "Article 5(2) subparagraph 2")
	if p := provision(t, got, "Article 5(2)"); p.Text != "The use of AI systems shall take into account:" {
		t.Errorf("Article 5(2) = %q", p.Text)
	}
	if h := provision(t, got, "Article 4").Heading; h != "Amendments to the Annexes" {
		t.Errorf("Article 4 heading %q", h)
	}
	if h := provision(t, got, "Title II").Heading; h != "PROHIBITED AI PRACTICES" {
		t.Errorf("Title II heading %q", h)
	}

	for _, p := range []string{"title", "citation 1", "recital 11", "recital 13", "Article 3", "Article 3 point (1)", "Article 5(1)", "Article 5(1)(a)", "Article 5(1)(c)", "Annex III subparagraph 1", "Annex III point 1(a)"} {
		sameAsBase(t, base, got, p)
	}
	if got.Kind != base.Kind || got.Title != base.Title || !reflect.DeepEqual(got.Identifiers, base.Identifiers) {
		t.Errorf("document metadata changed: %+v", got)
	}
}

func TestApplyStructure(t *testing.T) {
	tests := []struct {
		name  string
		am    redline.Amendment
		check func(t *testing.T, got *redline.Document)
	}{
		{
			name: "point h followed by point i is a letter",
			am:   redline.Amendment{Number: 1, Target: "Article 5 – paragraph 1", Op: redline.OpReplace, Text: "Prohibited:\n(g) first;\n(h) second;\n(i) third;"},
			check: func(t *testing.T, got *redline.Document) {
				assertOrder(t, got, "Article 5(1)", "Article 5(1)(g)", "Article 5(1)(h)", "Article 5(1)(i)", "Article 5(2)")
				if pp := parentPath(got, "Article 5(1)(i)"); pp != "Article 5(1)" {
					t.Errorf("(i) under %q", pp)
				}
			},
		},
		{
			name: "point i under point d is roman",
			am:   redline.Amendment{Number: 1, Target: "Article 5 – paragraph 1 – point d", Op: redline.OpReplace, Text: "the use of systems, except:\n(i) searches for victims;\n(ii) threats to life;"},
			check: func(t *testing.T, got *redline.Document) {
				assertOrder(t, got, "Article 5(1)(d)", "Article 5(1)(d)(i)", "Article 5(1)(d)(ii)")
				if p := provision(t, got, "Article 5(1)(d)(ii)"); p.Text != "threats to life;" || !reflect.DeepEqual(p.Markers, []string{"AM1"}) {
					t.Errorf("(d)(ii) = %+v", p)
				}
				if got.Find("Article 5(1)(d)(iii)") >= 0 {
					t.Error("old (d)(iii) kept")
				}
			},
		},
		{
			name: "mixed label styles as the EP prints them",
			am:   redline.Amendment{Number: 1, Target: "Article 5 a (new)", Op: redline.OpInsert, Text: "Tasks of the Office\nThe Office shall:\nh) examine:\n(i) standards; (ii) guidelines;\n(iii) codes of conduct;\ni) issue:\n(i) a report;\n(ii) recommendations;\nk) meet;\nl) report. a. to Parliament;"},
			check: func(t *testing.T, got *redline.Document) {
				assertOrder(t, got, "Article 5", "Article 5a", "Article 5a point (h)", "Article 5a point (h)(i)", "Article 5a point (h)(iii)",
					"Article 5a point (i)", "Article 5a point (i)(i)", "Article 5a point (i)(ii)", "Article 5a point (k)", "Article 5a point (l)", "Annex III")
				if p := provision(t, got, "Article 5a"); p.Heading != "Tasks of the Office" || p.Text != "The Office shall:" || parentPath(got, p.Path) != "Title II" {
					t.Errorf("Article 5a = %+v", p)
				}
			},
		},
		{
			name: "replacement without sub-structure keeps children",
			am:   redline.Amendment{Number: 1, Target: "Article 5 – paragraph 1 – point d", Op: redline.OpReplace, Original: "the use of systems", Text: "the use of AI systems"},
			check: func(t *testing.T, got *redline.Document) {
				if got.Find("Article 5(1)(d)(iii)") < 0 {
					t.Error("children of (d) dropped")
				}
			},
		},
		{
			name: "deleted division keeps its articles",
			am:   redline.Amendment{Number: 1, Target: "Title I", Op: redline.OpDelete},
			check: func(t *testing.T, got *redline.Document) {
				if got.Find("Title I") >= 0 {
					t.Error("Title I kept")
				}
				if pp := parentPath(got, "Article 3"); pp != "" {
					t.Errorf("Article 3 under %q, want top level", pp)
				}
				assertOrder(t, got, "recital 13", "Article 3", "Article 4", "Title II")
			},
		},
		{
			name: "deleted annex goes with its points",
			am:   redline.Amendment{Number: 1, Target: "Annex III", Op: redline.OpDelete},
			check: func(t *testing.T, got *redline.Document) {
				if got.Find("Annex III point 1(a)") >= 0 || got.Find("Annex III") >= 0 {
					t.Errorf("Annex III kept: %q", paths(got))
				}
			},
		},
		{
			name: "article without numbered paragraphs",
			am:   redline.Amendment{Number: 1, Target: "Article 4 – paragraph 2 (new)", Op: redline.OpInsert, Text: "The Commission shall consult stakeholders."},
			check: func(t *testing.T, got *redline.Document) {
				if p := provision(t, got, "Article 4 subparagraph 2"); p.Kind != redline.ProvSubparagraph || parentPath(got, p.Path) != "Article 4" {
					t.Errorf("Article 4 subparagraph 2 = %+v", p)
				}
			},
		},
		{
			name: "article paragraph 1 is the article text",
			am:   redline.Amendment{Number: 1, Target: "Article 4 – paragraph 1", Op: redline.OpReplace, Text: "The Commission shall not adopt delegated acts."},
			check: func(t *testing.T, got *redline.Document) {
				if p := provision(t, got, "Article 4"); p.Text != "The Commission shall not adopt delegated acts." || p.Heading != "Amendments to Annex I" {
					t.Errorf("Article 4 = %+v", p)
				}
			},
		},
		{
			name: "section title above an article",
			am:   redline.Amendment{Number: 1, Target: "Article 5 – Title II – title", Op: redline.OpReplace, Text: "Title\nTITLE II: BANNED PRACTICES"},
			check: func(t *testing.T, got *redline.Document) {
				if h := provision(t, got, "Title II").Heading; h != "BANNED PRACTICES" {
					t.Errorf("Title II heading %q", h)
				}
			},
		},
		{
			name: "deleted chapeau keeps the points",
			am:   redline.Amendment{Number: 1, Target: "Article 5 – paragraph 1 – introductory part", Op: redline.OpDelete},
			check: func(t *testing.T, got *redline.Document) {
				if p := provision(t, got, "Article 5(1)"); p.Text != "" || got.Find("Article 5(1)(a)") < 0 {
					t.Errorf("Article 5(1) = %+v", p)
				}
			},
		},
		{
			name: "EP counts subparagraphs after the first",
			am:   redline.Amendment{Number: 1, Target: "Article 5 – paragraph 2 – subparagraph 1", Op: redline.OpReplace, Original: "In addition, the use of ‘real-time’ remote biometric identification systems shall comply with necessary and proportionate safeguards.", Text: "In addition, such use shall be banned."},
			check: func(t *testing.T, got *redline.Document) {
				if p := provision(t, got, "Article 5(2) subparagraph 2"); p.Text != "In addition, such use shall be banned." {
					t.Errorf("subparagraph 2 = %q", p.Text)
				}
				sameAsBase(t, baseProposal(), got, "Article 5(2)")
			},
		},
		{
			name: "first subparagraph with points keeps the later subparagraphs",
			am:   redline.Amendment{Number: 1, Target: "Article 5 – paragraph 2 – subparagraph 1", Op: redline.OpReplace, Original: "The use of ‘real-time’ remote biometric identification systems in publicly accessible spaces for the purpose of law enforcement shall take into account the following elements:", Text: "The use of such systems shall take into account:\n(a) the nature of the situation;"},
			check: func(t *testing.T, got *redline.Document) {
				assertOrder(t, got, "Article 5(2)", "Article 5(2)(a)", "Article 5(2) subparagraph 2", "Article 5(2) subparagraph 3")
				sameAsBase(t, baseProposal(), got, "Article 5(2) subparagraph 3")
			},
		},
		{
			name: "target unreadable but path given",
			am:   redline.Amendment{Number: 1, Target: "Recital twelve", Path: "recital 12", Op: redline.OpReplace, Text: "Replaced."},
			check: func(t *testing.T, got *redline.Document) {
				if p := provision(t, got, "recital 12"); p.Text != "Replaced." {
					t.Errorf("recital 12 = %q", p.Text)
				}
			},
		},
		{
			name: "new article before all others",
			am:   redline.Amendment{Number: 1, Target: "Article 1 a (new)", Op: redline.OpInsert, Text: "Subject matter\nThis Regulation lays down rules."},
			check: func(t *testing.T, got *redline.Document) {
				assertOrder(t, got, "Title I", "Article 1a", "Article 3")
				if p := provision(t, got, "Article 1a"); p.Heading != "Subject matter" || p.Text != "This Regulation lays down rules." {
					t.Errorf("Article 1a = %+v", p)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, rep := amend.Apply(baseProposal(), []redline.Amendment{tc.am})
			if rep.Applied != 1 || len(rep.Unplaced) != 0 {
				t.Fatalf("report %+v", rep)
			}
			checkTree(t, got)
			tc.check(t, got)
		})
	}
}

func TestApplyNilAndEmpty(t *testing.T) {
	got, rep := amend.Apply(nil, []redline.Amendment{{Number: 1, Target: "Recital 1", Op: redline.OpReplace, Text: "x"}})
	if len(got.Provisions) != 0 || rep.Applied != 0 || len(rep.Unplaced) != 1 || !strings.Contains(rep.Unplaced[0].Reason, "recital 1") {
		t.Errorf("Apply(nil) = %+v, %+v", got, rep)
	}
	base := baseProposal()
	got, rep = amend.Apply(base, nil)
	if rep.Applied != 0 || !reflect.DeepEqual(got.Provisions, base.Provisions) {
		t.Error("Apply without amendments changed the document")
	}
}
