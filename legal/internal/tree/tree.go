// Package tree builds the flat, parent-linked provision list of a
// redline.Document, keeping paths unique and depths consistent.
package tree

import (
	"strconv"

	"github.com/redline-watch/redline"
)

// Builder appends provisions to a Document in document order.
type Builder struct {
	Doc  *redline.Document
	seen map[string]int
}

// NewBuilder returns a Builder that appends to doc.
func NewBuilder(doc *redline.Document) *Builder {
	b := &Builder{Doc: doc, seen: make(map[string]int, len(doc.Provisions))}
	for _, p := range doc.Provisions {
		b.seen[p.Path]++
	}
	return b
}

// Add appends p under the provision at index parent (-1 for top level) and
// returns its index. Parent and Depth are set from parent. A path already used
// in the document gets a suffix " [2]", " [3]", ... so paths stay unique.
func (b *Builder) Add(parent int, p redline.Provision) int {
	p.Parent = parent
	p.Depth = 0
	if parent >= 0 {
		p.Depth = b.Doc.Provisions[parent].Depth + 1
	}
	if n := b.seen[p.Path]; n > 0 {
		base := p.Path
		for {
			n++
			p.Path = base + " [" + strconv.Itoa(n) + "]"
			if b.seen[p.Path] == 0 {
				break
			}
		}
		b.seen[base] = n
	}
	b.seen[p.Path]++
	b.Doc.Provisions = append(b.Doc.Provisions, p)
	return len(b.Doc.Provisions) - 1
}

// Has reports whether a provision with exactly this path was added.
func (b *Builder) Has(path string) bool { return b.seen[path] > 0 }
