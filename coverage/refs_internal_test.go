package coverage

import (
	"fmt"
	"slices"
	"testing"

	"github.com/redline-watch/redline"
)

func TestRefs(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // "para/point"
	}{
		{"paragraph, subparagraph and point", "the objectives referred to in paragraph 1, first subparagraph, point (h), shall", []string{"1/h"}},
		{"typo without opening bracket", "referred to in paragraph 1 point d) shall take into account", []string{"1/d"}},
		{"point list then more paragraphs", "the conditions listed in paragraphs 1, point (d), 2 and 3. That Member State", []string{"1/d", "2/", "3/"}},
		{"points and", "Points (a) and (b) of paragraph 2 shall not apply", []string{"2/a", "2/b"}},
		{"bare point", "Point (h) of the first subparagraph is without prejudice to", []string{"/h"}},
		{"bare point then a paragraph", "Point (h) of the first subparagraph and paragraph 2 apply", []string{"/h", "2/"}},
		{"own article", "Article 5(1), point (c), shall not apply", []string{"1/c"}},
		{"own article compact", "By way of derogation from Article 5(1)(c), Member States may", []string{"1/c"}},
		{"other article", "infringements of Article 6(1), point (c), and of paragraph 2 of that Article", nil},
		{"range", "paragraphs 1 to 3 of this Article", []string{"1/", "2/", "3/"}},
		{"sentence ends the reference", "as set out in paragraph 4. Point (b) applies", []string{"4/", "/b"}},
		{"no reference", "The Commission shall publish annual reports on the use of such systems.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &redline.Document{Provisions: []redline.Provision{
				{Path: "Article 5", Kind: redline.ProvArticle, Label: "5", Parent: -1},
				{Path: "Article 5(2)", Kind: redline.ProvParagraph, Label: "2", Text: tt.text, Parent: 0, Depth: 1},
			}}
			x := newIndex(d)
			var got []string
			for _, r := range x.refs(1, "5") {
				got = append(got, fmt.Sprintf("%s/%s", r.para, r.point))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("refs %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCompileTerm(t *testing.T) {
	tests := []struct {
		term string
		want []wordPat
	}{
		{"publicly accessible space*", []wordPat{{"publicly", false}, {"accessible", false}, {"space", true}}},
		{"Real-Time*", []wordPat{{"real", false}, {"time", true}}},
		{"workers’", []wordPat{{"workers", false}}},
		{"ﬁngerprint", []wordPat{{"fingerprint", false}}},
	}
	for _, tt := range tests {
		got, err := compileTerm(tt.term)
		if err != nil {
			t.Errorf("%q: %v", tt.term, err)
			continue
		}
		if !slices.Equal(got.words, tt.want) {
			t.Errorf("%q: %+v, want %+v", tt.term, got.words, tt.want)
		}
	}
}

func TestVocabularyCompiles(t *testing.T) {
	v := newVocabulary()
	if len(v.prohibition) == 0 || len(v.exception) == 0 || len(v.partial) == 0 || len(v.permission) == 0 || len(v.notProhibition) == 0 {
		t.Errorf("empty vocabulary: %+v", v)
	}
}
