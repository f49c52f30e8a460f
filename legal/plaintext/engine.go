package plaintext

import (
	"strconv"
	"strings"

	"github.com/redline-watch/redline"
)

// This file matches labels to their text and places labelled provisions in
// the tree.
//
// Reading-order extraction does not always print a label next to its text.
// pdftotext prints a column of labels apart from the column of texts, so
// several labels can arrive before any text ("1." "2." then the text of
// paragraph 1, its points, then the text of paragraph 2), and at a page
// break a label can be printed before the points of its predecessor ("(d)"
// "(i)" "(ii)" then the text of (d)). A labelled provision without text is
// pending; text goes to a pending provision by these rules, in order:
//
//  0. A block of lines that holds several paragraphs while several labels
//     wait is a column of their texts: its paragraphs go to them in order.
//  1. A label read just before the text gets it when it was the only label
//     since the last text, or when it is deeper than the label before it
//     (that earlier label is an orphan whose text comes later).
//  2. Text that continues an unfinished sentence continues it.
//  3. Text followed by a label goes to the oldest pending provision that
//     label can be the first child of: it is the chapeau or title of a list.
//  4. Otherwise the oldest pending provision gets it.
//
// A new label is placed relative to the provision that received text last
// (the cursor), never relative to a pending orphan: walking up from the
// cursor, it becomes the next sibling of a provision it follows in
// numbering ("(b)" after "(a)", "(i)" after "(h)"), or the first child of a
// provision that can hold its kind ("(i)" under "(c)", "(a)" under "1.").
// After a chapeau ending with ":", a label that can open a list does so.

// pend marks provision i as waiting for its text.
func (p *parser) pend(i int) {
	p.pending = append(p.pending, i)
	p.run = append(p.run, i)
}

func (p *parser) isPending(i int) bool {
	for _, j := range p.pending {
		if j == i {
			return true
		}
	}
	return false
}

// label reads a labelled provision at p.i, with the rest of its line.
func (p *parser) label(lab label, rest string) {
	parent, fam, ok := p.place(lab)
	if !ok {
		p.text(p.readChunkFrom(p.lines[p.i].text))
		return
	}
	role, kind := rolePoint, redline.ProvPoint
	if fam == famNum && p.meta[parent].role == roleArticle {
		role, kind = roleParagraph, redline.ProvParagraph
	}
	i := p.add(parent, redline.Provision{Path: p.childPath(parent, lab.s, fam), Kind: kind, Label: lab.s}, meta{role: role, fam: fam})
	p.pend(i)
	p.structural = true
	if rest == "" {
		p.i++
		return
	}
	p.assign(i, p.readChunkFrom(rest))
}

// childPath is the path of a labelled child of parent.
func (p *parser) childPath(parent int, l string, fam family) string {
	pp := p.prov(parent).Path
	switch p.meta[parent].role {
	case roleArticle:
		if fam == famNum {
			return pp + "(" + l + ")"
		}
		return pp + " point " + pathLabel(l)
	case roleAnnex, rolePart:
		if fam == famNum || fam == famDotted {
			return pp + " point " + l
		}
		return pp + " point " + pathLabel(l)
	}
	if fam == famDotted && p.root >= 0 {
		return p.prov(p.root).Path + " point " + l
	}
	return pp + pathLabel(l)
}

// accepts reports whether a provision described by m can hold children of family f.
func accepts(m meta, f family) bool {
	switch m.role {
	case roleArticle:
		return f == famNum || f == famPNum || f == famLetter
	case roleAnnex, rolePart:
		return f == famNum || f == famPNum || f == famLetter || f == famDotted
	case roleParagraph, roleSub:
		return f == famLetter || f == famPNum
	case roleRecital:
		return f == famLetter
	case rolePoint:
		switch m.fam {
		case famNum, famDotted:
			return f == famLetter || f == famPNum || f == famDotted
		case famPNum:
			return f == famLetter
		case famLetter:
			return f == famRoman
		}
	}
	return false
}

// lastKid returns the last child of parent in family f, or -1.
func (p *parser) lastKid(parent int, f family) int {
	for i := len(p.meta) - 1; i > parent; i-- {
		if p.prov(i).Parent == parent && p.meta[i].fam == f && p.meta[i].role != roleSub {
			return i
		}
	}
	return -1
}

// place finds the parent and numbering family of a new label, or reports
// that it has no home (no article, annex or recital to hang it on).
func (p *parser) place(lab label) (int, family, bool) {
	root := p.root
	fams := lab.families()
	if root < 0 || len(fams) == 0 {
		return -1, famNone, false
	}
	var chain []int
	for c := p.cursor; c >= 0; c = p.prov(c).Parent {
		if c == root {
			break
		}
		chain = append(chain, c)
		if p.prov(c).Parent < 0 {
			chain = nil // the cursor is outside the current root
		}
	}
	// After a chapeau ("… provides for:") a first label opens the list, even
	// when it could also continue the sequence: "(h) …:" then "(i)".
	if len(chain) > 0 && strings.HasSuffix(p.prov(chain[0]).Text, ":") {
		c := chain[0]
		for _, f := range fams {
			if p.opens(c, lab, f) && p.lastKid(c, f) < 0 {
				return c, f, true
			}
		}
	}
	for _, c := range chain {
		m := p.meta[c]
		if m.role != roleSub {
			for _, f := range fams {
				if m.fam == f && lab.follows(p.prov(c).Label, f) {
					return p.prov(c).Parent, f, true
				}
			}
		}
		for _, f := range fams {
			if p.opens(c, lab, f) && p.lastKid(c, f) < 0 {
				return c, f, true
			}
		}
	}
	rm := p.meta[root]
	for _, f := range fams {
		if !accepts(rm, f) {
			continue
		}
		last := p.lastKid(root, f)
		if last < 0 && lab.first(f) || last >= 0 && lab.follows(p.prov(last).Label, f) {
			return root, f, true
		}
	}
	// Numbering that does not follow (a duplicate "(1)", a gap): a sibling
	// of the nearest provision of the same family, else a child of the
	// nearest provision that can hold it, else of the root.
	for _, c := range chain {
		if fams[0] == famDotted && p.prov(c).Label == lab.parent() {
			return c, famDotted, true
		}
	}
	for _, c := range chain {
		for _, f := range fams {
			if p.meta[c].fam == f && p.meta[c].role != roleSub {
				return p.prov(c).Parent, f, true
			}
		}
	}
	for _, c := range chain {
		for _, f := range fams {
			if accepts(p.meta[c], f) {
				return c, f, true
			}
		}
	}
	for _, f := range fams {
		if accepts(rm, f) {
			return root, f, true
		}
	}
	return -1, famNone, false
}

// canFirstChild reports whether lab can start the children of provision c.
func (p *parser) canFirstChild(c int, lab label) bool {
	for _, f := range lab.families() {
		if p.opens(c, lab, f) {
			return true
		}
	}
	return false
}

// opens reports whether lab, read as family f, can be the first child of c:
// "(a)" under "1.", "(i)" under "(c)", "3.1." under "3.".
func (p *parser) opens(c int, lab label, f family) bool {
	if !accepts(p.meta[c], f) || !lab.first(f) {
		return false
	}
	return f != famDotted || p.prov(c).Label == lab.parent()
}

// nextLabel returns the label that starts line p.i, if any.
func (p *parser) nextLabel() (label, bool) {
	if p.i >= len(p.lines) {
		return label{}, false
	}
	lab, _, ok := parseLabel(p.lines[p.i].text)
	return lab, ok
}

// text gives a chunk of text to the provision it belongs to (see the rules
// at the top of this file).
func (p *parser) text(chunk string) {
	if chunk == "" {
		return
	}
	// Several paragraphs in one block while several labels wait: the
	// block is a column of their texts, in order.
	if len(p.pending) >= 2 && (p.splitAfter || p.splitBefore) {
		p.assign(p.pending[0], chunk)
		return
	}
	if n := len(p.run); n > 0 {
		last := p.run[n-1]
		if p.isPending(last) && (n == 1 || p.prov(last).Depth > p.prov(p.run[n-2]).Depth) {
			p.assign(last, chunk)
			return
		}
	}
	if len(p.pending) > 0 {
		if len(p.run) == 0 && p.continues() {
			p.appendText(p.cursor, chunk)
			return
		}
		if lab, ok := p.nextLabel(); ok {
			for _, c := range p.pending {
				if p.canFirstChild(c, lab) {
					p.assign(c, chunk)
					return
				}
			}
		}
		p.assign(p.pending[0], chunk)
		return
	}
	if p.continues() {
		p.appendText(p.cursor, chunk)
		return
	}
	p.subparagraph(chunk)
}

// continues reports whether the cursor's text is an unfinished sentence,
// which the next chunk of text continues (a page break, a blank line).
func (p *parser) continues() bool {
	return p.cursor >= 0 && p.prov(p.cursor).Text != "" && !terminal(p.prov(p.cursor).Text)
}

// assign gives pending provision i its text.
func (p *parser) assign(i int, chunk string) {
	for k, j := range p.pending {
		if j == i {
			p.pending = append(p.pending[:k], p.pending[k+1:]...)
			break
		}
	}
	p.appendText(i, chunk)
}

func (p *parser) appendText(i int, chunk string) {
	pr := p.prov(i)
	if pr.Text == "" {
		pr.Text = chunk
	} else {
		pr.Text += " " + chunk
	}
	p.cursor = i
	p.run = nil
}

// subparagraph places text that no label claims and that does not continue
// a sentence: a recital's or a citation's further paragraph, an article's
// own text, or a subparagraph of the paragraph (or article, annex, annex
// point) that holds the cursor.
func (p *parser) subparagraph(chunk string) {
	c := p.cursor
	if c < 0 {
		c = p.root
	}
	if c < 0 {
		p.memoN++
		p.add(-1, redline.Provision{Path: "memorandum " + strconv.Itoa(p.memoN), Kind: redline.ProvMemorandum, Heading: p.memoHead, Text: chunk}, meta{})
		p.cursor = len(p.doc.Provisions) - 1
		p.run = nil
		return
	}
	// Text between two points of one list ("(a) …" / "This shall not
	// include …" / "(b) …") belongs to the earlier point; text after the
	// last point belongs to the paragraph that holds the list.
	next, hasNext := p.nextLabel()
	target := c
	// Text after a chapeau ("…, the following paragraph is added:") is
	// what the chapeau announces: the quoted wording of an amendment, a
	// list printed without labels.
	chapeau := p.meta[c].role != roleSub && strings.HasSuffix(p.prov(c).Text, ":")
	for !chapeau {
		m := p.meta[target]
		switch {
		case m.role == roleSub:
			target = p.prov(target).Parent
			continue
		case m.role == rolePoint && m.fam != famNum && m.fam != famDotted:
			if hasNext && next.follows(p.prov(target).Label, m.fam) {
				break
			}
			if parent := p.prov(target).Parent; parent >= 0 {
				target = parent
				continue
			}
		}
		break
	}
	m := p.meta[target]
	switch m.role {
	case roleArticle:
		if p.prov(target).Text == "" && p.lastKid(target, famNum) < 0 && p.lastKid(target, famPNum) < 0 && p.lastKid(target, famLetter) < 0 {
			p.appendText(target, chunk)
			return
		}
	case roleParagraph, roleAnnex, rolePart, rolePoint, roleDivision:
	default:
		p.appendText(target, chunk)
		return
	}
	n := 1
	if p.prov(target).Text != "" {
		n = 2
	}
	for i := target + 1; i < len(p.meta); i++ {
		if p.meta[i].role == roleSub && p.prov(i).Parent == target {
			n++
		}
	}
	ns := strconv.Itoa(n)
	i := p.add(target, redline.Provision{Path: p.prov(target).Path + " subparagraph " + ns, Kind: redline.ProvSubparagraph, Label: ns, Text: chunk}, meta{role: roleSub})
	p.cursor = i
	p.run = nil
}
