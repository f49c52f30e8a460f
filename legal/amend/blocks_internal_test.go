package amend

import (
	"reflect"
	"testing"
)

func TestParseLabel(t *testing.T) {
	tests := []struct {
		in, label, rest string
		style           int
	}{
		{"(d) the use of", "d", "the use of", styleParen},
		{"(b a) the placing", "ba", "the placing", styleParen},
		{"(44 a) ‘deployer’", "44a", "‘deployer’", styleParen},
		{"(iii) the detection", "iii", "the detection", styleParen},
		{"(12) In light of", "12", "In light of", styleParen},
		{"a) ‘human agency’", "a", "‘human agency’", styleLetter},
		{"1. All operators", "1", "All operators", styleNumDot},
		{"1 a. The providers", "1a", "The providers", styleNumDot},
		{"4.5. Where necessary", "4.5", "Where necessary", styleNumDot},
		{"a. the distributors;", "a", "the distributors;", styleLetterDot},
		{"(c)   deleted", "c", "deleted", styleParen},
		{"p. 39).", "", "p. 39).", styleNone},
		{"(EU) 2016/679 of the", "", "(EU) 2016/679 of the", styleNone},
		{"2016/679 of the", "", "2016/679 of the", styleNone},
		{"Article 5", "", "Article 5", styleNone},
	}
	for _, tc := range tests {
		label, rest, style := parseLabel(tc.in)
		if label != tc.label || rest != tc.rest || style != tc.style {
			t.Errorf("parseLabel(%q) = %q, %q, %d; want %q, %q, %d", tc.in, label, rest, style, tc.label, tc.rest, tc.style)
		}
	}
}

func TestLabelLess(t *testing.T) {
	tests := []struct {
		a, b  string
		roman bool
		want  bool
	}{
		{"12", "12a", false, true},
		{"12a", "12b", false, true},
		{"12b", "13", false, true},
		{"13", "12a", false, false},
		{"56c", "-57a", false, true},
		{"-57a", "57", false, true},
		{"d", "da", false, true},
		{"db", "e", false, true},
		{"ix", "x", true, true},
		{"iv", "v", true, true},
		{"4", "4.5", false, true},
		{"4.5", "5", false, true},
	}
	for _, tc := range tests {
		if got := labelLess(tc.a, tc.b, tc.roman); got != tc.want {
			t.Errorf("labelLess(%q, %q, %v) = %v, want %v", tc.a, tc.b, tc.roman, got, tc.want)
		}
	}
}

func lines(ls ...cellLine) []cellLine {
	for i := range ls {
		if ls[i].width == 0 {
			ls[i].width = 40
		}
	}
	return ls
}

func TestBlocks(t *testing.T) {
	tests := []struct {
		name string
		in   []cellLine
		want []string
	}{
		{
			name: "points start blocks",
			in: lines(cellLine{text: "(d) the use of systems, except:"}, cellLine{text: "(i) the targeted search for"},
				cellLine{text: "victims;"}, cellLine{text: "(ii) the prevention."}),
			want: []string{"(d) the use of systems, except:", "(i) the targeted search for victims;", "(ii) the prevention."},
		},
		{
			name: "a reference does not start a point",
			in:   lines(cellLine{text: "as referred to in Article 15"}, cellLine{text: "(1a) and the AI Office shall"}, cellLine{text: "referred to in point"}, cellLine{text: "(a) of paragraph 1."}),
			want: []string{"as referred to in Article 15 (1a) and the AI Office shall referred to in point (a) of paragraph 1."},
		},
		{
			name: "a blank line after a full stop ends a block",
			in:   lines(cellLine{text: "First sentence."}, cellLine{text: "Second", blankBefore: true}, cellLine{text: "goes on", blankBefore: true}),
			want: []string{"First sentence.", "Second goes on"},
		},
		{
			name: "hyphen at a line end is kept and joined",
			in:   lines(cellLine{text: "free movement of AI-"}, cellLine{text: "based goods"}),
			want: []string{"free movement of AI-based goods"},
		},
		{
			name: "article heading and centred title",
			in: lines(cellLine{text: "Article 4 a", indent: 14}, cellLine{text: "General principles applicable to all AI", indent: 1},
				cellLine{text: "systems", indent: 16}, cellLine{text: "1. All operators shall"}, cellLine{text: "comply."}),
			want: []string{"Article 4 a", "General principles applicable to all AI systems", "1. All operators shall comply."},
		},
		{
			name: "title ends before a capitalised body",
			in:   lines(cellLine{text: "Article 56 a", indent: 14}, cellLine{text: "Structure", indent: 15}, cellLine{text: "The structure of the AI Office shall"}, cellLine{text: "comprise:"}),
			want: []string{"Article 56 a", "Structure", "The structure of the AI Office shall comprise:"},
		},
		{
			name: "footnotes and their calls are dropped",
			in: lines(cellLine{text: "Council Framework Decision", page: 1}, cellLine{text: "2002/584/JHA62 and punishable.", page: 1},
				cellLine{text: "__________________", page: 1}, cellLine{text: "62 Council Framework Decision", page: 1},
				cellLine{text: "of 13 June 2002.", page: 1}, cellLine{text: "Continued on the next page.", page: 2}),
			want: []string{"Council Framework Decision 2002/584/JHA and punishable. Continued on the next page."},
		},
		{
			name: "change markers are removed",
			in:   lines(cellLine{text: "the ▌use of ◄systems►"}),
			want: []string{"the use of systems"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := blocks(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("blocks =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestColumnText(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"(d) the use of"}, "the use of"},
		{[]string{"Article 4 a", "AI literacy", "1. Providers shall"}, "AI literacy\n1. Providers shall"},
		{[]string{"(1a) This Regulation", "(a) first"}, "This Regulation\n(a) first"},
		{nil, ""},
	}
	for _, tc := range tests {
		if got := columnText(tc.in); got != tc.want {
			t.Errorf("columnText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
