package amend

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/tree"
)

// An xItem is a paragraph, or a table row of two or more cells, in document
// order. A table row with one cell counts as a paragraph: EUR-Lex prints
// "Amendment N" and the target either above the table or in its first rows.
type xItem struct {
	text  string
	cells [][]string // the blocks of each cell
}

var headerCellRe = regexp.MustCompile(`(?i)^(?:text proposed by the commission|present text|commission proposal|amendment)$`)

// ParseXHTML parses the EUR-Lex XHTML form of a Parliament amendments
// document (CELEX 52023AP0236 and the like): paragraphs of class
// oj-ti-grseq-1 carry "Amendment N", the document line and the target; a
// two-column table follows with a header row "Text proposed by the
// Commission | Amendment" and rows of cells. Footnote calls and footnotes
// are dropped.
func ParseXHTML(data []byte) (*redline.Document, error) {
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse amendments xhtml: %w", err)
	}
	var items []xItem
	collect(root, &items)

	doc := &redline.Document{Kind: redline.DocAmendments, Format: "ep-amendments-xhtml"}
	var raws []rawAmendment
	var cur *rawAmendment
	var targetParts []string
	rows := 0
	var pre []string
	finish := func() error {
		if cur == nil {
			return nil
		}
		if rows == 0 {
			return fmt.Errorf("%s: amendment %d: no table", cur.where, cur.number)
		}
		cur.target = strings.Join(targetParts, " – ")
		raws = append(raws, *cur)
		cur = nil
		return nil
	}
	for i, it := range items {
		if it.cells == nil {
			if m := amendHeadRe.FindStringSubmatch(it.text); m != nil {
				if err := finish(); err != nil {
					return nil, fmt.Errorf("parse amendments xhtml: %w", err)
				}
				n, _ := strconv.Atoi(m[1])
				cur = &rawAmendment{number: n, where: "item " + strconv.Itoa(i+1)}
				targetParts, rows = nil, 0
				continue
			}
			switch {
			case cur == nil:
				pre = append(pre, it.text)
			case rows == 0 && len(targetParts) == 0 && docLineRe.MatchString(it.text):
			case rows == 0 && !headerCellRe.MatchString(it.text):
				targetParts = append(targetParts, it.text)
			}
			continue
		}
		if cur == nil || isHeaderRow(it.cells) {
			continue
		}
		if len(targetParts) == 0 {
			return nil, fmt.Errorf("parse amendments xhtml: %s: amendment %d: no target before the table", cur.where, cur.number)
		}
		cur.left = append(cur.left, it.cells[0]...)
		cur.right = append(cur.right, it.cells[len(it.cells)-1]...)
		rows++
	}
	if err := finish(); err != nil {
		return nil, fmt.Errorf("parse amendments xhtml: %w", err)
	}
	if len(raws) == 0 {
		return nil, fmt.Errorf("parse amendments xhtml: no amendment found (no %q paragraph followed by a table)", "Amendment N")
	}
	xhtmlPreamble(doc, pre)
	for _, r := range raws {
		a, err := r.amendment()
		if err != nil {
			return nil, fmt.Errorf("parse amendments xhtml: %s: amendment %d: %w", r.where, r.number, err)
		}
		doc.Amendments = append(doc.Amendments, a)
	}
	return doc, nil
}

func isHeaderRow(cells [][]string) bool {
	for _, c := range cells {
		for _, b := range c {
			if !headerCellRe.MatchString(b) {
				return false
			}
		}
	}
	return true
}

// xhtmlPreamble sets the title and identifiers from the paragraphs before
// the first amendment. The short title precedes the long one that starts
// "Amendments adopted by".
func xhtmlPreamble(doc *redline.Document, pre []string) {
	doc.Identifiers = identifiers(strings.Join(pre, "\n"))
	for i, p := range pre {
		if !strings.HasPrefix(p, "Amendments adopted by") {
			continue
		}
		title := p
		if i > 0 && !taNumberRe.MatchString(pre[i-1]) && len(pre[i-1]) < 120 {
			title = pre[i-1] + " — " + p
		}
		doc.Title = title
		tree.NewBuilder(doc).Add(-1, redline.Provision{Path: "title", Kind: redline.ProvTitle, Text: title})
		return
	}
}

// collect walks the tree and appends paragraphs and table rows in order.
func collect(n *html.Node, items *[]xItem) {
	if n.Type == html.ElementNode {
		switch {
		case skipped(n):
			return
		case n.DataAtom == atom.Table:
			collectTable(n, items)
			return
		case isBlock(n) && !hasBlockChild(n):
			if t := nodeText(n); t != "" {
				*items = append(*items, xItem{text: t})
			}
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		collect(c, items)
	}
}

func collectTable(t *html.Node, items *[]xItem) {
	for _, tr := range rowsOf(t) {
		var cells []*html.Node
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom == atom.Td || c.DataAtom == atom.Th {
				cells = append(cells, c)
			}
		}
		switch len(cells) {
		case 0:
			continue
		case 1:
			// A layout cell: read what it holds, amendment tables included.
			collect(cells[0], items)
			continue
		}
		row := make([][]string, len(cells))
		empty := true
		for i, c := range cells {
			row[i] = cellBlocks(c)
			empty = empty && len(row[i]) == 0
		}
		if !empty {
			*items = append(*items, xItem{cells: row})
		}
	}
}

// rowsOf returns the rows of table t, not those of tables nested in cells.
func rowsOf(t *html.Node) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.DataAtom {
			case atom.Tr:
				out = append(out, c)
			case atom.Thead, atom.Tbody, atom.Tfoot:
				walk(c)
			}
		}
	}
	walk(t)
	return out
}

// cellBlocks returns the blocks of a cell: its paragraphs, and one block per
// row of a nested table (EUR-Lex sets points as a table of label and text).
func cellBlocks(td *html.Node) []string {
	var out []string
	var inline strings.Builder
	flush := func() {
		if t := cleanText(inline.String(), nil); t != "" {
			out = append(out, t)
		}
		inline.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.ElementNode && skipped(c):
			case c.Type == html.ElementNode && c.DataAtom == atom.Table:
				flush()
				for _, tr := range rowsOf(c) {
					var parts []string
					for cell := tr.FirstChild; cell != nil; cell = cell.NextSibling {
						if cell.DataAtom == atom.Td || cell.DataAtom == atom.Th {
							parts = append(parts, cellBlocks(cell)...)
						}
					}
					if t := cleanText(strings.Join(parts, " "), nil); t != "" {
						out = append(out, t)
					}
				}
			case c.Type == html.ElementNode && isBlock(c) && !hasBlockChild(c):
				flush()
				if t := nodeText(c); t != "" {
					out = append(out, t)
				}
			case c.Type == html.ElementNode && isBlock(c):
				flush()
				walk(c)
				flush()
			default:
				inline.WriteString(nodeTextRaw(c))
			}
		}
	}
	walk(td)
	flush()
	return out
}

func isBlock(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Div, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Dd, atom.Dt:
		return true
	}
	return false
}

func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (isBlock(c) || c.DataAtom == atom.Table || hasBlockChild(c)) {
			return true
		}
	}
	return false
}

// skipped reports elements that carry no text of the act: scripts, styles,
// footnote calls and footnote bodies.
func skipped(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Head, atom.Noscript:
		return true
	}
	cls := " " + attr(n, "class") + " "
	if strings.Contains(cls, " oj-note ") || strings.Contains(cls, " oj-note-tag ") || strings.Contains(cls, " footnote ") {
		return true
	}
	if n.DataAtom == atom.A && (strings.HasPrefix(attr(n, "href"), "#ntr") || strings.Contains(cls, " footnoteRef ")) {
		return true
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func nodeText(n *html.Node) string { return cleanText(nodeTextRaw(n), nil) }

func nodeTextRaw(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipped(n) {
				return
			}
			if n.DataAtom == atom.Br {
				b.WriteByte(' ')
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
