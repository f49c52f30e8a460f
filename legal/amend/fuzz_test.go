package amend_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/redline-watch/redline/legal/internal/tree"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/amend"
)

// maxFuzzInput keeps each fuzz run short; the parsers are linear in their
// input, so larger inputs only take longer.
const maxFuzzInput = 64 << 10

func FuzzParseLayout(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "layout-fixture.txt")); err == nil {
		f.Add(string(b))
	}
	f.Add("Amendment 1\nProposal for a regulation\nRecital 1 a (new)\n    Text proposed by the Commission     Amendment\n\n                     (1a) Text.\n")
	f.Add("Amendment 2\n\nProposal for a regulation\nArticle 5 – paragraph 1\n\n Text proposed by the Commission   Amendment\n\f(a) old      deleted\n\f  x\n")
	f.Add("\f\f\t▌◄ Amendment 9\nProposal for a\nArticle - 5 a (new) – SECTION 2 – title\nText proposed by the Commission  Amendment\n____________\n12 note\n")
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > maxFuzzInput {
			t.Skip()
		}
		doc, err := amend.ParseLayout(text)
		if err != nil {
			return
		}
		if len(doc.Amendments) == 0 {
			t.Fatal("no error and no amendments")
		}
		for _, a := range doc.Amendments {
			if a.Target == "" || a.Path == "" {
				t.Fatalf("amendment %d without target or path: %+v", a.Number, a)
			}
		}
	})
}

func FuzzParseXHTML(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "ep-amendments.xhtml")); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`<p>Amendment 1</p><p>Recital 2</p><table><tr><td>a</td><td><table><tr><td>(i)</td><td>x</td></tr></table></td></tr></table>`))
	f.Add([]byte(`<table><tr><td><p>Amendment 3</p></td></tr><tr><td><p>Annex I</p></td></tr><tr><td></td><td>deleted</td></tr></table>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			t.Skip()
		}
		doc, err := amend.ParseXHTML(data)
		if err != nil {
			return
		}
		for _, a := range doc.Amendments {
			if a.Target == "" || a.Path == "" {
				t.Fatalf("amendment %d without target or path: %+v", a.Number, a)
			}
		}
	})
}

func FuzzTargetPath(f *testing.F) {
	for _, s := range []string{
		"Article 5 – paragraph 1 – point d – point i", "Recital 12 a (new)", "Annex VII – point 4 – point 4.5",
		"Article - 57 a (new) – SECTION 2 – title", "Title III – Chapter 3 – title", "Article 3 – paragraph 1 – point 44 a (new)",
		"Article 9 – paragraph 4 – subparagraph 2 – point a", "ANNEX VIII – SECTION B (new)", "Article 7 – paragraph 2 – point h –",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		if len(target) > 4096 {
			t.Skip()
		}
		path, _, err := amend.TargetPath(target)
		if err == nil && path == "" {
			t.Fatalf("TargetPath(%q): empty path without error", target)
		}
	})
}

// FuzzApply applies one arbitrary amendment to the hand-made base and checks
// that the result is still a well-formed tree and base is untouched.
func FuzzApply(f *testing.F) {
	f.Add("Article 5 – paragraph 1 – point d", "replace", "old", "text\n(i) one\n(ii) two\nafter")
	f.Add("Article 4 a (new)", "insert", "", "Title\n1. a\n(a) b\n(i) c\nd\n2. e")
	f.Add("Title II", "delete", "", "")
	f.Add("Annex III – paragraph 1 – point 1 – point a a (new)", "insert", "", "(x) y")
	f.Fuzz(func(t *testing.T, target, op, original, text string) {
		if len(target)+len(original)+len(text) > 8192 {
			t.Skip()
		}
		base := baseProposal()
		orig := cloneDoc(base)
		am := redline.Amendment{Number: 1, Target: target, Op: redline.AmendOp(op), Original: original, Text: text}
		got, rep := amend.Apply(base, []redline.Amendment{am})
		if rep.Applied+len(rep.Unplaced) != 1 {
			t.Fatalf("report %+v", rep)
		}
		if len(base.Provisions) != len(orig.Provisions) {
			t.Fatal("Apply modified its base")
		}
		if err := tree.Check(got); err != nil {
			t.Fatal(err)
		}
	})
}
