package amend

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/norm"
)

// A target is a printed amendment target ("Article 5 – paragraph 1 – point d –
// introductory part") broken into its parts.
type target struct {
	// root is the first part: citation, recital, article, annex or a division word.
	root part
	// division is a TITLE/CHAPTER/SECTION/PART named under an article or
	// annex ("Article 56 – SECTION 1 – title", "Annex VIII – Section C").
	division []part
	// paragraph and subparagraph are the numbers printed after "paragraph"
	// and "subparagraph"; empty when absent.
	paragraph, subparagraph string
	// points are the labels of "point x" parts, outermost first.
	points []string
	isNew  bool
	// intro is set by "– introductory part": only the provision's own text
	// (the chapeau) is amended, not its points.
	intro bool
	// heading is set by "– title": the amendment replaces a heading.
	heading bool
}

// A part is one "word label" component of a target.
type part struct{ word, label string }

var (
	// targetSep splits a target into its parts. The EP prints an en dash;
	// a spaced hyphen also occurs ("Article - 57 a (new)" is handled first).
	targetSep = regexp.MustCompile(`\s*[–—]\s*|\s+-\s+`)
	// minusArticle is the EP numbering of articles inserted before another:
	// "Article - 57 a" is Article -57a.
	minusArticle = regexp.MustCompile(`(?i)^(article)\s+-\s*(\d)`)
	partRe       = regexp.MustCompile(`(?i)^(citation|recital|article|paragraph|subparagraph|point|annex|title|chapter|section|part)\s+(-?[0-9a-z.]+(?:\s+[a-z]{1,2})?)$`)
	labelOK      = regexp.MustCompile(`(?i)^(-?[0-9]{1,4}(?:\.[0-9]{1,3})*[a-z]{0,3}|[a-z]{1,4}|[ivxlcdm]{1,8}[a-z]{0,3})$`)
)

// parseTarget reads a printed target.
func parseTarget(s string) (target, error) {
	var t target
	s = norm.Text(s)
	if s == "" {
		return t, errors.New("empty target")
	}
	s = minusArticle.ReplaceAllString(s, "$1 -$2")
	var parts []part
	for _, raw := range targetSep.Split(s, -1) {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue // "Article 7 – paragraph 2 – point h –" has a trailing dash
		}
		if before, ok := strings.CutSuffix(raw, "(new)"); ok {
			t.isNew = true
			raw = strings.TrimSpace(before)
		}
		switch strings.ToLower(raw) {
		case "introductory part", "introductory wording":
			t.intro = true
			continue
		case "title", "heading":
			t.heading = true
			continue
		}
		m := partRe.FindStringSubmatch(raw)
		if m == nil {
			return t, fmt.Errorf("target %q: unknown part %q", s, raw)
		}
		word := strings.ToLower(m[1])
		label := joinLabel(word, m[2])
		if !labelOK.MatchString(label) {
			return t, fmt.Errorf("target %q: bad label %q", s, m[2])
		}
		parts = append(parts, part{word: word, label: label})
	}
	if len(parts) == 0 {
		return t, fmt.Errorf("target %q: no provision named", s)
	}
	t.root = parts[0]
	switch t.root.word {
	case "citation", "recital", "article", "annex", "title", "chapter", "section", "part":
	default:
		return t, fmt.Errorf("target %q: starts with %q, want a citation, recital, article, annex or division", s, t.root.word)
	}
	for _, p := range parts[1:] {
		switch p.word {
		case "paragraph":
			if t.paragraph != "" || len(t.points) > 0 {
				return t, fmt.Errorf("target %q: misplaced paragraph %q", s, p.label)
			}
			t.paragraph = p.label
		case "subparagraph":
			if t.subparagraph != "" || len(t.points) > 0 {
				return t, fmt.Errorf("target %q: misplaced subparagraph %q", s, p.label)
			}
			t.subparagraph = p.label
		case "point":
			t.points = append(t.points, p.label)
		case "title", "chapter", "section", "part":
			t.division = append(t.division, p)
		default:
			return t, fmt.Errorf("target %q: %q cannot follow %q", s, p.word, t.root.word)
		}
	}
	if (t.root.word == "citation" || t.root.word == "recital") && (t.paragraph != "" || t.subparagraph != "" || len(t.points) > 0 || len(t.division) > 0) {
		return t, fmt.Errorf("target %q: a %s has no parts", s, t.root.word)
	}
	if isDivisionWord(t.root.word) && (t.paragraph != "" || t.subparagraph != "" || len(t.points) > 0) {
		return t, fmt.Errorf("target %q: a %s has no paragraphs or points", s, t.root.word)
	}
	return t, nil
}

// joinLabel joins a printed label ("4 a", "I a", "VIII") into the form used
// in paths: lower case for articles, paragraphs and points ("4a", "aa"),
// upper-case numerals with a lower-case suffix for annexes and divisions
// ("VIII", "Ia", "C").
func joinLabel(word, printed string) string {
	f := strings.Fields(printed)
	switch word {
	case "annex", "title", "chapter", "section", "part":
		if f[0][0] != '-' && !isDigit(f[0][0]) {
			f[0] = strings.ToUpper(f[0])
		} else {
			f[0] = strings.ToLower(f[0])
		}
		for i := 1; i < len(f); i++ {
			f[i] = strings.ToLower(f[i])
		}
		return strings.Join(f, "")
	}
	return strings.ToLower(strings.Join(f, ""))
}

func isDivisionWord(w string) bool {
	return w == "title" || w == "chapter" || w == "section" || w == "part"
}

func divisionPath(ps []part) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ToUpper(p.word[:1]) + p.word[1:])
		b.WriteByte(' ')
		b.WriteString(p.label)
	}
	return b.String()
}

// kind is the kind of provision the target addresses.
func (t target) kind() redline.ProvisionKind {
	switch {
	case t.root.word == "citation":
		return redline.ProvCitation
	case t.root.word == "recital":
		return redline.ProvRecital
	case isDivisionWord(t.root.word):
		return redline.ProvDivision
	case len(t.points) > 0:
		return redline.ProvPoint
	case t.root.word == "annex" && len(t.division) > 0 && t.paragraph == "":
		return redline.ProvAnnexPart
	case len(t.division) > 0:
		return redline.ProvDivision
	case t.root.word == "annex" && t.paragraph != "":
		return redline.ProvSubparagraph
	case t.root.word == "annex":
		return redline.ProvAnnex
	case t.subparagraph != "" && t.subparagraph != "1":
		return redline.ProvSubparagraph
	case t.paragraph != "":
		return redline.ProvParagraph
	}
	return redline.ProvArticle
}

// candidates lists the paths the target may have in a base document, most
// likely first. The order is:
//
//  1. the conventional path: "Article 5(1)(d)(i)", "Annex III point 1(a)",
//     except that numbered points under paragraph 1 ("Article 3 – paragraph 1
//     – point 44") are taken to be definitions directly under an article
//     without numbered paragraphs: "Article 3 point (44)";
//  2. the other reading of paragraph 1 with points: "Article 3(1)(44)";
//  3. an article without numbered paragraphs, where the EP counts its
//     unnumbered paragraphs: "paragraph 1" is the article itself
//     ("Article 6", "Article 6 point (a)") and "paragraph 2" its
//     "subparagraph 2";
//  4. the EP's other way of counting subparagraphs: in some targets
//     "subparagraph 1" is the first text after the paragraph's own
//     ("Article 43 – paragraph 1 – subparagraph 1" is the proposal's
//     "Article 43(1) subparagraph 2"), so "subparagraph N" is also tried as
//     " subparagraph N+1";
//  5. for decimal annex points ("point 4 – point 4.5"), the point nested
//     under its parent: "Annex VII point 4(4.5)".
//
// "subparagraph 1" is a paragraph's own first text, so it adds nothing to
// the path; a later subparagraph adds " subparagraph N", and points under it
// follow in brackets. When several candidates exist, Apply picks the one
// whose text is closest to the Commission's column. A division named under an article ("Article 56 –
// SECTION 1 – title") yields the division alone ("Section 1"); Apply looks
// it up among the article's ancestors.
func (t target) candidates() []string {
	switch t.root.word {
	case "citation", "recital":
		return []string{t.root.word + " " + t.root.label}
	case "title", "chapter", "section", "part":
		return []string{divisionPath(append([]part{t.root}, t.division...))}
	case "annex":
		return t.annexCandidates()
	}
	art := "Article " + t.root.label
	if len(t.division) > 0 {
		return []string{divisionPath(t.division)}
	}
	var pts strings.Builder
	for _, p := range t.points {
		pts.WriteString("(" + p + ")")
	}
	sub := ""
	if t.subparagraph != "" && t.subparagraph != "1" {
		sub = " subparagraph " + t.subparagraph
	}
	if t.paragraph == "" {
		if sub != "" && pts.Len() > 0 {
			return []string{art + sub + pts.String()}
		}
		if pts.Len() > 0 {
			return []string{art + " point " + pts.String()}
		}
		return []string{art + sub}
	}
	standard := art + "(" + t.paragraph + ")" + sub + pts.String()
	var out []string
	if t.paragraph == "1" && sub == "" && len(t.points) > 0 && isDigit(t.points[0][0]) {
		out = append(out, art+" point "+pts.String(), standard)
	} else {
		out = append(out, standard)
	}
	if t.paragraph == "1" {
		switch {
		case len(t.points) > 0 && sub == "":
			out = appendNew(out, art+" point "+pts.String())
		case len(t.points) > 0:
			out = appendNew(out, art+sub+pts.String())
		default:
			out = appendNew(out, art+sub)
		}
	} else if len(t.points) == 0 && sub == "" && isNumber(t.paragraph) {
		out = appendNew(out, art+" subparagraph "+t.paragraph)
	}
	if isNumber(t.subparagraph) {
		n, _ := strconv.Atoi(t.subparagraph)
		out = appendNew(out, art+"("+t.paragraph+") subparagraph "+strconv.Itoa(n+1)+pts.String())
	}
	return out
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func (t target) annexCandidates() []string {
	base := "Annex " + t.root.label
	if len(t.division) > 0 {
		base += " " + divisionPath(t.division)
	}
	if len(t.points) == 0 {
		if t.paragraph != "" {
			return []string{base + " subparagraph " + t.paragraph}
		}
		return []string{base}
	}
	flat := base + " point " + t.points[0]
	nested := ""
	for i, p := range t.points[1:] {
		if strings.Contains(p, ".") && i == 0 {
			// "point 4 – point 4.5": the decimal label names the point itself.
			nested = flat + "(" + p + ")"
			flat = base + " point " + p
			continue
		}
		flat += "(" + p + ")"
		if nested != "" {
			nested += "(" + p + ")"
		}
	}
	if nested != "" {
		return []string{flat, nested}
	}
	return []string{flat}
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// TargetPath turns a printed amendment target into a provision path:
// "Article 5 – paragraph 1 – point d – point i" -> "Article 5(1)(d)(i)",
// "Recital 12 a (new)" -> "recital 12a", "Annex III – paragraph 1 – point 1 –
// point a" -> "Annex III point 1(a)", "Article 3 – paragraph 1 – point 44 a
// (new)" -> "Article 3 point (44a)" (numbered points under paragraph 1 are
// read as definitions of an article without numbered paragraphs; Apply also
// tries "Article 3(1)(44a)"). "– introductory part" and "– title" address the
// provision itself (its chapeau or heading); "– subparagraph 2" adds
// " subparagraph 2". isNew reports whether the target is marked "(new)".
func TargetPath(target string) (path string, isNew bool, err error) {
	t, err := parseTarget(target)
	if err != nil {
		return "", false, err
	}
	return t.candidates()[0], t.isNew, nil
}

// pathPart reads one component of a provision path: "(1a)", "(ba)", " point (44a)", " subparagraph 2", ...
var pathPart = regexp.MustCompile(`^(?:\(([0-9a-z.]+)\)|\s+(point|subparagraph|Section|Part)\s+\(?([0-9A-Za-z.]+)\)?)`)

// TargetOf writes a provision path the way the Parliament prints targets,
// the inverse of TargetPath: "Article 5(1)(ba)" -> "Article 5 – paragraph 1
// – point ba", "Annex VIII Section B point 9" -> "Annex VIII – section B –
// point 9". It lets changes addressed by path (an amending act's
// modifications) go through Apply. Paths it cannot read come back unchanged.
func TargetOf(path string) string {
	head, rest, ok := splitHead(path)
	if !ok {
		return path
	}
	parts := []string{head}
	inArticle := strings.HasPrefix(head, "Article ")
	for depth := 0; rest != ""; depth++ {
		m := pathPart.FindStringSubmatch(rest)
		if m == nil {
			return path
		}
		rest = rest[len(m[0]):]
		switch {
		case m[1] != "" && inArticle && depth == 0:
			parts = append(parts, "paragraph "+m[1])
		case m[1] != "":
			parts = append(parts, "point "+m[1])
		default:
			parts = append(parts, strings.ToLower(m[2])+" "+m[3])
		}
	}
	return strings.Join(parts, " – ")
}

// splitHead cuts "Article 5", "Annex III", "recital 12a" or "citation 4"
// from the front of a path.
func splitHead(path string) (head, rest string, ok bool) {
	for _, w := range []string{"Article ", "Annex ", "recital ", "citation "} {
		if !strings.HasPrefix(path, w) {
			continue
		}
		i := len(w)
		for i < len(path) && path[i] != '(' && path[i] != ' ' {
			i++
		}
		head = path[:i]
		if w == "recital " || w == "citation " {
			head = strings.ToUpper(w[:1]) + head[1:]
		}
		return head, path[i:], i > len(w)
	}
	return "", "", false
}
