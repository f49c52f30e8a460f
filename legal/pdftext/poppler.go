package pdftext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// DefaultMaxOutput is the cap on the text pdftotext may produce when
// Poppler.MaxOutput is zero: two orders of magnitude above the largest
// legislative PDF seen (the 349-page Parliament position gives 0.9 MB).
const DefaultMaxOutput = 64 << 20

// Poppler extracts text by running poppler's pdftotext as a subprocess, the
// PDF on stdin and the text on stdout.
type Poppler struct {
	// MaxOutput caps the extracted text in bytes; the subprocess is killed
	// when it writes more. Zero means DefaultMaxOutput.
	MaxOutput int64

	path    string
	version string
}

var popplerVersion = regexp.MustCompile(`pdftotext version (\S+)`)

// NewPoppler finds pdftotext and asks it for its version once. An empty path
// looks "pdftotext" up on PATH. The error wraps ErrNotFound when the
// executable is missing.
func NewPoppler(path string) (*Poppler, error) {
	if path == "" {
		path = "pdftotext"
	}
	abs, err := exec.LookPath(path)
	if err != nil {
		return nil, fmt.Errorf("find pdftotext %q: %w: %w", path, ErrNotFound, err)
	}
	// A broken install must not hang the daemon's start.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, abs, "-v").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("run %q -v: %w: %s", abs, err, firstLine(out))
	}
	m := popplerVersion.FindSubmatch(out)
	if m == nil {
		return nil, fmt.Errorf("run %q -v: no version in output %q", abs, firstLine(out))
	}
	return &Poppler{path: abs, version: string(m[1])}, nil
}

// Name returns "pdftotext" and the poppler version, e.g. "pdftotext 22.12.0".
func (p *Poppler) Name() string { return "pdftotext " + p.version }

// Text runs pdftotext on pdf. The subprocess is killed when ctx ends or when
// its output passes MaxOutput; its stderr is quoted in errors.
func (p *Poppler) Text(ctx context.Context, pdf []byte, opts Options) (string, error) {
	if err := checkHeader(pdf); err != nil {
		return "", fmt.Errorf("extract text with %s: %w", p.Name(), err)
	}
	limit := p.MaxOutput
	if limit <= 0 {
		limit = DefaultMaxOutput
	}
	args := []string{"-enc", "UTF-8"}
	if opts.Layout {
		args = append(args, "-layout")
	}
	args = append(args, "-", "-")

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	cmd := exec.CommandContext(ctx, p.path, args...)
	cmd.Stdin = bytes.NewReader(pdf)
	stdout := &capWriter{max: limit, overflow: func() { cancel(ErrTooLarge) }}
	stderr := &capWriter{max: 4 << 10}
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if cause := context.Cause(ctx); cause != nil {
		if errors.Is(cause, ErrTooLarge) {
			return "", fmt.Errorf("extract text with %s: output over %d bytes: %w", p.Name(), limit, ErrTooLarge)
		}
		return "", fmt.Errorf("extract text with %s: %w", p.Name(), cause)
	}
	if err != nil {
		return "", fmt.Errorf("extract text with %s: %w: %s", p.Name(), err, strings.TrimSpace(stderr.buf.String()))
	}
	return finish(stdout.buf.String()), nil
}

// capWriter keeps at most max bytes; it reports the first overflow and
// swallows the rest so the subprocess does not block on a full pipe before
// it is killed.
type capWriter struct {
	buf      bytes.Buffer
	max      int64
	overflow func()
	over     bool
}

func (w *capWriter) Write(b []byte) (int, error) {
	room := w.max - int64(w.buf.Len())
	if int64(len(b)) > room {
		w.buf.Write(b[:max(room, 0)])
		if !w.over && w.overflow != nil {
			w.over = true
			w.overflow()
		}
		return len(b), nil
	}
	return w.buf.Write(b)
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return s
}
