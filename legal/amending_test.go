package legal_test

import (
	"strings"
	"testing"

	"github.com/redline-watch/redline"
)

func TestAmendingActModifications(t *testing.T) {
	d := parseFixture(t, "oj-amending.html")
	const ai = "Regulation (EU) 2024/1689"
	want := []struct {
		point, act, path string
		op               redline.AmendOp
		text             string // prefix, one line per quoted block; "" means empty
	}{
		{"Article 1 point (5)", ai, "Article 4", redline.OpReplace, "AI literacy\n1. Providers and deployers of AI systems shall take measures to support"},
		{"Article 1 point (6)", ai, "Article 4a", redline.OpInsert, "Processing of special categories of personal data for bias detection and correction\n1. To the extent necessary"},
		{"Article 1 point (7)(a)", ai, "Article 5(1)(ba)", redline.OpInsert, "the placing on the market, the putting into service or the use of an AI system that generates or manipulates realistic images"},
		{"Article 1 point (7)(a)", ai, "Article 5(1)(bb)", redline.OpInsert, "the placing on the market, the putting into service or the use of an AI system that generates or manipulates child sexual abuse material;"},
		{"Article 1 point (7)(b)", ai, "Article 5(1a)", redline.OpInsert, "For the purposes of paragraph 1, first subparagraph, points (ba) and (bb):\n(a) the placing on the market or the putting into service of an AI system shall be prohibited only where"},
		{"Article 1 point (7)(b)", ai, "Article 5(1b)", redline.OpInsert, "For the purposes of paragraph 1, first subparagraph, point (ba), an AI system"},
		{"Article 1 point (40)", ai, "Article 113 subparagraph 2", redline.OpReplace, "It shall apply from 2 August 2026, with the exception of Article 5(1), first subparagraph, points (ba) and (bb), and Article 5(1a) and (1b), which shall apply from 2 December 2026."},
		{"Article 1 point (42)(a)", ai, "Annex VIII Section B point 7", redline.OpDelete, ""},
		{"Article 1 point (42)(a)", ai, "Annex VIII Section B point 9", redline.OpDelete, ""},
		{"Article 1 point (42)(b)", ai, "Annex VIII Section C point 5", redline.OpReplace, "A summary of the data protection impact assessment"},
		{"Article 2", "Regulation (EU) 2018/1139", "Article 17(3)", redline.OpDelete, ""},
	}
	if len(d.Modifications) != len(want) {
		t.Fatalf("got %d modifications, want %d: %+v", len(d.Modifications), len(want), d.Modifications)
	}
	for i, w := range want {
		m := d.Modifications[i]
		if m.Point != w.point || m.Act != w.act || m.Path != w.path || m.Op != w.op {
			t.Errorf("modification %d = %s %s %s %s, want %s %s %s %s", i, m.Point, m.Act, m.Op, m.Path, w.point, w.act, w.op, w.path)
		}
		if !strings.HasPrefix(m.Text, w.text) || (w.text == "" && m.Text != "") {
			t.Errorf("modification %d text = %.150q, want prefix %q", i, m.Text, w.text)
		}
		if strings.ContainsAny(m.Text, "‘’\u00a0") && !strings.Contains(m.Text, "person’s") {
			t.Errorf("modification %d text keeps quote marks: %q", i, m.Text)
		}
		if d.Find(m.Point) < 0 {
			t.Errorf("modification %d: point %q is not a provision of the amending act", i, m.Point)
		}
	}
}

// Quoted wording belongs to the amended act: it must not become articles,
// paragraphs or points of the amending act itself.
func TestAmendingActQuotesAreNotStructure(t *testing.T) {
	d := parseFixture(t, "oj-amending.html")
	for _, p := range []string{"Article 4", "Article 4a", "Article 5(1a)", "Article 1 point (7)(a)(ba)", "Article 1 point (6)(a)", "Article 1(1)"} {
		if d.Find(p) >= 0 {
			t.Errorf("quoted text became provision %s", p)
		}
	}
	var articles []string
	for _, p := range d.Provisions {
		if p.Kind == redline.ProvArticle {
			articles = append(articles, p.Path)
		}
	}
	if got := strings.Join(articles, ", "); got != "Article 1, Article 2, Article 3" {
		t.Errorf("articles = %s", got)
	}
	q := provision(t, d, "Article 1 point (7)(a) subparagraph 2")
	if !strings.HasPrefix(q.Text, "‘(ba) the placing on the market") || !strings.HasSuffix(q.Text, "child sexual abuse material;’") {
		t.Errorf("quoted points text = %q", q.Text)
	}
	if d.Kind != redline.DocAmendingAct {
		t.Errorf("kind = %s", d.Kind)
	}
	if got := strings.Join(d.Identifiers, ", "); got != "(EU) 2026/1744, http://data.europa.eu/eli/reg/2026/1744/oj" {
		t.Errorf("identifiers = %s", got)
	}
}
