package pdftext_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	goldenfile "github.com/redline-watch/redline/internal/golden"

	"github.com/redline-watch/redline/internal/corpus"
)

const fixturePath = "testdata/fixture.pdf"

// fixtureContent holds the content streams of the fixture's pages. Each
// exercises something the extractors must get right:
//
// Page 1, a Word-like page: the footer is drawn first; "1." and "(a)" are
// drawn apart from their text at the same baseline; a TJ array separates two
// words by kerning only; a raised footnote call; an "fi" ligature (code 1 of
// font F3, mapped to the glyph "fi" by /Differences); curly quotes in
// WinAnsiEncoding; and a groff-like block, one BT with Td moves between lines.
//
// Page 2, a two-column table drawn cell by cell, as the Parliament's
// amendment tables are.
//
// Page 3, a page rotated by /Rotate 90 whose text is drawn rotated the
// other way, so that it reads upright when displayed (a landscape table).
var fixtureContent = []string{
	`BT /F1 9 Tf 1 0 0 1 72 30 Tm (EN) Tj ET
BT /F1 9 Tf 1 0 0 1 290 30 Tm (1) Tj ET
BT /F1 9 Tf 1 0 0 1 500 30 Tm (EN) Tj ET
BT /F2 14 Tf 1 0 0 1 72 780 Tm (PROPOSAL FOR A REGULATION) Tj ET
BT /F2 12 Tf 1 0 0 1 72 740 Tm (Article 5) Tj ET
BT /F1 12 Tf 1 0 0 1 72 710 Tm (1.) Tj ET
BT /F1 12 Tf 1 0 0 1 110 710 Tm (The following AI practices shall be prohibited:) Tj ET
BT /F1 12 Tf 1 0 0 1 110 690 Tm (\(a\)) Tj ET
BT /F1 12 Tf 1 0 0 1 140 690 Tm (the placing on the market of an AI system that) Tj ET
BT /F1 12 Tf 1 0 0 1 140 676 Tm (deploys subliminal techniques;) Tj ET
BT /F1 12 Tf 1 0 0 1 110 656 Tm (\(d\)) Tj ET
BT /F1 12 Tf 1 0 0 1 140 656 Tm (the use of \221real-time\222 remote biometric identification.) Tj ET
BT /F1 12 Tf 1 0 0 1 72 620 Tm [(Hello) -300 (world)] TJ ET
BT /F1 12 Tf 1 0 0 1 72 600 Tm (the opinion of the Committee) Tj /F1 7 Tf 5 Ts (1) Tj /F1 12 Tf 0 Ts (, and) Tj ET
BT /F3 12 Tf 1 0 0 1 72 580 Tm (bene\001ts of AI) Tj ET
BT /F1 11 Tf 72 540 Td (First line of a Td block) Tj 0 -14 Td (second line of the same block) Tj ET
`,
	`BT /F2 12 Tf 1 0 0 1 72 750 Tm (Text proposed by the Commission) Tj ET
BT /F2 12 Tf 1 0 0 1 320 750 Tm (Amendment) Tj ET
BT /F1 12 Tf 1 0 0 1 72 720 Tm (\(1\) The purpose of this) Tj ET
BT /F1 12 Tf 1 0 0 1 72 706 Tm (Regulation is to improve) Tj ET
BT /F1 12 Tf 1 0 0 1 72 692 Tm (the internal market.) Tj ET
BT /F1 12 Tf 1 0 0 1 320 720 Tm (\(1\) The purpose of this) Tj ET
BT /F1 12 Tf 1 0 0 1 320 706 Tm (Regulation is to promote) Tj ET
BT /F1 12 Tf 1 0 0 1 320 692 Tm (trustworthy AI.) Tj ET
BT /F1 12 Tf 1 0 0 1 72 660 Tm (deleted) Tj ET
BT /F1 12 Tf 1 0 0 1 320 660 Tm (\(2\) New text.) Tj ET
`,
	`BT /F1 12 Tf 0 1 -1 0 95 72 Tm (Text on a rotated page) Tj ET
BT /F1 12 Tf 0 1 -1 0 115 72 Tm (reads upright when displayed.) Tj ET
`,
}

// buildFixture writes a small, valid PDF 1.4 with uncompressed content
// streams and non-embedded base-14 fonts that carry their own Widths (every
// glyph 500/1000 em, the space 250), so that both backends place text the
// same way.
func buildFixture() []byte {
	widths := make([]string, 224)
	for i := range widths {
		widths[i] = "500"
	}
	widths[0] = "250"
	w := "/FirstChar 32 /LastChar 255 /Widths [" + strings.Join(widths, " ") + "]"
	font := func(base, enc string) string {
		return "<< /Type /Font /Subtype /Type1 /BaseFont /" + base + " /Encoding " + enc + " " + w + " >>"
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 8 0 R 10 0 R] /Count 3 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 7 0 R >> >> /Contents 4 0 R >>",
		"", // content 1
		font("Helvetica", "/WinAnsiEncoding"),
		font("Helvetica-Bold", "/WinAnsiEncoding"),
		strings.Replace(font("Helvetica", "<< /Type /Encoding /Differences [1 /fi] >>"), "/FirstChar 32 /LastChar 255", "/FirstChar 1 /LastChar 224", 1),
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 9 0 R >>",
		"", // content 2
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate 90 /Resources << /Font << /F1 5 0 R >> >> /Contents 11 0 R >>",
		"", // content 3
	}
	stream := func(s string) string { return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(s), s) }
	objs[3] = stream(fixtureContent[0])
	objs[8] = stream(fixtureContent[1])
	objs[10] = stream(fixtureContent[2])

	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// fixture returns the committed fixture, checking that it is what
// buildFixture makes (go test -update rewrites it).
func fixture(t testing.TB) []byte {
	t.Helper()
	want := buildFixture()
	if goldenfile.Update() {
		if err := os.WriteFile(fixturePath, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(fixturePath)
	if err != nil {
		t.Fatalf("read fixture (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale; run go test -update", fixturePath)
	}
	return got
}

func corpusPath(t testing.TB, name string) string { return corpus.Path(t, name) }

func readCorpus(t testing.TB, name string) []byte { return corpus.Read(t, name) }
