// Package pdftext turns the bytes of a PDF into plain text, one form feed
// between pages, with two interchangeable backends: poppler's pdftotext run
// as a subprocess (reference quality) and a pure-Go reader built on
// github.com/ledongthuc/pdf (keeps the daemon a single static binary).
//
// The extractor's name and version are stored with every snapshot, because a
// change of extractor changes the text without the document changing.
package pdftext

import (
	"bytes"
	"context"
	"errors"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Options select the extraction mode.
type Options struct {
	// Layout keeps the physical layout (columns side by side, like
	// `pdftotext -layout`); needed for the Parliament's two-column amendment
	// tables. Default is reading order.
	Layout bool
}

// Extractor turns PDF bytes into text; pages are separated by form feed "\f".
type Extractor interface {
	// Name returns the extractor and its version, e.g. "pdftotext 22.12.0";
	// it is stored with snapshots.
	Name() string
	// Text extracts the text of pdf. The result is valid UTF-8 in NFKC form
	// (ligatures such as "ﬁ" become "fi") and keeps "\f" page breaks.
	Text(ctx context.Context, pdf []byte, opts Options) (string, error)
}

var (
	// ErrNotFound means the pdftotext executable is not installed or not on PATH.
	ErrNotFound = errors.New("pdftotext executable not found")
	// ErrNotPDF means the input does not start with a PDF header.
	ErrNotPDF = errors.New("not a PDF")
	// ErrTooLarge means the input or the extracted text exceeds the configured cap.
	ErrTooLarge = errors.New("too large")
)

// Default returns the pdftotext backend when pdftotext is on PATH, else the
// pure-Go backend with default options.
func Default() Extractor {
	if p, err := NewPoppler(""); err == nil {
		return p
	}
	return NewGo(GoOptions{})
}

// checkHeader rejects input that is not a PDF before any backend parses it,
// so that garbage gets the same clear error from every backend. Like readers
// in the wild, it accepts up to 1 KiB of junk before "%PDF-".
func checkHeader(pdf []byte) error {
	head := pdf[:min(len(pdf), 1024)]
	if !bytes.Contains(head, []byte("%PDF-")) {
		return ErrNotPDF
	}
	return nil
}

// finish applies the post-processing common to all backends: valid UTF-8,
// NFKC (ligatures, compatibility forms, U+00A0 to space), Unix line ends.
func finish(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = norm.NFKC.String(s)
	if strings.Contains(s, "\r") {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	return s
}
