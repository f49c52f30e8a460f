package coverage

import (
	"strconv"
	"strings"

	"github.com/redline-watch/redline"
)

// A ref is an internal reference read from a provision's text: a
// paragraph, a point of a paragraph, or a point with the paragraph left
// implicit ("point (h) of the first subparagraph").
type ref struct {
	para, point string
	pos         int32 // first word of the reference, for quoting
}

// refWords may stand inside a reference without ending it:
// "paragraph 1, first subparagraph, point (h)", "points (a) and (b) of
// paragraph 2", "paragraphs 1 to 3 of this Article".
var refWords = map[string]bool{
	"and": true, "or": true, "to": true, "of": true, "the": true, "this": true, "in": true,
	"thereof": true, "subparagraph": true, "subparagraphs": true, "introductory": true,
	"part": true, "first": true, "second": true, "third": true, "fourth": true,
	"fifth": true, "sixth": true, "seventh": true, "eighth": true, "ninth": true, "tenth": true,
}

// Modes of the reference reader.
const (
	refNone = iota
	refPara
	refPoint
	refArticle   // after "Article": the next number says which
	refSame      // inside "Article N" where N is the provision's own article
	refElsewhere // inside a reference to another article or act
)

// refs reads the internal references of provision i's text. article is
// the label of the article (or annex) i sits in: "Article 5(1), point (h)"
// in Article 5 is read like "paragraph 1, point (h)"; references into other
// articles are skipped, because a carve-out is judged relative to the
// article that holds the ban.
func (x *index) refs(i int, article string) []ref {
	ts := x.toks[i][x.textFrom[i]:]
	s := x.own[i]
	var out []ref
	mode, para := refNone, ""
	open := -1                     // index in out of a bare paragraph ref a point may refine
	var bare []int                 // points with no paragraph yet, for "point (h) of paragraph 1"
	prevTo, attach := false, false // attach: "of" after bare points waits for their paragraph
	reset := func() { mode, para, open, bare, attach = refNone, "", -1, nil, false }
	for k, t := range ts {
		if k > 0 {
			gap := s[ts[k-1].end:t.start]
			if strings.ContainsAny(gap, ";:.") {
				reset()
			}
		}
		w := x.words[t.id]
		labelled := int(t.end) < len(s) && s[t.end] == ')'
		pos := int32(int(x.textFrom[i]) + k)
		isTo := false
		switch {
		case w == "paragraph" || w == "paragraphs":
			if mode != refElsewhere {
				mode = refPara
			}
		case w == "point" || w == "points":
			if mode != refElsewhere {
				mode = refPoint
			}
		case w == "article" || w == "articles":
			mode, para, open = refArticle, "", -1
		case mode == refArticle && isNumber(w):
			if w == strings.ToLower(article) {
				mode = refSame
			} else {
				mode = refElsewhere
			}
		case mode == refElsewhere:
			if !labelled && !isNumber(w) && !refWords[w] {
				reset()
			}
		case labelled && mode == refSame && isNumber(w):
			// "Article 5(1)": a bracketed number right after the article.
			para = w
			out = append(out, ref{para: w, pos: pos})
			open = len(out) - 1
			mode = refPara
		case labelled && (mode == refPoint || mode == refSame || mode == refPara && para != ""):
			if open >= 0 && open == len(out)-1 && out[open].point == "" && out[open].para == para {
				out[open].point = w
			} else {
				out = append(out, ref{para: para, point: w, pos: pos})
			}
			if para == "" {
				bare = append(bare, len(out)-1)
			}
			open = -1
			mode = refPoint
		case isNumber(w) && (mode == refPara || mode == refPoint && para != ""):
			if len(bare) > 0 && attach {
				for _, b := range bare {
					out[b].para = w
				}
				bare, attach = nil, false
				para = w
				break
			}
			if prevTo && para != "" {
				lo, err1 := strconv.Atoi(para)
				hi, err2 := strconv.Atoi(w)
				if err1 == nil && err2 == nil && hi-lo < 50 {
					for n := lo + 1; n < hi; n++ {
						out = append(out, ref{para: strconv.Itoa(n), pos: pos})
					}
				}
			}
			para = w
			out = append(out, ref{para: w, pos: pos})
			open = len(out) - 1
			mode = refPara
		case refWords[w]:
			isTo = w == "to"
			attach = (attach || w == "of" && len(bare) > 0) && w != "and" && w != "or"
		default:
			reset()
		}
		prevTo = isTo
	}
	return out
}

// isNumber reports whether w is a paragraph number such as "1" or "1a".
func isNumber(w string) bool {
	if w == "" || w[0] < '0' || w[0] > '9' {
		return false
	}
	for i := 1; i < len(w); i++ {
		c := w[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// resolve finds the provision a reference made in provision from points
// to, inside the article or annex container; -1 if none.
func (x *index) resolve(r ref, from, container int) int {
	base := x.doc.Provisions[container].Path
	look := func(p string) int {
		if j, ok := x.byPath[p]; ok {
			return j
		}
		return -1
	}
	switch {
	case r.para != "" && r.point != "":
		return look(base + "(" + r.para + ")(" + r.point + ")")
	case r.para != "":
		return look(base + "(" + r.para + ")")
	}
	// A bare point: first in the referring provision's own paragraph, then
	// directly under an article without numbered paragraphs, then the
	// first point with that label under any paragraph of the article.
	for p := from; p >= 0 && p != container; p = x.parent[p] {
		if x.doc.Provisions[p].Kind == redline.ProvParagraph {
			if j := look(x.doc.Provisions[p].Path + "(" + r.point + ")"); j >= 0 {
				return j
			}
			break
		}
	}
	if j := look(base + " point (" + r.point + ")"); j >= 0 {
		return j
	}
	for _, c := range x.children[container] {
		if x.doc.Provisions[c].Kind != redline.ProvParagraph {
			continue
		}
		for _, g := range x.children[c] {
			if x.doc.Provisions[g].Kind == redline.ProvPoint && x.doc.Provisions[g].Label == r.point {
				return g
			}
		}
	}
	return -1
}
