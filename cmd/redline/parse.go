package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal"
	"github.com/redline-watch/redline/legal/pdftext"
	"github.com/redline-watch/redline/pipeline"
)

func cmdParse(ctx context.Context, args []string, env *Env) int {
	fs := flagSet(env, "parse", " FILE[+FILE...]",
		"Parse a document and print its legal structure: one provision per line, path first\n(text), or the whole Document (json). The format (PDF, OJ/consolidated/proposal XHTML,\nParliament amendments, register pages, text) is detected by content. FILE+FILE joins a\nmain text and its annexes into one document. A count summary goes to stderr.")
	format := fs.String("format", "text", "output `format`: text or json")
	base := fs.String("base", "", "the proposal `FILE[+FILE]` an amendments document amends; the output is then the amended text")
	pos, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 || (*format != "text" && *format != "json") {
		fs.Usage()
		return exitUsage
	}
	p := newLegalParser()
	var opts legal.Options
	if *base != "" {
		b, err := parseFiles(ctx, p, legal.Options{}, *base)
		if err != nil {
			fmt.Fprintf(env.Stderr, "redline parse: base: %v\n", err)
			return exitFailure
		}
		opts.Base = b
	}
	doc, err := parseFiles(ctx, p, opts, pos[0])
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline parse: %v\n", err)
		return exitFailure
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(doc)
	} else {
		err = legal.WriteText(env.Stdout, doc)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline parse: write: %v\n", err)
		return exitFailure
	}
	fmt.Fprintln(env.Stderr, legal.Summary(doc))
	return exitOK
}

// parseFiles reads FILE or FILE+FILE+... and parses them as one document.
func parseFiles(ctx context.Context, p *legal.Parser, opts legal.Options, spec string) (*legal.Document, error) {
	var inputs []legal.Input
	for _, name := range strings.Split(spec, "+") {
		if name == "" {
			return nil, fmt.Errorf("empty file name in %q", spec)
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, legal.Input{Name: name, Data: data})
	}
	return p.Parse(ctx, opts, inputs...)
}

// parseInterspersed parses flags that may come before or after the
// positional arguments, as in `redline parse FILE -format json`.
func parseInterspersed(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	for {
		if code, ok := parseFlags(fs, args); !ok {
			return nil, code, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, 0, true
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), 0, true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// newLegalParser picks the PDF extractor once (pdftotext when installed,
// else pure Go) instead of looking it up on every document.
func newLegalParser() *legal.Parser {
	return &legal.Parser{PDF: pdftext.Default()}
}

// newParser adapts the legal parser to the pipeline.
func newParser() pipeline.Parser {
	p := newLegalParser()
	return pipeline.ParserFunc(func(ctx context.Context, src redline.Source, res *redline.FetchResult) (*redline.Document, error) {
		return p.Parse(ctx, legal.Options{Selector: src.Selector}, legal.Input{Name: src.URL, Data: res.Body})
	})
}
