package main

import (
	"context"
	"fmt"
	"os"

	"github.com/redline-watch/redline/coverage"
	"github.com/redline-watch/redline/legal"
)

func cmdCoverage(ctx context.Context, args []string, env *Env) int {
	fs := flagSet(env, "coverage", " FILE[+FILE...]...",
		"Print how far each document goes on each demand: a matrix of demands x documents\nwith the level (absent, mentioned, restricted, prohibited_with_exceptions,\nprohibited), the verdict against the ask, and the provisions that decide it.\nFILE+FILE joins a main text and its annexes into one document.")
	demands := fs.String("demands", "", "demand `file` (default: the embedded red lines of the 2021 open letter)")
	base := fs.String("base", "", "the proposal `FILE[+FILE]` that amendments documents amend")
	format := fs.String("format", "text", "output `format`: text, json or md")
	pos, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	if len(pos) == 0 || (*format != "text" && *format != "json" && *format != "md") {
		fs.Usage()
		return exitUsage
	}
	set, err := loadDemands(*demands)
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline coverage: %v\n", err)
		return exitFailure
	}
	p := newLegalParser()
	opts, err := baseOptions(ctx, p, *base)
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline coverage: %v\n", err)
		return exitFailure
	}
	var reports []coverage.Report
	for _, spec := range pos {
		doc, err := parseFiles(ctx, p, opts, spec)
		if err != nil {
			fmt.Fprintf(env.Stderr, "redline coverage: %v\n", err)
			return exitFailure
		}
		r := coverage.Evaluate(set, doc)
		r.Document = spec
		reports = append(reports, r)
	}
	if err := coverage.WriteMatrix(env.Stdout, *format, reports); err != nil {
		fmt.Fprintf(env.Stderr, "redline coverage: write: %v\n", err)
		return exitFailure
	}
	return exitOK
}

func cmdExplain(ctx context.Context, args []string, env *Env) int {
	fs := flagSet(env, "explain", " DEMAND FILE[+FILE...]",
		"Show every provision of FILE that matched DEMAND or nearly matched it, the rule\nthat fired, the level each provision got and why.")
	demands := fs.String("demands", "", "demand `file` (default: the embedded red lines of the 2021 open letter)")
	base := fs.String("base", "", "the proposal `FILE[+FILE]` that an amendments document amends")
	pos, code, ok := parseInterspersed(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 2 {
		fs.Usage()
		return exitUsage
	}
	set, err := loadDemands(*demands)
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline explain: %v\n", err)
		return exitFailure
	}
	if _, ok := set.Demand(pos[0]); !ok {
		fmt.Fprintf(env.Stderr, "redline explain: unknown demand %q; the demands are:", pos[0])
		for _, d := range set.Demands {
			fmt.Fprintf(env.Stderr, " %s", d.ID)
		}
		fmt.Fprintln(env.Stderr)
		return exitUsage
	}
	p := newLegalParser()
	opts, err := baseOptions(ctx, p, *base)
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline explain: %v\n", err)
		return exitFailure
	}
	doc, err := parseFiles(ctx, p, opts, pos[1])
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline explain: %v\n", err)
		return exitFailure
	}
	e, err := coverage.Explain(set, pos[0], doc)
	if err != nil {
		fmt.Fprintf(env.Stderr, "redline explain: %v\n", err)
		return exitFailure
	}
	e.Document = pos[1]
	if err := coverage.WriteExplanation(env.Stdout, e); err != nil {
		fmt.Fprintf(env.Stderr, "redline explain: write: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// loadDemands reads a demand file, or the embedded default set when path is empty.
func loadDemands(path string) (*coverage.Set, error) {
	if path == "" {
		return coverage.Default()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read demands: %w", err)
	}
	return coverage.ParseDemands(data, path)
}

// baseOptions parses the -base document, if any.
func baseOptions(ctx context.Context, p *legal.Parser, base string) (legal.Options, error) {
	if base == "" {
		return legal.Options{}, nil
	}
	b, err := parseFiles(ctx, p, legal.Options{}, base)
	if err != nil {
		return legal.Options{}, fmt.Errorf("base: %w", err)
	}
	return legal.Options{Base: b}, nil
}
