package legal

import (
	"bytes"
	stdcontext "context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/amend"
	"github.com/redline-watch/redline/legal/pdftext"
	"github.com/redline-watch/redline/legal/plaintext"
	"github.com/redline-watch/redline/legal/register"
)

// Input is one file or fetched body to parse.
type Input struct {
	// Name names the input in errors (a file name or URL).
	Name string
	Data []byte
}

// Options tune Parse.
type Options struct {
	// Base is the text an amendments document or an amending act amends (the
	// Commission proposal, the act). With it, Parse returns the amended text;
	// without it, only the list of amendments or modifications.
	Base *Document
	// Selector is an optional CSS selector for the text root of HTML pages.
	Selector string
}

// Parser parses documents of every supported format, detected by content.
type Parser struct {
	// PDF extracts text from PDFs; nil means pdftext.Default().
	PDF pdftext.Extractor
	// Logger receives warnings, such as amendments that could not be placed
	// in the base text (default: discard).
	Logger *slog.Logger
}

// Format names what Detect found.
type Format string

// The formats Detect tells apart.
const (
	FormatPDF        Format = "pdf"
	FormatRegister   Format = "register"
	FormatAmendments Format = "amendments"
	FormatXHTML      Format = "xhtml"
	FormatText       Format = "text"
)

// ErrUnknownFormat is returned for input that is none of the supported formats.
var ErrUnknownFormat = errors.New("unknown document format")

// Detect tells the format of data by its content, never by a file name.
func Detect(data []byte) (Format, error) {
	head := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case len(head) == 0:
		return "", fmt.Errorf("%w: empty input", ErrUnknownFormat)
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return FormatPDF, nil
	case register.Detect(data) != "":
		return FormatRegister, nil
	case amend.LooksLikeAmendments(data):
		return FormatAmendments, nil
	case head[0] == '<':
		return FormatXHTML, nil
	case utf8.Valid(head[:min(len(head), 4096)]) && !bytes.ContainsRune(head[:min(len(head), 4096)], 0):
		return FormatText, nil
	}
	return "", fmt.Errorf("%w: neither PDF, HTML, JSON, XML nor text", ErrUnknownFormat)
}

// Parse parses the inputs into one Document. Several inputs are joined in
// order (a main text and its annexes). An amendments document is applied to
// opts.Base when given.
func (p *Parser) Parse(ctx stdcontext.Context, opts Options, inputs ...Input) (*Document, error) {
	if len(inputs) == 0 {
		return nil, errors.New("parse: no input")
	}
	var docs []*Document
	for _, in := range inputs {
		d, err := p.parseOne(ctx, opts, in)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", in.Name, err)
		}
		docs = append(docs, d)
	}
	doc := Join(docs...)
	if opts.Base == nil {
		return doc, nil
	}
	switch {
	case doc.Kind == redline.DocAmendments:
		return p.applyTo(opts.Base, doc, doc.Amendments), nil
	case doc.Kind == redline.DocAmendingAct && len(doc.Modifications) > 0:
		return p.applyTo(opts.Base, doc, p.modificationsOf(opts.Base, doc.Modifications)), nil
	}
	return doc, nil
}

// applyTo returns base with the changes of doc applied: the text a
// Parliament position or an amending act makes of the act it amends.
func (p *Parser) applyTo(base, doc *Document, changes []redline.Amendment) *Document {
	amended, rep := amend.Apply(base, changes)
	for _, u := range rep.Unplaced {
		p.logger().Warn("change not placed in the base text", "number", u.Number, "target", u.Target, "reason", u.Reason)
	}
	amended.Kind = doc.Kind
	amended.Format = doc.Format
	amended.Extractor = doc.Extractor
	amended.Title = doc.Title
	amended.Identifiers = doc.Identifiers
	amended.Amendments = doc.Amendments
	amended.Modifications = doc.Modifications
	amended.AmendedFrom = base.Title
	if amended.AmendedFrom == "" {
		amended.AmendedFrom = "the base text"
	}
	return amended
}

// actNumber finds the number of an act, e.g. "2024/1689" in
// "Regulation (EU) 2024/1689".
var actNumber = regexp.MustCompile(`\b\d{2,4}/\d{1,4}\b`)

// modificationsOf turns the modifications that an amending act makes to
// base into amendments (an amending act often amends several acts; only
// those naming base's number apply).
func (p *Parser) modificationsOf(base *Document, mods []redline.Modification) []redline.Amendment {
	names := base.Title + " " + strings.Join(base.Identifiers, " ")
	var out []redline.Amendment
	for i, m := range mods {
		num := actNumber.FindString(m.Act)
		if num == "" || !strings.Contains(names, num) {
			p.logger().Debug("modification of another act left out", "act", m.Act, "path", m.Path)
			continue
		}
		target := amend.TargetOf(m.Path)
		if m.Op == redline.OpInsert {
			target += " (new)"
		}
		out = append(out, redline.Amendment{Number: i + 1, Target: target, Path: m.Path, Op: m.Op, Text: m.Text})
	}
	return out
}

func (p *Parser) parseOne(ctx stdcontext.Context, opts Options, in Input) (*Document, error) {
	format, err := Detect(in.Data)
	if err != nil {
		return nil, err
	}
	switch format {
	case FormatPDF:
		return p.parsePDF(ctx, in.Data)
	case FormatRegister:
		return register.Parse(in.Data)
	case FormatAmendments:
		if bytes.HasPrefix(bytes.TrimSpace(in.Data), []byte("<")) {
			return amend.ParseXHTML(in.Data)
		}
		return amend.ParseLayout(string(in.Data))
	case FormatXHTML:
		return ParseXHTML(in.Data, XHTMLOptions{Selector: opts.Selector})
	default:
		d, err := plaintext.Parse(string(in.Data), plaintext.Options{})
		if err != nil {
			return nil, err
		}
		return d, requireStructure(d)
	}
}

// ErrNoStructure is returned for text in which no legal structure was found.
var ErrNoStructure = errors.New("no legal structure found")

// requireStructure rejects recognised text without a single citation,
// recital, article or annex: an error page or a wrong file, not a new
// version of a legal text.
func requireStructure(d *Document) error {
	for _, p := range d.Provisions {
		switch p.Kind {
		case redline.ProvCitation, redline.ProvRecital, redline.ProvArticle, redline.ProvAnnex:
			return nil
		}
	}
	return fmt.Errorf("%w: no citation, recital, article or annex among %d text blocks", ErrNoStructure, len(d.Provisions))
}

// parsePDF extracts the text of a PDF and recognises its structure. The
// Parliament's two-column amendment tables need the physical layout, so an
// amendments document is extracted a second time in layout mode.
func (p *Parser) parsePDF(ctx stdcontext.Context, data []byte) (*Document, error) {
	ex := p.pdf()
	text, err := ex.Text(ctx, data, pdftext.Options{})
	if err != nil {
		return nil, fmt.Errorf("extract text with %s: %w", ex.Name(), err)
	}
	var doc *Document
	if amend.LooksLikeAmendments([]byte(text)) {
		layout, err := ex.Text(ctx, data, pdftext.Options{Layout: true})
		if err != nil {
			return nil, fmt.Errorf("extract layout text with %s: %w", ex.Name(), err)
		}
		doc, err = amend.ParseLayout(layout)
		if err != nil {
			return nil, err
		}
	} else {
		doc, err = plaintext.Parse(text, plaintext.Options{})
		if err != nil {
			return nil, err
		}
		if err := requireStructure(doc); err != nil {
			return nil, err
		}
		doc.Format = string(FormatPDF)
	}
	doc.Extractor = ex.Name()
	return doc, nil
}

func (p *Parser) pdf() pdftext.Extractor {
	if p.PDF != nil {
		return p.PDF
	}
	return pdftext.Default()
}

func (p *Parser) logger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Join appends the provisions, amendments, modifications and events of the
// later documents to the first (a main text and its annexes). The first
// document's kind, format and title stay; identifiers and extractors are merged.
func Join(docs ...*Document) *Document {
	if len(docs) == 1 {
		return docs[0]
	}
	out := *docs[0]
	out.Provisions = append([]redline.Provision(nil), docs[0].Provisions...)
	seen := map[string]bool{}
	for _, id := range out.Identifiers {
		seen[id] = true
	}
	extractors := []string{}
	if out.Extractor != "" {
		extractors = append(extractors, out.Extractor)
	}
	used := map[string]bool{}
	for _, p := range out.Provisions {
		used[p.Path] = true
	}
	for _, d := range docs[1:] {
		off := len(out.Provisions)
		for _, p := range d.Provisions {
			if p.Parent >= 0 {
				p.Parent += off
			}
			p.Path = uniquePath(used, p.Path)
			out.Provisions = append(out.Provisions, p)
		}
		out.Amendments = append(out.Amendments, d.Amendments...)
		out.Modifications = append(out.Modifications, d.Modifications...)
		out.Events = append(out.Events, d.Events...)
		for _, id := range d.Identifiers {
			if !seen[id] {
				seen[id] = true
				out.Identifiers = append(out.Identifiers, id)
			}
		}
		if d.Extractor != "" && !strings.Contains(strings.Join(extractors, "+"), d.Extractor) {
			extractors = append(extractors, d.Extractor)
		}
	}
	out.Extractor = strings.Join(extractors, "+")
	return &out
}

// uniquePath keeps paths unique across joined documents: the title and cover
// of an annexes file would otherwise repeat the main text's.
func uniquePath(used map[string]bool, path string) string {
	p := path
	for n := 2; used[p]; n++ {
		p = fmt.Sprintf("%s [%d]", path, n)
	}
	used[p] = true
	return p
}
