package coverage_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/coverage"
	"github.com/redline-watch/redline/legal/amend"
)

// banArticle is an Article 5 in the shape of the AI Act: a chapeau, points,
// and later paragraphs.
func banArticle(points []node, later ...node) node {
	return n("Article 5", "Prohibited practices", "",
		append([]node{n("Article 5(1)", "", "The following AI practices shall be prohibited:", points...)}, later...)...)
}

// Trap: a plain matcher reads real-time RBI as an outright ban, because the
// carve-out sits in a later paragraph that refers back to the point.
func TestCarveOutInLaterParagraph(t *testing.T) {
	d := doc(banArticle(
		[]node{
			n("Article 5(1)(a)", "", "the use of AI systems that deploy subliminal techniques;"),
			n("Article 5(1)(b)", "", "the use of AI systems for the social scoring of natural persons;"),
			n("Article 5(1)(c)", "", "the use of real-time remote biometric identification systems in publicly accessible spaces;"),
		},
		n("Article 5(2)", "", "By way of derogation from paragraph 1, point (c), Member States may authorise the use of such systems to search for missing children."),
	))
	lvl, ev := provisionLevel(t, d, "biometric-mass-surveillance", "Article 5(1)(c)")
	if lvl != coverage.ProhibitedWithExceptions {
		t.Fatalf("Article 5(1)(c): %s, want prohibited_with_exceptions", lvl)
	}
	if len(ev.Exceptions) != 1 || !strings.HasPrefix(ev.Exceptions[0], "Article 5(2): ") || !strings.Contains(ev.Exceptions[0], "By way of derogation") {
		t.Errorf("exceptions %q, want the quote of Article 5(2)", ev.Exceptions)
	}
	// The carve-out names point (c) only: point (b) stays an outright ban.
	if got := levels(t, d)["social-scoring"]; got != coverage.Prohibited {
		t.Errorf("social scoring: %s, want prohibited", got)
	}
}

// Trap: "prohibited" must not bleed from one point into its neighbours, in
// either direction: a carve-out in one point does not weaken the next, and
// the chapeau's ban does not reach a subparagraph after the points.
func TestNoBleedingBetweenPoints(t *testing.T) {
	d := doc(
		banArticle([]node{
			n("Article 5(1)(a)", "", "the use of real-time remote biometric identification systems in publicly accessible spaces, unless strictly necessary for the search for missing children;"),
			n("Article 5(1)(b)", "", "the use of AI systems to infer emotions of a natural person;"),
			n("Article 5(1)(c)", "", "the use of AI systems that deploy subliminal techniques;"),
			n("Article 5(1) subparagraph 2", "", "Point (c) is without prejudice to the rules on transparency of systems that exploit the vulnerabilities of persons in Article 52."),
		}),
		n("Article 52", "Transparency obligations", "", n("Article 52(1)", "", "Users of an emotion recognition system shall inform the natural persons exposed thereto.")),
	)
	got := levels(t, d)
	want := map[string]coverage.Level{
		"biometric-mass-surveillance": coverage.ProhibitedWithExceptions,
		"sensitive-inferences":        coverage.Prohibited,
		"behavioural-manipulation":    coverage.Prohibited,
		"social-scoring":              coverage.Absent,
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %s, want %s", id, got[id], w)
		}
	}
	if lvl, _ := provisionLevel(t, d, "behavioural-manipulation", "Article 5(1) subparagraph 2"); lvl != coverage.Restricted {
		t.Errorf("subparagraph after the points: %q, want restricted (not under the chapeau)", lvl)
	}
	if lvl, _ := provisionLevel(t, d, "sensitive-inferences", "Article 52(1)"); lvl != coverage.Restricted {
		t.Errorf("Article 52(1): %q, want restricted", lvl)
	}
}

// Trap: an Annex III listing is a binding high-risk classification, not a
// mention; its points often name the practice only together with the
// heading of their area.
func TestAnnexListingIsRestricted(t *testing.T) {
	d := doc(
		n("recital 39", "", "AI systems used in migration, asylum and border control management as polygraphs should be classified as high-risk."),
		n("Annex III", "HIGH-RISK AI SYSTEMS", "",
			n("Annex III subparagraph 1", "", "High-risk AI systems are the AI systems listed in any of the following areas:"),
			n("Annex III point 7", "", "Migration, asylum and border control management:",
				n("Annex III point 7(a)", "", "AI systems intended to be used by competent public authorities as polygraphs and similar tools;"),
				n("Annex III point 7(b)", "", "AI systems intended to be used for the verification of travel documents;"),
			),
		),
	)
	res, _ := coverage.Evaluate(defaultSet(t), d).Result("border-migration")
	if res.Level != coverage.Restricted || res.Verdict != coverage.Partial {
		t.Fatalf("border-migration: %s/%s, want restricted/partial", res.Level, res.Verdict)
	}
	if len(res.Evidence) != 1 || res.Evidence[0].Provision != "Annex III point 7(a)" {
		t.Errorf("evidence %+v, want Annex III point 7(a) only", res.Evidence)
	}
	// The area heading alone names the subject but no use: a near miss,
	// and it does not make point (b) match.
	ex, err := coverage.Explain(defaultSet(t), "border-migration", d)
	if err != nil {
		t.Fatal(err)
	}
	var matched, near []string
	for _, m := range ex.Matches {
		matched = append(matched, m.Provision)
	}
	for _, m := range ex.NearMisses {
		near = append(near, m.Provision)
		if len(m.Missing) == 0 || !m.Near {
			t.Errorf("near miss %s lacks its missing groups", m.Provision)
		}
	}
	if !slices.Equal(matched, []string{"recital 39", "Annex III point 7(a)"}) {
		t.Errorf("matches %q", matched)
	}
	if !slices.Equal(near, []string{"Annex III point 7"}) {
		t.Errorf("near misses %q, want [Annex III point 7]", near)
	}
}

// Trap: Parliament amendments read alone are judged without the chapeau and
// paragraphs they amend; applied to the proposal they give the real text.
func TestAmendmentsAreJudgedOnTheAmendedText(t *testing.T) {
	prop := doc(
		n("recital 18", "", "The use of real-time remote biometric identification systems in publicly accessible spaces is particularly intrusive."),
		banArticle(
			[]node{
				n("Article 5(1)(a)", "", "the use of AI systems that deploy subliminal techniques;"),
				n("Article 5(1)(d)", "", "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces for the purpose of law enforcement, unless and in as far as such use is strictly necessary for one of the following objectives:",
					n("Article 5(1)(d)(i)", "", "the targeted search for specific potential victims of crime;")),
			},
			n("Article 5(2)", "", "The use of ‘real-time’ remote biometric identification systems for any of the objectives referred to in paragraph 1 point d) shall be subject to a prior authorisation."),
		),
	)
	prop.Kind = redline.DocProposal
	ams := []redline.Amendment{
		{Number: 220, Target: "Article 5 – paragraph 1 – point d – introductory part", Path: "Article 5(1)(d)", Op: redline.OpReplace,
			Text: "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces;"},
		{Number: 221, Target: "Article 5 – paragraph 1 – point d – point i", Path: "Article 5(1)(d)(i)", Op: redline.OpDelete},
		{Number: 229, Target: "Article 5 – paragraph 2", Path: "Article 5(2)", Op: redline.OpDelete},
	}
	const id = "biometric-mass-surveillance"

	if got := levels(t, prop)[id]; got != coverage.ProhibitedWithExceptions {
		t.Errorf("proposal: %s, want prohibited_with_exceptions", got)
	}

	// The amendments document alone: nothing to judge, and a note says why.
	ep := &redline.Document{Kind: redline.DocAmendments, Amendments: ams}
	rep := coverage.Evaluate(defaultSet(t), ep)
	if res, _ := rep.Result(id); res.Level != coverage.Absent || rep.Note == "" {
		t.Errorf("unapplied amendments: %s, note %q; want absent with a note", res.Level, rep.Note)
	}
	// What a plain matcher sees: the amended point's words without their
	// chapeau are no ban at all.
	alone := doc(n("Article 5(1)(d)", "", ams[0].Text))
	if got := levels(t, alone)[id]; got == coverage.Prohibited {
		t.Errorf("amendment text alone judged %s", got)
	}

	applied, ar := amend.Apply(prop, ams)
	if ar.Applied != len(ams) {
		t.Fatalf("amend.Apply placed %d of %d: %+v", ar.Applied, len(ams), ar.Unplaced)
	}
	if got := levels(t, applied)[id]; got != coverage.Prohibited {
		t.Errorf("amended proposal: %s, want prohibited", got)
	}
}

// A ban of only part of the practice is a ban with exceptions.
func TestPartialBan(t *testing.T) {
	d := doc(banArticle([]node{
		n("Article 5(1)(d)", "", "the use of an AI system for making risk assessments of natural persons in order to predict the risk of a natural person committing a criminal offence, based solely on the profiling of a natural person;"),
		n("Article 5(1)(e)", "", "the use of AI systems by public authorities for the evaluation of natural persons based on their social behaviour;"),
	}))
	for _, tt := range []struct{ demand, path, word string }{
		{"predictive-policing", "Article 5(1)(d)", "solely"},
		{"social-scoring", "Article 5(1)(e)", "by public authorities"},
	} {
		lvl, ev := provisionLevel(t, d, tt.demand, tt.path)
		if lvl != coverage.ProhibitedWithExceptions {
			t.Errorf("%s: %s, want prohibited_with_exceptions", tt.demand, lvl)
			continue
		}
		if len(ev.Exceptions) == 0 || !strings.Contains(ev.Exceptions[0], tt.word) {
			t.Errorf("%s: exceptions %q lack %q", tt.demand, ev.Exceptions, tt.word)
		}
	}
}

// Non-binding places only mention; the free-movement clause is no ban.
func TestNonBindingAndFalseBans(t *testing.T) {
	d := doc(
		n("title", "", "Regulation on social scoring of natural persons by evaluation of their social behaviour"),
		n("memorandum 1", "", "The proposal prohibits AI systems that infer emotions."),
		n("Article 3", "Definitions", "For the purposes of this Regulation, the following definitions apply:",
			n("Article 3 point (1)", "", "‘predictive policing system’ means an AI system that predicts the likelihood of a crime;")),
		n("Article 7", "Free movement", "Member States shall not prohibit or restrict the placing on the market of biometric categorisation systems that comply with this Regulation."),
		n("footnote 1", "", "On facial recognition in public spaces see the study of the Agency."),
	)
	got := levels(t, d)
	want := map[string]coverage.Level{
		"social-scoring":              coverage.Mentioned,
		"sensitive-inferences":        coverage.Restricted,
		"predictive-policing":         coverage.Mentioned,
		"biometric-mass-surveillance": coverage.Mentioned,
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %s, want %s", id, got[id], w)
		}
	}
}

// An "Article N(1), point (x)" reference inside Article N is an internal
// reference; references to other articles are not carve-outs.
func TestReferencesRelativeToTheArticle(t *testing.T) {
	d := doc(
		banArticle([]node{
			n("Article 5(1)(a)", "", "the use of AI systems to infer emotions of a natural person;"),
			n("Article 5(1)(b)", "", "the use of biometric categorisation systems;"),
			n("Article 5(1)(c)", "", "the use of AI systems that deploy subliminal techniques;"),
		},
			n("Article 5(2)", "", "Article 5(1), points (a) and (b), shall not apply to uses authorised for medical reasons."),
			n("Article 5(3)", "", "Member States may lay down penalties for infringements of Article 6(1), point (c)."),
		),
		n("Article 6", "Other rules", "", n("Article 6(1)", "", "Other rules apply.", n("Article 6(1)(c)", "", "other rules."))),
	)
	got := levels(t, d)
	want := map[string]coverage.Level{
		"sensitive-inferences":     coverage.ProhibitedWithExceptions,
		"behavioural-manipulation": coverage.Prohibited,
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %s, want %s", id, got[id], w)
		}
	}
	for _, p := range []string{"Article 5(1)(a)", "Article 5(1)(b)"} {
		if lvl, _ := provisionLevel(t, d, "sensitive-inferences", p); lvl != coverage.ProhibitedWithExceptions {
			t.Errorf("%s: %q, want prohibited_with_exceptions", p, lvl)
		}
	}
}

func TestQuoteIsShortAndCentred(t *testing.T) {
	long := strings.Repeat("word ", 60) + "the use of emotion recognition systems " + strings.Repeat("more ", 60)
	d := doc(n("Article 9", "Uses", long))
	_, ev := provisionLevel(t, d, "sensitive-inferences", "Article 9")
	if !strings.HasPrefix(ev.Quote, "…") || !strings.HasSuffix(ev.Quote, "…") || !strings.Contains(ev.Quote, "emotion recognition") {
		t.Fatalf("quote %q", ev.Quote)
	}
	if words := len(strings.Fields(ev.Quote)); words > 40 {
		t.Errorf("quote has %d words, want at most 40", words)
	}
}

func TestVerdictFor(t *testing.T) {
	tests := []struct {
		ask   coverage.Ask
		level coverage.Level
		want  coverage.Verdict
	}{
		{coverage.AskProhibition, coverage.Prohibited, coverage.Met},
		{coverage.AskProhibition, coverage.ProhibitedWithExceptions, coverage.Partial},
		{coverage.AskProhibition, coverage.Restricted, coverage.Partial},
		{coverage.AskProhibition, coverage.Mentioned, coverage.Unmet},
		{coverage.AskProhibition, coverage.Absent, coverage.Unmet},
		{coverage.AskRestriction, coverage.Prohibited, coverage.Met},
		{coverage.AskRestriction, coverage.Restricted, coverage.Met},
		{coverage.AskRestriction, coverage.Mentioned, coverage.Unmet},
		{coverage.AskSafeguard, coverage.Restricted, coverage.Met},
		{coverage.AskSafeguard, coverage.Absent, coverage.Unmet},
		{coverage.AskInclusion, coverage.ProhibitedWithExceptions, coverage.Met},
		{coverage.AskInclusion, coverage.Mentioned, coverage.Unmet},
	}
	for _, tt := range tests {
		t.Run(string(tt.ask)+"/"+string(tt.level), func(t *testing.T) {
			if got := coverage.VerdictFor(tt.ask, tt.level); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestEvidenceIsCapped(t *testing.T) {
	var points []node
	for _, l := range "abcdefgh" {
		points = append(points, n("Annex III point 1("+string(l)+")", "", "AI systems for emotion recognition in setting "+string(l)+";"))
	}
	d := doc(n("Annex III", "High-risk", "", n("Annex III point 1", "", "Biometrics:", points...)))
	res, _ := coverage.Evaluate(defaultSet(t), d).Result("sensitive-inferences")
	if len(res.Evidence) != coverage.MaxEvidence || res.More != 8-coverage.MaxEvidence {
		t.Errorf("evidence %d + %d more, want %d + %d", len(res.Evidence), res.More, coverage.MaxEvidence, 8-coverage.MaxEvidence)
	}
	if res.Evidence[0].Provision != "Annex III point 1(a)" {
		t.Errorf("first evidence %s, want document order", res.Evidence[0].Provision)
	}
}

func TestExplainUnknownDemand(t *testing.T) {
	if _, err := coverage.Explain(defaultSet(t), "no-such-demand", doc()); err == nil || !strings.Contains(err.Error(), "no-such-demand") {
		t.Errorf("err = %v, want one naming the demand", err)
	}
}

// A damaged document (parents after their children, out of range, loops)
// is judged without panicking; such provisions count as top level.
func TestDamagedDocument(t *testing.T) {
	d := &redline.Document{Provisions: []redline.Provision{
		{Path: "Article 5(1)(a)", Kind: redline.ProvPoint, Parent: 1, Text: "the use of AI systems to infer emotions;"},
		{Path: "Article 5(1)", Kind: redline.ProvParagraph, Parent: 0, Text: "The following shall be prohibited: point (a)"},
		{Path: "Article 5(2)", Kind: redline.ProvParagraph, Parent: 99, Text: "Point (a) may be authorised for emotion recognition."},
		{Path: "Article 5(3)", Kind: redline.ProvParagraph, Parent: -7, Text: "emotion recognition"},
	}}
	got := levels(t, d)["sensitive-inferences"]
	if got != coverage.Mentioned {
		t.Errorf("sensitive-inferences: %s, want mentioned (nothing sits in an article)", got)
	}
	if rep := coverage.Evaluate(nil, nil); len(rep.Results) != 0 {
		t.Errorf("nil set: %+v", rep)
	}
}

// TestEvidenceNamedInHeadingFirst: among provisions at the result's level, the
// one whose own heading names the subject leads the evidence, whatever its
// place in the document.
func TestEvidenceNamedInHeadingFirst(t *testing.T) {
	d := doc(
		n("Article 5", "Use of identification systems", "",
			n("Article 5(2)", "", "Deployers shall complete a fundamental rights impact assessment before each use.")),
		n("Article 27", "Fundamental rights impact assessment for high-risk AI systems", "",
			n("Article 27(1)", "", "Prior to deploying a high-risk AI system, deployers shall perform an assessment of the impact on fundamental rights that the use of such system may produce.")),
	)
	res, ok := coverage.Evaluate(defaultSet(t), d).Result("fundamental-rights-impact-assessment")
	if !ok || res.Level != coverage.Restricted || len(res.Evidence) < 2 {
		t.Fatalf("result = %+v", res)
	}
	if res.Evidence[0].Provision != "Article 27" {
		t.Errorf("first evidence = %s, want Article 27 (its heading names the subject); all: %+v", res.Evidence[0].Provision, res.Evidence)
	}
}
