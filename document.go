package redline

import (
	"fmt"
	"strings"
)

// DocumentKind says what kind of text a Document is.
type DocumentKind string

// The kinds of document redline parses.
const (
	DocUnknown      DocumentKind = "unknown"
	DocAct          DocumentKind = "act"          // an adopted act as published in the Official Journal
	DocConsolidated DocumentKind = "consolidated" // a consolidated version of an act
	DocProposal     DocumentKind = "proposal"     // a Commission proposal
	DocCouncil      DocumentKind = "council"      // a Council text (general approach, compromise)
	DocAmendments   DocumentKind = "amendments"   // Parliament amendments to a proposal
	DocAmendingAct  DocumentKind = "amending_act" // an act (or proposal) that amends another act
	DocRegister     DocumentKind = "register"     // a procedure page: a dossier timeline
)

// ProvisionKind says what a provision is in the legal structure.
type ProvisionKind string

// The kinds of provision. Paths of each kind are shown in brackets.
const (
	ProvTitle        ProvisionKind = "title"        // the document title ["title"]
	ProvMemorandum   ProvisionKind = "memorandum"   // explanatory memorandum, financial statement ["memorandum 3"]
	ProvCitation     ProvisionKind = "citation"     // "Having regard to ..." ["citation 2"]
	ProvRecital      ProvisionKind = "recital"      // ["recital 38"]
	ProvDivision     ProvisionKind = "division"     // TITLE, PART, CHAPTER, SECTION headings ["Chapter II", "Title III Chapter 2"]
	ProvArticle      ProvisionKind = "article"      // ["Article 5"]
	ProvParagraph    ProvisionKind = "paragraph"    // numbered paragraph ["Article 5(1)"]
	ProvSubparagraph ProvisionKind = "subparagraph" // unnumbered subparagraph after the first ["Article 5(1) subparagraph 2"]
	ProvPoint        ProvisionKind = "point"        // lettered or numbered point, any depth ["Article 5(1)(h)", "Article 5(1)(h)(iii)"]
	ProvAnnex        ProvisionKind = "annex"        // ["Annex III"]
	ProvAnnexPart    ProvisionKind = "annex_part"   // a section or part inside an annex ["Annex VIII Section A"]
	ProvFinal        ProvisionKind = "final"        // closing formula and signatures ["final"]
	ProvFootnote     ProvisionKind = "footnote"     // a footnote ["footnote 12"]
)

// Provision is one node of a document's legal structure. Provisions are kept
// in a flat slice in document order; Parent links them into a tree.
type Provision struct {
	// Path is stable across versions that keep the numbering, e.g.
	// "Article 5(1)(h)(iii)" or "Annex III point 6(a)".
	Path string        `json:"path"`
	Kind ProvisionKind `json:"kind"`
	// Label is the number or letter as printed, without brackets: "5", "1", "h", "iii", "III".
	Label string `json:"label,omitempty"`
	// Heading is the title of an article, annex or division.
	Heading string `json:"heading,omitempty"`
	// Text is the provision's own normalised text; children are not included.
	Text string `json:"text,omitempty"`
	// Parent is the index of the parent provision in Document.Provisions, or -1.
	Parent int `json:"parent"`
	// Depth is 0 for top-level provisions.
	Depth int `json:"depth"`
	// Markers are metadata such as consolidated-text amendment markers ("M1").
	Markers []string `json:"markers,omitempty"`
}

// AmendOp is what an amendment does to its target.
type AmendOp string

// The amendment operations.
const (
	OpReplace AmendOp = "replace"
	OpInsert  AmendOp = "insert"
	OpDelete  AmendOp = "delete"
)

// Amendment is one Parliament amendment: a target in the proposal and both columns.
type Amendment struct {
	Number int `json:"number"`
	// Target is the target as printed: "Article 5 – paragraph 1 – point d".
	Target string `json:"target"`
	// Path is the target as a provision path: "Article 5(1)(d)".
	Path string  `json:"path"`
	Op   AmendOp `json:"op"`
	// Original is the Commission's text (left column); Text the Parliament's (right column).
	Original string `json:"original,omitempty"`
	Text     string `json:"text,omitempty"`
}

// Modification is one change that an amending act makes to another act.
type Modification struct {
	// Act names the amended act as printed, e.g. "Regulation (EU) 2024/1689".
	Act string `json:"act,omitempty"`
	// Point is the amending act's own point that carries the change, e.g. "Article 1(7)".
	Point string `json:"point,omitempty"`
	// Path is the target in the amended act, e.g. "Article 5(1)(ba)".
	Path string  `json:"path"`
	Op   AmendOp `json:"op"`
	// Text is the quoted new wording, one line per block as in
	// Amendment.Text (a new article starts with its title); empty for a
	// deletion.
	Text string `json:"text,omitempty"`
}

// DossierEvent is one event of a legislative procedure, from a register page.
type DossierEvent struct {
	// Date is YYYY-MM-DD.
	Date string `json:"date"`
	// Institution is "Commission", "European Parliament", "Council", ... as the register names it.
	Institution string `json:"institution,omitempty"`
	// Type is the register's own event code or label, e.g. "ADP_PROPLEG_byCOM" or "PLENARY_VOTE".
	Type string `json:"type,omitempty"`
	// Title is the event in words.
	Title string `json:"title,omitempty"`
	// Documents are identifiers such as "COM(2021) 206", "CELEX:52021PC0206", "ST 15698 2022 INIT", "TA-9-2023-0236".
	Documents []string `json:"documents,omitempty"`
}

// Document is a parsed legal text or register page.
type Document struct {
	Kind DocumentKind `json:"kind"`
	// Format names the parser that read the bytes, e.g. "oj-xhtml" or "pdf".
	Format string `json:"format,omitempty"`
	// Extractor names the text extractor and its version for PDFs; a change of
	// extractor re-baselines a source instead of reporting a change.
	Extractor string `json:"extractor,omitempty"`
	Title     string `json:"title,omitempty"`
	// Identifiers are document numbers found in the text: "COM(2021) 206", "2021/0106(COD)", ...
	Identifiers []string    `json:"identifiers,omitempty"`
	Provisions  []Provision `json:"provisions"`
	Amendments  []Amendment `json:"amendments,omitempty"`
	// AmendedFrom names the text the Amendments were applied to (its title);
	// empty when Provisions are the document's own and the amendments are
	// only listed.
	AmendedFrom   string         `json:"amended_from,omitempty"`
	Modifications []Modification `json:"modifications,omitempty"`
	Events        []DossierEvent `json:"events,omitempty"`
}

// Find returns the index of the provision with the given path, or -1.
func (d *Document) Find(path string) int {
	for i := range d.Provisions {
		if d.Provisions[i].Path == path {
			return i
		}
	}
	return -1
}

// Children returns the indexes of the direct children of provision i, in order.
// Use -1 for the top level.
func (d *Document) Children(i int) []int {
	var out []int
	for j := range d.Provisions {
		if d.Provisions[j].Parent == i {
			out = append(out, j)
		}
	}
	return out
}

// Ancestors returns the indexes of the ancestors of provision i, nearest first.
func (d *Document) Ancestors(i int) []int {
	var out []int
	for p := d.Provisions[i].Parent; p >= 0; p = d.Provisions[p].Parent {
		out = append(out, p)
	}
	return out
}

// Top returns the index of the top-level ancestor of provision i (i itself if top level).
func (d *Document) Top(i int) int {
	for d.Provisions[i].Parent >= 0 {
		i = d.Provisions[i].Parent
	}
	return i
}

// Canonical returns the canonical text of the document: one line per
// provision, "path<TAB>heading<TAB>text", then amendments, modifications and events.
// It depends only on the parsed structure, so markup churn never changes it.
func (d *Document) Canonical() string {
	var b strings.Builder
	for _, p := range d.Provisions {
		b.WriteString(p.Path)
		b.WriteByte('\t')
		b.WriteString(oneLine(p.Heading))
		b.WriteByte('\t')
		b.WriteString(oneLine(p.Text))
		b.WriteByte('\n')
	}
	for _, a := range d.Amendments {
		fmt.Fprintf(&b, "amendment %d\t%s\t%s\t%s\n", a.Number, a.Path, a.Op, oneLine(a.Text))
	}
	for _, m := range d.Modifications {
		fmt.Fprintf(&b, "modification\t%s\t%s\t%s\t%s\n", m.Point, m.Path, m.Op, oneLine(m.Text))
	}
	for _, e := range d.Events {
		b.WriteString("event\t")
		b.WriteString(e.Date)
		b.WriteByte('\t')
		b.WriteString(oneLine(e.Institution + " | " + e.Type + " | " + e.Title + " | " + strings.Join(e.Documents, ", ")))
		b.WriteByte('\n')
	}
	return b.String()
}

// oneLine replaces line breaks so a value fits on one canonical line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	return strings.NewReplacer("\r\n", " / ", "\n", " / ", "\r", " / ", "\t", " ").Replace(s)
}
