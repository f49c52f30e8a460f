package coverage_test

import (
	"sync"
	"testing"

	"github.com/redline-watch/redline/internal/corpus"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal"
	"github.com/redline-watch/redline/legal/amend"
	"github.com/redline-watch/redline/legal/plaintext"
)

func corpusDir(t testing.TB) string { return corpus.Dir(t) }

func readCorpus(t testing.TB, name string) []byte { return corpus.Read(t, name) }

// The three corpus documents are parsed once per test binary.
var (
	actOnce, proposalOnce, epOnce sync.Once
	actDoc, proposalDoc, epDoc    *redline.Document
	actErr, proposalErr, epErr    error
)

// adoptedAct parses Regulation (EU) 2024/1689 from its OJ XHTML.
func adoptedAct(t testing.TB) *redline.Document {
	t.Helper()
	data := readCorpus(t, "ai-act-2024-1689.eurlex-oj.html")
	actOnce.Do(func() { actDoc, actErr = legal.ParseXHTML(data, legal.XHTMLOptions{}) })
	if actErr != nil {
		t.Fatalf("parse adopted act: %v", actErr)
	}
	return actDoc
}

// proposal parses COM(2021) 206 from the text of its two PDFs (main act and
// annexes) and joins them.
func proposal(t testing.TB) *redline.Document {
	t.Helper()
	main := readCorpus(t, "com-2021-206-proposal.pdftotext.txt")
	annexes := readCorpus(t, "com-2021-206-annexes.pdftotext.txt")
	proposalOnce.Do(func() {
		var a, b *redline.Document
		if a, proposalErr = plaintext.Parse(string(main), plaintext.Options{}); proposalErr != nil {
			return
		}
		if b, proposalErr = plaintext.Parse(string(annexes), plaintext.Options{Kind: a.Kind}); proposalErr != nil {
			return
		}
		proposalDoc = join(a, b)
	})
	if proposalErr != nil {
		t.Fatalf("parse proposal: %v", proposalErr)
	}
	return proposalDoc
}

// join appends the annex provisions of b to a, as one document. It stands
// in for parsing proposal and annexes together until legal.Parse does so.
func join(a, b *redline.Document) *redline.Document {
	out := *a
	out.Provisions = append([]redline.Provision(nil), a.Provisions...)
	seen := make(map[string]bool, len(out.Provisions))
	for _, p := range out.Provisions {
		seen[p.Path] = true
	}
	off := len(out.Provisions)
	keep := make([]int, len(b.Provisions)) // b index -> out index, -1 if dropped
	for i, p := range b.Provisions {
		keep[i] = -1
		if p.Parent >= 0 && keep[p.Parent] < 0 {
			continue
		}
		if p.Parent < 0 && (p.Kind != redline.ProvAnnex || seen[p.Path]) {
			continue // the annexes' cover page and title repeat the main document's
		}
		if p.Parent >= 0 {
			p.Parent = keep[p.Parent]
		}
		keep[i] = off
		off++
		out.Provisions = append(out.Provisions, p)
	}
	return &out
}

// parliamentPosition applies the Parliament's amendments of 14 June 2023
// (P9_TA(2023)0236) to the proposal.
func parliamentPosition(t testing.TB) *redline.Document {
	t.Helper()
	base := proposal(t)
	data := readCorpus(t, "ep-position-p9-ta-2023-0236.pdftotext-layout.txt")
	epOnce.Do(func() {
		var am *redline.Document
		if am, epErr = amend.ParseLayout(string(data)); epErr != nil {
			return
		}
		epDoc, _ = amend.Apply(base, am.Amendments)
	})
	if epErr != nil {
		t.Fatalf("parse Parliament amendments: %v", epErr)
	}
	return epDoc
}
