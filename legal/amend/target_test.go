package amend_test

import (
	"testing"

	"github.com/redline-watch/redline/legal/amend"
)

func TestTargetPath(t *testing.T) {
	tests := []struct {
		name   string
		target string
		path   string
		isNew  bool
	}{
		{"roman point", "Article 5 – paragraph 1 – point d – point i", "Article 5(1)(d)(i)", false},
		{"introductory part", "Article 5 – paragraph 1 – point d – introductory part", "Article 5(1)(d)", false},
		{"new recital", "Recital 12 a (new)", "recital 12a", true},
		{"recital", "Recital 1", "recital 1", false},
		{"new citation", "Citation 4 a (new)", "citation 4a", true},
		{"annex point", "Annex III – paragraph 1 – point 1 – point a", "Annex III point 1(a)", false},
		{"new annex point", "Annex III – paragraph 1 – point 8 – point a a (new)", "Annex III point 8(aa)", true},
		{"annex chapeau", "Annex III – paragraph 1 – introductory part", "Annex III subparagraph 1", false},
		{"annex decimal point", "Annex VII – point 4 – point 4.5", "Annex VII point 4.5", false},
		{"annex point without paragraph", "Annex VIII – point 4 a (new)", "Annex VIII point 4a", true},
		{"new annex section", "ANNEX VIII – SECTION B (new)", "Annex VIII Section B", true},
		{"whole annex", "Annex I", "Annex I", false},
		{"definition", "Article 3 – paragraph 1 – point 44 a (new)", "Article 3 point (44a)", true},
		{"definition chapeau", "Article 3 – paragraph 1 – point 44 – introductory part", "Article 3 point (44)", false},
		{"new article", "Article 4 a (new)", "Article 4a", true},
		{"minus article", "Article - 57 a (new)", "Article -57a", true},
		{"article title", "Article 13 – title", "Article 13", false},
		{"new paragraph", "Article 5 – paragraph 1 a (new)", "Article 5(1a)", true},
		{"new point", "Article 5 – paragraph 1 – point d a (new)", "Article 5(1)(da)", true},
		{"first subparagraph point", "Article 9 – paragraph 4 – subparagraph 1 – point a", "Article 9(4)(a)", false},
		{"second subparagraph", "Article 9 – paragraph 4 – subparagraph 2", "Article 9(4) subparagraph 2", false},
		{"point of second subparagraph", "Article 9 – paragraph 4 – subparagraph 2 – point a", "Article 9(4) subparagraph 2(a)", false},
		{"trailing dash", "Article 7 – paragraph 2 – point h –", "Article 7(2)(h)", false},
		{"hyphen separators", "Article 5 - paragraph 1 - point h", "Article 5(1)(h)", false},
		{"title division", "Title IV", "Title IV", false},
		{"chapter title", "Title III – Chapter 3 – title", "Title III Chapter 3", false},
		{"section under article", "Article 56 – SECTION 1 – Title", "Section 1", false},
		{"new chapter under article", "Article 68 – Chapter 3a (new)", "Chapter 3a", true},
		{"new title", "Title I a (new)", "Title Ia", true},
		{"whole article", "Article 4", "Article 4", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path, isNew, err := amend.TargetPath(tc.target)
			if err != nil {
				t.Fatalf("TargetPath(%q): %v", tc.target, err)
			}
			if path != tc.path || isNew != tc.isNew {
				t.Errorf("TargetPath(%q) = %q, %v; want %q, %v", tc.target, path, isNew, tc.path, tc.isNew)
			}
		})
	}
}

func TestTargetPathErrors(t *testing.T) {
	tests := []struct{ name, target string }{
		{"empty", "  "},
		{"only dashes", "– –"},
		{"unknown word", "Article 5 – indent 2"},
		{"starts with a point", "point a"},
		{"recital with a point", "Recital 12 – point a"},
		{"paragraph after point", "Article 5 – point a – paragraph 2"},
		{"bad label", "Article 5 – paragraph 1!"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if path, _, err := amend.TargetPath(tc.target); err == nil {
				t.Errorf("TargetPath(%q) = %q, want an error", tc.target, path)
			}
		})
	}
}

func TestTargetOfIsTheInverseOfTargetPath(t *testing.T) {
	for _, path := range []string{
		"Article 5", "Article 4a", "Article 5(1)", "Article 5(1a)", "Article 5(1)(ba)", "Article 5(1)(d)(i)",
		"Article 113 subparagraph 2", "Article 9(4) subparagraph 2", "Article 3 point (44a)",
		"Annex III", "Annex III point 1(a)", "Annex VIII point 4a", "Annex VII point 4.5",
		"recital 12a", "citation 4", "Annex VIII Section B point 9",
	} {
		target := amend.TargetOf(path)
		got, _, err := amend.TargetPath(target)
		if err != nil || got != path {
			t.Errorf("TargetOf(%q) = %q, read back as %q (%v)", path, target, got, err)
		}
	}
	if got := amend.TargetOf("memorandum 3"); got != "memorandum 3" {
		t.Errorf("unreadable path came back as %q", got)
	}
}
