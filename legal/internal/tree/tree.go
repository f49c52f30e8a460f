// Package tree builds the flat, parent-linked provision list of a
// redline.Document, keeping paths unique and depths consistent.
package tree

import (
	"errors"
	"fmt"
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

// Check reports every provision of doc that breaks the invariants a
// Builder keeps: unique paths, a parent index in [-1, i), and a depth one
// more than the parent's (0 at the top level).
func Check(doc *redline.Document) error {
	var errs []error
	seen := make(map[string]bool, len(doc.Provisions))
	for i, p := range doc.Provisions {
		if seen[p.Path] {
			errs = append(errs, fmt.Errorf("provision %d: path %q repeated", i, p.Path))
		}
		seen[p.Path] = true
		if p.Parent >= i || p.Parent < -1 {
			errs = append(errs, fmt.Errorf("provision %d (%s): parent %d does not precede it", i, p.Path, p.Parent))
			continue
		}
		want := 0
		if p.Parent >= 0 {
			want = doc.Provisions[p.Parent].Depth + 1
		}
		if p.Depth != want {
			errs = append(errs, fmt.Errorf("provision %d (%s): depth %d, want %d", i, p.Path, p.Depth, want))
		}
	}
	return errors.Join(errs...)
}
