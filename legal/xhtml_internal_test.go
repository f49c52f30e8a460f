package legal

import (
	"strings"
	"testing"
)

func TestCleanText(t *testing.T) {
	cases := []struct {
		name, in, want string
		markers        []string
	}{
		{"oj call before comma", "Economic and Social Committee \x00,", "Economic and Social Committee,", nil},
		{"oj call glued to word", "of the Council\x00, when", "of the Council, when", nil},
		{"consolidated call in brackets", "Regulation (EU) No 1025/2012 (\x00) and more.", "Regulation (EU) No 1025/2012 and more.", nil},
		{"call at end", "European Central Bank \x00\n   ", "European Central Bank", nil},
		{"call between words", "Regulation\x00 applies", "Regulation applies", nil},
		{"inline markers", "►M1 the new wording ◄ stays", "the new wording stays", []string{"M1"}},
		{"block marker only", " ▼B ", "", []string{"B"}},
		{"no-break spaces", "1.\u00a0\u00a0\u00a0The following", "1. The following", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, markers := cleanText(c.in)
			if got != c.want || strings.Join(markers, " ") != strings.Join(c.markers, " ") {
				t.Errorf("cleanText(%q) = %q %q, want %q %q", c.in, got, markers, c.want, c.markers)
			}
		})
	}
}

func TestCleanLabel(t *testing.T) {
	cases := map[string]string{
		"(a)": "a", "1.": "1", "‘(ba)": "ba", "3.1.": "3.1", "(iii)": "iii", "b bis)": "bbis", "(12a)": "12a", "“14 bis)": "14bis", "—": "—",
	}
	for in, want := range cases {
		if got := cleanLabel(in); got != want {
			t.Errorf("cleanLabel(%q) = %q, want %q", in, got, want)
		}
	}
	for _, s := range []string{"(a)", "1.", "‘(ba)", "3.1.", "(iii)", "—", "a)", "(12a)", "A."} {
		if !isLabel(s) {
			t.Errorf("isLabel(%q) = false", s)
		}
	}
	for _, s := range []string{"", "Article 5", "the placing on the market", "(a) text"} {
		if isLabel(s) {
			t.Errorf("isLabel(%q) = true", s)
		}
	}
}

func TestSuccessor(t *testing.T) {
	for in, want := range map[string]string{"1": "2", "a": "b", "ii": "iii", "iv": "v", "z": "z'"} {
		if got := successor(in); got != want {
			t.Errorf("successor(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseInstruction(t *testing.T) {
	cases := []struct {
		name, base, text string
		op               instrOp
		act, object      string
		targets          []string
	}{
		{"context", "", "Article 5 is amended as follows:", opContext, "", "", []string{"Article 5"}},
		{"act context", "", "Regulation (EU) 2024/1689 is amended as follows:", opContext, "Regulation (EU) 2024/1689", "", []string{""}},
		{"insert points", "Article 5", "in paragraph 1, first subparagraph, the following points are inserted:", opInsert, "", "point", []string{"Article 5(1)"}},
		{"replace paragraph", "Article 113", "paragraph 3 is replaced by the following:", opReplace, "", "", []string{"Article 113(3)"}},
		{"delete point", "Article 5(1)", "point (c) is deleted;", opDelete, "", "", []string{"Article 5(1)(c)"}},
		{"delete points", "Article 5(1)", "points (c) and (d) are deleted;", opDelete, "", "", []string{"Article 5(1)(c)", "Article 5(1)(d)"}},
		{"definition", "", "in Article 3, point (14) is replaced by the following:", opReplace, "", "", []string{"Article 3 point (14)"}},
		{"numbered definition", "", "in Article 3, point 14 is replaced by the following:", opReplace, "", "", []string{"Article 3 point (14)"}},
		{"second subparagraph", "", "in Article 11(1), the second subparagraph is replaced by the following:", opReplace, "", "", []string{"Article 11(1) subparagraph 2"}},
		{"annex point", "", "in Annex VIII, Section B, point 7 is deleted;", opDelete, "", "", []string{"Annex VIII Section B point 7"}},
		{"after clause", "Article 10", "in paragraph 2, after point (b), the following point is inserted:", opInsert, "", "point", []string{"Article 10(2)"}},
		{"other act", "", "In Article 4(3) of Regulation (EC) No 300/2008, the following subparagraph is added:", opInsert, "Regulation (EC) No 300/2008", "subparagraph", []string{"Article 4(3)"}},
		{"sub-point", "", "in Article 5(1), point (h)(iii) is replaced by the following:", opReplace, "", "", []string{"Article 5(1)(h)(iii)"}},
		{"no instruction", "", "This Regulation shall apply from 2 August 2026.", opNone, "", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := parseInstruction(c.text)
			if in.op != c.op || in.act != c.act || in.object != c.object {
				t.Fatalf("op/act/object = %d %q %q, want %d %q %q", in.op, in.act, in.object, c.op, c.act, c.object)
			}
			if c.op == opNone {
				return
			}
			if got := resolve(c.base, in.refs); strings.Join(got, "|") != strings.Join(c.targets, "|") {
				t.Errorf("targets = %q, want %q", got, c.targets)
			}
		})
	}
}

func TestChildPath(t *testing.T) {
	cases := []struct{ path, object, label, want string }{
		{"Article 5(1)", "point", "ba", "Article 5(1)(ba)"},
		{"Article 3", "point", "14a", "Article 3 point (14a)"},
		{"Article 5", "paragraph", "1a", "Article 5(1a)"},
		{"", "article", "4a", "Article 4a"},
		{"Annex III", "point", "9", "Annex III point 9"},
		{"Annex III point 1", "point", "d", "Annex III point 1(d)"},
		{"Annex VIII", "section", "D", "Annex VIII Section D"},
	}
	for _, c := range cases {
		if got := childPath(c.path, c.object, c.label); got != c.want {
			t.Errorf("childPath(%q, %q, %q) = %q, want %q", c.path, c.object, c.label, got, c.want)
		}
	}
}

func TestArticleLabel(t *testing.T) {
	cases := []struct{ in, label, heading string }{
		{"Article 5", "5", ""},
		{"Article 4a", "4a", ""},
		{"Article 4 bis", "4 bis", ""},
		{"Article 5 Prohibited AI practices", "5", "Prohibited AI practices"},
		{"ARTICLE 113", "113", ""},
	}
	for _, c := range cases {
		m := articleRE.FindStringSubmatch(c.in)
		if m == nil || m[1] != c.label || m[2] != c.heading {
			t.Errorf("articleRE(%q) = %q, want label %q heading %q", c.in, m, c.label, c.heading)
		}
	}
}
