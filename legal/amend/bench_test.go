package amend_test

import (
	"testing"

	"github.com/redline-watch/redline/legal/amend"
)

func BenchmarkParseLayout(b *testing.B) {
	text := readCorpusFile(b, layoutName)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := amend.ParseLayout(text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApply applies all 771 amendments to the hand-made base; most do
// not find their target, which exercises every lookup path.
func BenchmarkApply(b *testing.B) {
	doc, err := amend.ParseLayout(readCorpusFile(b, layoutName))
	if err != nil {
		b.Fatal(err)
	}
	base := baseProposal()
	b.ReportAllocs()
	for b.Loop() {
		amend.Apply(base, doc.Amendments)
	}
}
