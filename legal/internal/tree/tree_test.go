package tree

import (
	"strings"
	"testing"

	"github.com/redline-watch/redline"
)

func TestBuilder(t *testing.T) {
	var doc redline.Document
	b := NewBuilder(&doc)
	art := b.Add(-1, redline.Provision{Path: "Article 5", Kind: redline.ProvArticle})
	par := b.Add(art, redline.Provision{Path: "Article 5(1)", Kind: redline.ProvParagraph})
	pt := b.Add(par, redline.Provision{Path: "Article 5(1)(a)", Kind: redline.ProvPoint})
	dup := b.Add(par, redline.Provision{Path: "Article 5(1)(a)", Kind: redline.ProvPoint})
	dup3 := b.Add(par, redline.Provision{Path: "Article 5(1)(a)", Kind: redline.ProvPoint})
	if doc.Provisions[pt].Depth != 2 || doc.Provisions[pt].Parent != par {
		t.Errorf("point = %+v", doc.Provisions[pt])
	}
	if got := doc.Provisions[dup].Path; got != "Article 5(1)(a) [2]" {
		t.Errorf("duplicate path = %q", got)
	}
	if got := doc.Provisions[dup3].Path; got != "Article 5(1)(a) [3]" {
		t.Errorf("third path = %q", got)
	}
	if !b.Has("Article 5(1)") || b.Has("Article 6") {
		t.Error("Has is wrong")
	}
}

func TestCheck(t *testing.T) {
	var doc redline.Document
	b := NewBuilder(&doc)
	art := b.Add(-1, redline.Provision{Path: "Article 5"})
	b.Add(art, redline.Provision{Path: "Article 5(1)"})
	if err := Check(&doc); err != nil {
		t.Fatalf("a built tree fails: %v", err)
	}
	bad := redline.Document{Provisions: []redline.Provision{
		{Path: "Article 5", Parent: -1},
		{Path: "Article 5", Parent: 0, Depth: 1},
		{Path: "Article 5(1)", Parent: 2, Depth: 1},
		{Path: "Article 5(2)", Parent: 0, Depth: 3},
	}}
	err := Check(&bad)
	for _, want := range []string{`path "Article 5" repeated`, "parent 2 does not precede it", "depth 3, want 1"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check error %v lacks %q", err, want)
		}
	}
}
