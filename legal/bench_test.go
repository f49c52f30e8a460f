package legal_test

import (
	"context"
	"testing"

	"github.com/redline-watch/redline/internal/corpus"
	"github.com/redline-watch/redline/legal"
	"github.com/redline-watch/redline/legal/pdftext"
)

// BenchmarkProposalPDF parses the 108-page Commission proposal. Its
// "pdftotext" case, text extraction by poppler alone, is the baseline the
// other cases are compared with (bench/parse.sh prints the ratios).
func BenchmarkProposalPDF(b *testing.B) {
	data := corpus.Read(b, "com-2021-206-proposal.pdf")
	ctx := context.Background()
	pop, err := pdftext.NewPoppler("")
	if err != nil {
		b.Logf("pdftotext not installed; poppler cases skipped: %v", err)
	}
	goEx := pdftext.NewGo(pdftext.GoOptions{})
	cases := []struct {
		name string
		run  func() error
		need pdftext.Extractor
	}{
		{"pdftotext", func() error { _, err := pop.Text(ctx, data, pdftext.Options{}); return err }, pop},
		{"parse-poppler", func() error {
			_, err := (&legal.Parser{PDF: pop}).Parse(ctx, legal.Options{}, legal.Input{Name: "proposal.pdf", Data: data})
			return err
		}, pop},
		{"go-extract", func() error { _, err := goEx.Text(ctx, data, pdftext.Options{}); return err }, goEx},
		{"parse-go", func() error {
			_, err := (&legal.Parser{PDF: goEx}).Parse(ctx, legal.Options{}, legal.Input{Name: "proposal.pdf", Data: data})
			return err
		}, goEx},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if c.need == nil || c.need == (*pdftext.Poppler)(nil) {
				b.Skip("pdftotext not installed")
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if err := c.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAIActPage parses the 1.26 MB EUR-Lex page of the AI Act through
// the same entry point the daemon uses.
func BenchmarkAIActPage(b *testing.B) {
	data := corpus.Read(b, aiActPage)
	p := &legal.Parser{}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := p.Parse(context.Background(), legal.Options{}, legal.Input{Name: aiActPage, Data: data}); err != nil {
			b.Fatal(err)
		}
	}
}
