package store_test

import (
	"encoding/binary"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/redline-watch/redline"
)

// legalText returns about n bytes of text that compresses like a legal act.
func legalText(seed uint64, n int) []byte {
	words := strings.Fields(`Article paragraph point shall Member States the of and in to
		biometric identification systems real-time remote publicly accessible spaces law enforcement
		prohibited practices artificial intelligence provider deployer high-risk Annex Regulation
		purposes competent authority judicial authorisation necessary proportionate safeguards`)
	r := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	b.Grow(n + 32)
	for b.Len() < n {
		b.WriteString(words[r.IntN(len(words))])
		b.WriteByte(' ')
	}
	return []byte(b.String()[:n])
}

// BenchmarkSaveCheck saves checks of a 1 MB body: "unchanged" confirms the
// stored version (the body blob exists, nothing is compressed), "changed"
// stores a new body, text and snapshot each time.
func BenchmarkSaveCheck(b *testing.B) {
	const size = 1 << 20
	body := legalText(1, size)
	text := legalText(2, size/2)
	for _, bm := range []struct {
		name    string
		changed bool
	}{{"unchanged", false}, {"changed", true}} {
		b.Run(bm.name, func(b *testing.B) {
			s := openTemp(b)
			first := check("ai-act", redline.OutcomeBaseline, string(body), string(text), "")
			if err := s.SaveCheck(b.Context(), first); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(size)
			b.ReportAllocs()
			var n uint64
			for b.Loop() {
				n++
				rec := &redline.CheckRecord{
					State:   redline.SourceState{SourceID: "ai-act", Status: redline.StatusOK},
					Capture: redline.Capture{URL: "https://eur-lex.europa.eu/ai-act", Status: 200, Outcome: redline.OutcomeUnchanged, TextHash: first.Capture.TextHash},
					Body:    body,
				}
				if bm.changed {
					// A new first word makes new body and text blobs.
					binary.BigEndian.PutUint64(body, n)
					binary.BigEndian.PutUint64(text, n)
					rec.Capture.Outcome, rec.Capture.TextHash = redline.OutcomeChanged, ""
					rec.Snapshot = &redline.Snapshot{URL: rec.Capture.URL}
					rec.Text = text
				}
				if err := s.SaveCheck(b.Context(), rec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
