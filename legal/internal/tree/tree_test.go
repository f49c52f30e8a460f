package tree

import (
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
