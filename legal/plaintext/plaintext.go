// Package plaintext recognises the legal structure of an EU legislative
// text given as plain text, typically extracted from a PDF by legal/pdftext:
// cover and identifiers, explanatory memorandum, title, citations, recitals,
// titles/chapters/sections, articles, paragraphs, points, subparagraphs,
// closing formula, financial statement, annexes and footnotes.
//
// It works on both kinds of reading-order text: the Go extractor's (a
// point's label on the line of its text) and pdftotext's, which often
// prints labels apart from their text and, at page breaks, out of order.
// Labels waiting for their text are kept in a queue and matched to the text
// that follows by position and numbering (the rules are in engine.go).
package plaintext

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/norm"
)

// Options tune Parse.
type Options struct {
	// Kind is a hint; "" means detect (proposal, council, act or amending_act).
	Kind redline.DocumentKind
}

// ErrNoText is returned by Parse for input without any text.
var ErrNoText = errors.New("no text")

// Format is the Document.Format that Parse sets; a caller that extracted the
// text from a PDF may set "pdf" instead.
const Format = "text"

// Parse recognises legal structure in text extracted from a PDF (pages
// separated by "\f"), after cleaning it (see Clean). Provisions get the
// paths of the legal model ("Article 5(1)(d)(iii)", "Annex III point 6(a)");
// footnotes come last, in number order, so that a new pagination does not
// move them. The Kind is opts.Kind, or detected from the cover and title;
// Identifiers are the document numbers found there. A text that shows no
// structure at all still yields a document (of memorandum blocks); only
// empty input is an error.
func Parse(text string, opts Options) (*redline.Document, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("parse plain text: %w", ErrNoText)
	}
	pages := cleanPages(text)
	pages, notes := splitFootnotes(pages)
	doc := &redline.Document{Format: Format, Provisions: []redline.Provision{}}
	p := newParser(doc, pages)
	p.parse()
	reorder(doc)
	sort.SliceStable(notes, func(i, j int) bool { return notes[i].n < notes[j].n })
	for _, f := range notes {
		n := strconv.Itoa(f.n)
		p.b.Add(-1, redline.Provision{Path: "footnote " + n, Kind: redline.ProvFootnote, Label: n, Text: norm.Text(f.text)})
	}
	doc.Title = p.title
	if doc.Title == "" {
		doc.Title = p.coverTitle
	}
	doc.Identifiers = identifiers(firstPage(text)+"\n"+p.coverTitle, doc.Title)
	doc.Kind = opts.Kind
	if doc.Kind == "" {
		doc.Kind = detectKind(firstPage(text), doc.Title)
	}
	if len(doc.Provisions) == 0 {
		return nil, fmt.Errorf("parse plain text: %w", ErrNoText)
	}
	return doc, nil
}

// firstPage returns the raw first page, where cover identifiers live (the
// Council's document number is in a running header that Clean removes).
func firstPage(text string) string {
	s, _, found := strings.Cut(text, "\f")
	if !found {
		// Text that lost its form feeds: the first page inferPages finds.
		s = strings.Join(inferPages(strings.Split(s, "\n"))[0], "\n")
	}
	return norm.Text(s)
}

var (
	comRe  = regexp.MustCompile(`\b(COM|SEC|SWD|C)\s?\((\d{4})\)\s?(\d+)\s+final\b`)
	procRe = regexp.MustCompile(`\b(\d{4})/(\d{4})\s?\((COD|CNS|NLE|APP|INI|INL|BUD|DEC)\)`)
	// A Council document number sits next to the author's initials, the
	// LIMITE marking or the language note on the cover and in page headers.
	councilRe = regexp.MustCompile(`(?:\(OR\. [a-z]{2}\)\s+(\d{4,5}/\d{2})\b|\b(\d{4,5}/\d{2})\s+(?:[A-Z]{2,4}/[a-z]{2,4}\b|LIMITE\b))`)
	actNumRe  = regexp.MustCompile(`^(?:COMMISSION |COUNCIL )?(?:IMPLEMENTING |DELEGATED )?(?:REGULATION|DIRECTIVE|DECISION) \((EU|EC|EU, Euratom)\) (?:No )?(\d+/\d+)`)
	peConsRe  = regexp.MustCompile(`\bPE-CONS ([0-9]{1,4}/(?:[0-9]{1,2}/)?[0-9]{2})\b`)
	epRe      = regexp.MustCompile(`\b(P\d{1,2}_TA(?:-PROV)?\(\d{4}\)\d{4}|A\d{1,2}-\d{4}/\d{4})\b`)
	braceRe   = regexp.MustCompile(`\{[^}]*\}`)
	// The enacting formula of every act names the Council; only the
	// Council's own cover ("Council of the European Union", LIMITE, …) makes
	// a Council document.
	enactingRe  = regexp.MustCompile(`THE (?:EUROPEAN PARLIAMENT AND THE )?COUNCIL OF THE EUROPEAN UNION`)
	councilHint = regexp.MustCompile(`(?i)council of the\s+european union|\bLIMITE\b|general secretariat of the council|interinstitutional file`)
	amendingRe  = regexp.MustCompile(`(?i)^(?:proposal for an? )?(?:regulation|directive|decision)\b.{0,120}?\bof the (?:council|commission)(?: of [^,]{0,40})?,? amending\b`)
)

// identifiers finds document numbers in the cover and title: "COM(2021)
// 206 final", "2021/0106(COD)", "ST 15698/22", "(EU) 2024/1689",
// "P9_TA(2023)0236", "PE-CONS 24/24". Numbers in braces ({SEC(2021) 167
// final}) are related documents, not this one.
func identifiers(cover, title string) []string {
	s := braceRe.ReplaceAllString(cover+"\n"+title, " ")
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, m := range comRe.FindAllStringSubmatch(s, -1) {
		add(m[1] + "(" + m[2] + ") " + m[3] + " final")
	}
	for _, m := range procRe.FindAllStringSubmatch(s, -1) {
		add(m[1] + "/" + m[2] + "(" + m[3] + ")")
	}
	if councilHint.MatchString(enactingRe.ReplaceAllString(s, " ")) {
		for _, m := range councilRe.FindAllStringSubmatch(s, -1) {
			add("ST " + m[1] + m[2])
		}
	}
	// The Council's "PE-CONS" number of an act agreed for signature.
	for _, m := range peConsRe.FindAllStringSubmatch(s, -1) {
		add("PE-CONS " + m[1])
	}
	if m := actNumRe.FindStringSubmatch(title); m != nil {
		add("(" + m[1] + ") " + m[2])
	}
	for _, m := range epRe.FindAllStringSubmatch(s, -1) {
		add(m[1])
	}
	return out
}

// detectKind guesses the document kind from the cover and the title.
func detectKind(cover, title string) redline.DocumentKind {
	t := norm.Text(title)
	switch {
	case councilHint.MatchString(enactingRe.ReplaceAllString(cover, " ")):
		return redline.DocCouncil
	case amendingRe.MatchString(t):
		return redline.DocAmendingAct
	case strings.Contains(strings.ToLower(t), "proposal for") || strings.Contains(strings.ToLower(cover), "proposal for"):
		return redline.DocProposal
	}
	return redline.DocAct
}

// line is one non-empty line of cleaned text.
type line struct {
	text  string // normalised (norm.Text)
	blank bool   // a blank line precedes it
	page  bool   // it starts a page other than the first
}

// flatten turns cleaned pages into lines, recording blank lines and page
// breaks as flags of the next line.
func flatten(pages [][]string) []line {
	var out []line
	for p, lines := range pages {
		blank, page := false, p > 0
		for _, l := range lines {
			t := norm.Text(l)
			if t == "" {
				blank = true
				continue
			}
			out = append(out, line{text: t, blank: blank, page: page})
			blank, page = false, false
		}
	}
	return out
}

// fullWidth is the length of a full line of body text: the 90th percentile
// of line lengths. A shorter line that ends a sentence ends a paragraph.
func fullWidth(lines []line) int {
	var n []int
	for _, l := range lines {
		if k := runeLen(l.text); k >= 20 {
			n = append(n, k)
		}
	}
	if len(n) == 0 {
		return 80
	}
	sort.Ints(n)
	// Short texts (a few lines) say nothing about the page width.
	return max(n[len(n)*9/10], 60)
}

// terminal reports whether s ends a sentence or a chapeau: ".", ":", ";",
// possibly followed by closing quotes.
func terminal(s string) bool {
	s = strings.TrimRight(s, "”’\"'")
	return s != "" && strings.ContainsRune(".:;!?", rune(s[len(s)-1]))
}

// itemEnd reports whether a line ends in a way after which a new point may
// start: terminal punctuation or "; and", ", or".
func itemEnd(s string) bool {
	if terminal(s) {
		return true
	}
	return strings.HasSuffix(s, "; and") || strings.HasSuffix(s, "; or") || strings.HasSuffix(s, ", and") || strings.HasSuffix(s, ", or")
}

// upperStart reports whether s starts with an upper-case letter or a digit.
func upperStart(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r) || unicode.IsDigit(r)
	}
	return false
}

// lowerStart reports whether s starts with a lower-case letter.
func lowerStartRune(s string) bool {
	for _, r := range s {
		return unicode.IsLower(r)
	}
	return false
}

// capsLine reports whether s is mostly upper-case letters (a heading).
func capsLine(s string) bool {
	up, low := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			up++
		case unicode.IsLower(r):
			low++
		}
	}
	return up >= 2 && low*5 <= up
}

// firstWord returns the first space-separated word of s.
func firstWord(s string) string {
	w, _, _ := strings.Cut(s, " ")
	return w
}

// reorder puts provisions in document order: depth first, children in the
// order they were read. Labels read ahead of their text (see engine.go)
// create provisions early; their place in the tree was right, their place
// in the list was not.
func reorder(doc *redline.Document) {
	n := len(doc.Provisions)
	kids := make([][]int, n+1) // kids[n] holds the top level
	for i, pr := range doc.Provisions {
		parent := pr.Parent
		if parent < 0 {
			parent = n
		}
		kids[parent] = append(kids[parent], i)
	}
	order := make([]int, 0, n)
	var walk func(int)
	walk = func(i int) {
		order = append(order, i)
		for _, k := range kids[i] {
			walk(k)
		}
	}
	for _, k := range kids[n] {
		walk(k)
	}
	pos := make([]int, n)
	for newI, oldI := range order {
		pos[oldI] = newI
	}
	out := make([]redline.Provision, n)
	for newI, oldI := range order {
		pr := doc.Provisions[oldI]
		if pr.Parent >= 0 {
			pr.Parent = pos[pr.Parent]
		}
		out[newI] = pr
	}
	doc.Provisions = out
}
