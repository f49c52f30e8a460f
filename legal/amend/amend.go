// Package amend reads European Parliament amendment documents ("Amendments
// adopted by the European Parliament … on the proposal for a regulation …",
// e.g. P9_TA(2023)0236) into redline Amendments, and applies amendments to a
// proposal to obtain the amended text.
//
// Two forms are read: the layout text of the PDF (pdftotext -layout; the
// caller extracts it) and the EUR-Lex XHTML (CELEX 5yyyyAPnnnn). Each
// amendment has a printed target ("Article 5 – paragraph 1 – point d"), the
// Commission's text (left column) and the Parliament's (right column);
// "deleted" in the right column deletes, an empty left column inserts.
package amend

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/norm"
	"github.com/redline-watch/redline/legal/internal/tree"
)

var (
	// identifierRe finds document numbers in the header of an amendments
	// document: the TA number, the COM number, the procedure, the
	// Council-to-EP transmission and the committee report.
	identifierRe   = regexp.MustCompile(`P\d{1,2}_TA(?:-PROV)?\(\d{4}\)\d{4}|COM\(\d{4}\)\s?\d{3,4}(?:\s+final)?|\d{4}/\d{4}\((?:COD|CNS|NLE|APP|INI|INL)\)|C\d{1,2}-\d{4}/\d{4}|A\d{1,2}-\d{4}/\d{4}`)
	preambleNoteRe = regexp.MustCompile(`^(\d{1,2})\s{2,}(\S.*)$`)
	taNumberRe     = regexp.MustCompile(`^P\d{1,2}_TA(?:-PROV)?\(\d{4}\)\d{4}$`)
)

// identifiers returns the distinct document numbers in s, in order.
func identifiers(s string) []string {
	var out []string
	for _, id := range identifierRe.FindAllString(s, -1) {
		id = norm.Text(id)
		dup := false
		for _, x := range out {
			dup = dup || x == id
		}
		if !dup {
			out = append(out, id)
		}
	}
	return out
}

// preamble reads the title page of the layout text: the TA number, the
// title block under it, identifiers and footnotes.
func preamble(doc *redline.Document, lines []layoutLine) {
	var all strings.Builder
	var titleLines []string
	notes := map[string]bool{}
	var footnotes [][2]string
	state := 0 // 0 before the TA number, 1 in the title block, 2 after it
	for _, l := range lines {
		s := l.trimmed()
		if l.furniture {
			continue
		}
		all.WriteString(s)
		all.WriteByte('\n')
		if m := preambleNoteRe.FindStringSubmatch(s); m != nil && l.indent == 0 && state == 2 {
			notes[m[1]] = true
			footnotes = append(footnotes, [2]string{m[1], m[2]})
			continue
		}
		if len(footnotes) > 0 && s != "" && l.indent > 0 {
			footnotes[len(footnotes)-1][1] += " " + s
			continue
		}
		switch {
		case state == 0 && taNumberRe.MatchString(s):
			state = 1
		case state == 1 && s == "" && len(titleLines) > 0:
			state = 2
		case state == 1 && s != "":
			titleLines = append(titleLines, s)
		}
	}
	doc.Identifiers = identifiers(all.String())
	b := tree.NewBuilder(doc)
	if len(titleLines) > 0 {
		title := cleanText(titleLines[0], notes)
		if len(titleLines) > 1 {
			title += " — " + cleanText(strings.Join(titleLines[1:], " "), notes)
		}
		doc.Title = title
		b.Add(-1, redline.Provision{Path: "title", Kind: redline.ProvTitle, Text: title})
	}
	for _, f := range footnotes {
		b.Add(-1, redline.Provision{Path: "footnote " + f[0], Kind: redline.ProvFootnote, Label: f[0], Text: norm.Text(f[1])})
	}
}

var (
	looksHeadRe  = regexp.MustCompile(`(?m)(?:^|>)[ \t\f]*Amendment\s+\d{1,4}[ \t]*(?:$|<)`)
	looksTableRe = regexp.MustCompile(`(?i)Text\s+proposed\s+by\s+the\s+Commission`)
)

// LooksLikeAmendments reports whether data (layout or plain text, or XHTML)
// is a Parliament amendments document: it has "Amendment N" headings and the
// "Text proposed by the Commission" column. Only the first 1 MB is examined.
func LooksLikeAmendments(data []byte) bool {
	if len(data) > 1<<20 {
		data = data[:1<<20]
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	// XHTML spells headings with no-break spaces ("Amendment\u00a012"), as
	// the Official Journal does ("Article\u00a05").
	for _, nbsp := range []string{"\u00a0", "&#160;", "&nbsp;", "&#xA0;", "&#xa0;"} {
		data = bytes.ReplaceAll(data, []byte(nbsp), []byte(" "))
	}
	// The expressions only run near their literal words: over a whole
	// megabyte of an ordinary act they take tens of milliseconds.
	return matchNear(bytes.ToLower(data), data, "proposed", looksTableRe) &&
		matchNear(data, data, "Amendment", looksHeadRe)
}

// matchNear reports whether re matches the line around some occurrence of
// word in data; index is data itself, or its lower-case copy for a
// case-insensitive word.
func matchNear(index, data []byte, word string, re *regexp.Regexp) bool {
	w := []byte(word)
	for off := 0; ; {
		j := bytes.Index(index[off:], w)
		if j < 0 {
			return false
		}
		at := off + j
		start := max(0, at-64)
		if k := bytes.LastIndexByte(data[start:at], '\n'); k >= 0 {
			start += k + 1
		}
		end := min(len(data), at+len(w)+96)
		if re.Match(data[start:end]) {
			return true
		}
		off = at + len(w)
	}
}
