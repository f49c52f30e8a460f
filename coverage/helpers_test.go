package coverage_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/coverage"
)

// A node is a provision of a hand-built document with its children.
type node struct {
	p        redline.Provision
	children []node
}

// n builds a node; the kind is read from the path ("Article 5(1)(a)" is a
// point, "Article 5(1) subparagraph 2" a subparagraph, ...) and the label
// is the path's last number or letter.
func n(path, heading, text string, children ...node) node {
	return node{p: redline.Provision{Path: path, Kind: kindOf(path), Label: labelOf(path), Heading: heading, Text: text}, children: children}
}

var (
	lastBracket = regexp.MustCompile(`\(([^()]+)\)$`)
	lastWord    = regexp.MustCompile(`(\S+)$`)
)

func kindOf(path string) redline.ProvisionKind {
	switch {
	case path == "title":
		return redline.ProvTitle
	case strings.HasPrefix(path, "recital"):
		return redline.ProvRecital
	case strings.HasPrefix(path, "citation"):
		return redline.ProvCitation
	case strings.HasPrefix(path, "memorandum"):
		return redline.ProvMemorandum
	case strings.HasPrefix(path, "Chapter"), strings.HasPrefix(path, "Title"):
		return redline.ProvDivision
	case strings.Contains(path, "subparagraph"):
		return redline.ProvSubparagraph
	case strings.HasPrefix(path, "Annex"):
		if strings.Contains(path, "point") {
			return redline.ProvPoint
		}
		return redline.ProvAnnex
	case strings.HasPrefix(path, "Article"):
		rest := strings.TrimLeft(strings.TrimPrefix(path, "Article "), "0123456789abcdefghijklmnopqrstuvwxyz")
		switch {
		case rest == "":
			return redline.ProvArticle
		case strings.Contains(rest, "point"), strings.Count(rest, "(") >= 2:
			return redline.ProvPoint
		}
		return redline.ProvParagraph
	}
	return redline.ProvisionKind("unknown")
}

func labelOf(path string) string {
	if m := lastBracket.FindStringSubmatch(path); m != nil {
		return m[1]
	}
	return lastWord.FindStringSubmatch(path)[1]
}

// doc flattens nodes into a Document in document order.
func doc(nodes ...node) *redline.Document {
	d := &redline.Document{Kind: redline.DocAct, Title: "Test act"}
	var add func(parent, depth int, x node)
	add = func(parent, depth int, x node) {
		p := x.p
		p.Parent, p.Depth = parent, depth
		d.Provisions = append(d.Provisions, p)
		i := len(d.Provisions) - 1
		for _, c := range x.children {
			add(i, depth+1, c)
		}
	}
	for _, x := range nodes {
		add(-1, 0, x)
	}
	return d
}

// levels evaluates the default demands and returns the level of each.
func levels(t *testing.T, d *redline.Document) map[string]coverage.Level {
	t.Helper()
	out := map[string]coverage.Level{}
	for _, r := range coverage.Evaluate(defaultSet(t), d).Results {
		out[r.DemandID] = r.Level
	}
	return out
}

// provisionLevel returns the level the demand's match at path got, or "" if
// path did not match.
func provisionLevel(t *testing.T, d *redline.Document, demand, path string) (coverage.Level, coverage.Evidence) {
	t.Helper()
	ex, err := coverage.Explain(defaultSet(t), demand, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ex.Matches {
		if m.Provision == path {
			return m.Level, m
		}
	}
	return "", coverage.Evidence{}
}
