package legal

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/norm"
)

// Amending acts state their changes in a small, very regular English:
// "Regulation (EU) 2024/1689 is amended as follows:", "Article 5 is amended
// as follows:", "in paragraph 1, the following points are inserted:",
// "paragraph 3 is replaced by the following:", "point (c) is deleted;".
// An instruction that is "amended as follows" only sets the context for the
// points below it; the others become Modifications, with the quoted wording
// the builder collected (see quote) as their text.

type instrOp uint8

const (
	opNone instrOp = iota
	opContext
	opInsert
	opReplace
	opDelete
)

type ref struct {
	pos   int
	kind  string // article, annex, section, paragraph, ordinal, point
	a, b  string
	items []string // point labels for "points (c) and (d)"
}

type instruction struct {
	op     instrOp
	act    string
	refs   []ref
	object string // "article", "paragraph", "point", ... after "the following"
}

var (
	amActRE    = regexp.MustCompile(`(?i)\b(Regulation|Directive|Decision)\s+(\((?:EU|EC|EEC|Euratom)\)\s+(?:No\s+)?\d+/\d+|\d+/\d+/(?:EU|EC|EEC))`)
	amCtxRE    = regexp.MustCompile(`(?i)\b(?:is|are) amended as follows\b`)
	amReplRE   = regexp.MustCompile(`(?i)\b(?:is|are|shall be) replaced by the following\b`)
	amInsRE    = regexp.MustCompile(`(?i)\b(?:is|are|shall be) (?:inserted|added)\b`)
	amDelRE    = regexp.MustCompile(`(?i)\b(?:is|are|shall be) deleted\b`)
	amObjRE    = regexp.MustCompile(`(?i)\bthe following (?:new )?(article|annex|paragraph|point|subparagraph|section|part|indent|sentence|definition)s?\b`)
	amAfterRE  = regexp.MustCompile(`(?i)\b(?:after|before)\s+(?:the\s+\w+\s+)?(?:Article|paragraph|point|subparagraph|Annex|Section|Part)\b[^,:]*`)
	amArtRE    = regexp.MustCompile(`(?i)\bArticle\s+(\d+[a-z]*)((?:\([0-9a-z]{1,5}\))*)`)
	amAnnexRE  = regexp.MustCompile(`(?i)\bAnnex\s+([IVXLC]+[a-z]?)\b`)
	amSectRE   = regexp.MustCompile(`\b(Section|Part|SECTION|PART)\s+([A-Z]|\d+|[IVX]+)\b`)
	amParaRE   = regexp.MustCompile(`(?i)\bparagraphs?\s+(\d+[a-z]*)((?:\([0-9a-z]{1,5}\))*)`)
	amOrdRE    = regexp.MustCompile(`(?i)\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+(?:subparagraph|paragraph)\b`)
	amPointRE  = regexp.MustCompile(`(?i)\bpoints?\s+((?:\([0-9a-z]{1,5}\)|\d+[a-z]?(?:\.\d+)*)(?:\([0-9a-z]{1,5}\))*(?:(?:,\s*|\s+and\s+|\s+to\s+)(?:\([0-9a-z]{1,5}\)|\d+[a-z]?(?:\.\d+)*)(?:\([0-9a-z]{1,5}\))*)*)`)
	amItemRE   = regexp.MustCompile(`(?:\([0-9a-z]{1,5}\)|\d+[a-z]?(?:\.\d+)*)(?:\([0-9a-z]{1,5}\))*`)
	amArtOnly  = regexp.MustCompile(`^Article \d+[a-z]*$`)
	amArtRoot  = regexp.MustCompile(`^Article \d+[a-z]*`)
	amNumLead  = regexp.MustCompile(`^(\d+[a-z]*)(.*)$`)
	amOrdinals = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
)

// parseInstruction reads one amending instruction; op is opNone for any
// other text.
func parseInstruction(text string) instruction {
	var in instruction
	if !strings.Contains(text, "amended as follows") && !strings.Contains(text, "replaced by the following") &&
		!strings.Contains(text, "inserted") && !strings.Contains(text, "added") && !strings.Contains(text, "deleted") {
		// Cheap pre-check: most provisions are not instructions.
		return in
	}
	cut := -1
	for _, c := range []struct {
		re *regexp.Regexp
		op instrOp
	}{{amCtxRE, opContext}, {amReplRE, opReplace}, {amInsRE, opInsert}, {amDelRE, opDelete}} {
		if loc := c.re.FindStringIndex(text); loc != nil && (cut < 0 || loc[0] < cut) {
			cut, in.op = loc[0], c.op
		}
	}
	if in.op == opNone {
		return in
	}
	if m := amActRE.FindString(text); m != "" {
		in.act = norm.Text(m)
	}
	if m := amObjRE.FindStringSubmatch(text); m != nil {
		in.object = strings.ToLower(m[1])
	}
	head := amActRE.ReplaceAllString(text[:cut], " ")
	head = amObjRE.ReplaceAllString(head, " ")
	head = amAfterRE.ReplaceAllString(head, " ")
	for _, m := range amArtRE.FindAllStringSubmatchIndex(head, -1) {
		in.refs = append(in.refs, ref{pos: m[0], kind: "article", a: head[m[2]:m[3]], b: head[m[4]:m[5]]})
	}
	for _, m := range amAnnexRE.FindAllStringSubmatchIndex(head, -1) {
		in.refs = append(in.refs, ref{pos: m[0], kind: "annex", a: head[m[2]:m[3]]})
	}
	for _, m := range amSectRE.FindAllStringSubmatchIndex(head, -1) {
		in.refs = append(in.refs, ref{pos: m[0], kind: "section", a: head[m[2]:m[3]], b: head[m[4]:m[5]]})
	}
	for _, m := range amParaRE.FindAllStringSubmatchIndex(head, -1) {
		in.refs = append(in.refs, ref{pos: m[0], kind: "paragraph", a: head[m[2]:m[3]], b: head[m[4]:m[5]]})
	}
	for _, m := range amOrdRE.FindAllStringSubmatchIndex(head, -1) {
		in.refs = append(in.refs, ref{pos: m[0], kind: "ordinal", a: strings.ToLower(head[m[2]:m[3]])})
	}
	for _, m := range amPointRE.FindAllStringSubmatchIndex(head, -1) {
		in.refs = append(in.refs, ref{pos: m[0], kind: "point", items: amItemRE.FindAllString(head[m[2]:m[3]], -1)})
	}
	sort.SliceStable(in.refs, func(i, j int) bool { return in.refs[i].pos < in.refs[j].pos })
	return in
}

// resolve applies refs to the path of the context ("Article 5") and returns
// the target paths ("Article 5(1)(c)", "Article 5(1)(d)").
func resolve(base string, refs []ref) []string {
	paths := []string{base}
	for _, r := range refs {
		var next []string
		for _, p := range paths {
			switch r.kind {
			case "article":
				next = append(next, "Article "+r.a+r.b)
			case "annex":
				next = append(next, "Annex "+r.a)
			case "section":
				word := strings.ToUpper(r.a[:1]) + strings.ToLower(r.a[1:])
				next = append(next, annexRoot(p)+" "+word+" "+r.b)
			case "paragraph":
				next = append(next, articleRoot(p)+"("+r.a+")"+r.b)
			case "ordinal":
				if n := amOrdinals[r.a]; n > 1 {
					p += " subparagraph " + strconv.Itoa(n)
				}
				next = append(next, p)
			case "point":
				for _, it := range r.items {
					next = append(next, pointJoin(p, it))
				}
			}
		}
		paths = next
	}
	return paths
}

func annexRoot(p string) string {
	for _, cut := range []string{" Section ", " Part ", " point ", " subparagraph "} {
		if i := strings.Index(p, cut); i > 0 {
			p = p[:i]
		}
	}
	return p
}

func articleRoot(p string) string {
	if m := amArtRoot.FindString(p); m != "" {
		return m
	}
	return p
}

// pointJoin appends a point reference to a path following the provision path
// conventions: "Article 3 point (14)", "Article 5(1)(c)", "Annex VIII Section B point 7".
func pointJoin(p, item string) string {
	annexish := strings.HasPrefix(p, "Annex") && !strings.Contains(p, " point ")
	if strings.HasPrefix(item, "(") {
		if amArtOnly.MatchString(p) || annexish || p == "" {
			return strings.TrimSpace(p + " point " + item)
		}
		return p + item
	}
	m := amNumLead.FindStringSubmatch(item)
	switch {
	case annexish || p == "":
		return strings.TrimSpace(p + " point " + item)
	case amArtOnly.MatchString(p):
		return p + " point (" + m[1] + ")" + m[2]
	default:
		return p + "(" + m[1] + ")" + m[2]
	}
}

// childPath names a provision inserted into path with the given label.
func childPath(path, object, label string) string {
	switch object {
	case "article":
		return "Article " + label
	case "annex":
		return "Annex " + label
	case "paragraph":
		return articleRoot(path) + "(" + label + ")"
	case "section", "part":
		return annexRoot(path) + " " + strings.ToUpper(object[:1]) + object[1:] + " " + label
	case "point", "definition":
		if label != "" && label[0] >= '0' && label[0] <= '9' {
			return pointJoin(path, label)
		}
		return pointJoin(path, "("+label+")")
	}
	return path
}

// modifications turns the amending instructions of doc into Modifications.
func modifications(doc *Document, quotes []quote) []redline.Modification {
	byInstr := make(map[int]*quote, len(quotes))
	quoted := make(map[int]bool, len(quotes))
	for i := range quotes {
		if _, ok := byInstr[quotes[i].instr]; !ok {
			byInstr[quotes[i].instr] = &quotes[i]
		}
		quoted[quotes[i].sub] = true
	}
	var out []redline.Modification
	for i, p := range doc.Provisions {
		switch p.Kind {
		case redline.ProvArticle, redline.ProvParagraph, redline.ProvPoint, redline.ProvSubparagraph:
		default:
			continue
		}
		if quoted[i] {
			continue
		}
		in := parseInstruction(p.Text)
		if in.op == opNone || in.op == opContext {
			continue
		}
		act, base := instructionContext(doc, i)
		if in.act != "" {
			act = in.act
		}
		if act == "" {
			// "... are deleted" in an act's own rules is not an amendment
			// of another act; amending instructions always name the act.
			continue
		}
		targets := resolve(base, in.refs)
		q := byInstr[i]
		mod := func(path string, op redline.AmendOp, text string) {
			if path == "" {
				return
			}
			out = append(out, redline.Modification{Act: act, Point: p.Path, Path: path, Op: op, Text: text})
		}
		switch in.op {
		case opDelete:
			for _, t := range targets {
				mod(t, redline.OpDelete, "")
			}
		case opReplace:
			text := ""
			if q != nil {
				text = renderUnits(trimQuote(q.units))
			}
			for _, t := range targets {
				txt := text
				if first, rest, ok := strings.Cut(txt, "\n"); ok && amArtOnly.MatchString(t) && amArtOnly.MatchString(first) {
					// A replaced article repeats its number; the path has it.
					txt = rest
				}
				mod(t, redline.OpReplace, stripLabel(txt, lastLabel(t)))
			}
		case opInsert:
			if q == nil {
				mod(targets[0], redline.OpInsert, "")
				continue
			}
			units := trimQuote(q.units)
			groups := groupUnits(units, in.object)
			if len(groups) == 0 {
				mod(targets[0], redline.OpInsert, renderUnits(units))
				continue
			}
			for _, g := range groups {
				mod(childPath(targets[0], in.object, g.label), redline.OpInsert, g.text)
			}
		}
	}
	return out
}

// instructionContext returns the amended act and the path in it that the
// "... is amended as follows:" instructions above provision i point to.
func instructionContext(doc *Document, i int) (string, string) {
	anc := doc.Ancestors(i)
	act, base := "", ""
	for k := len(anc) - 1; k >= 0; k-- {
		in := parseInstruction(doc.Provisions[anc[k]].Text)
		if in.op != opContext {
			continue
		}
		if in.act != "" {
			act = in.act
		}
		if len(in.refs) > 0 {
			base = resolve(base, in.refs)[0]
		}
	}
	return act, base
}

func lastLabel(path string) string {
	if strings.HasSuffix(path, ")") {
		if i := strings.LastIndex(path, "("); i >= 0 {
			return path[i+1 : len(path)-1]
		}
	}
	if i := strings.LastIndex(path, " "); i >= 0 {
		return path[i+1:]
	}
	return ""
}

// trimQuote removes the opening and closing quotation marks from a quotation.
func trimQuote(units []qunit) []qunit {
	out := make([]qunit, 0, len(units))
	for _, u := range units {
		if punctRE.MatchString(u.text) && u.label == "" {
			continue
		}
		out = append(out, u)
	}
	if len(out) == 0 {
		return out
	}
	f := &out[0]
	if startsWithQuote(f.label) {
		f.label = strings.TrimSpace(trimOpen(f.label))
	} else {
		f.text = strings.TrimSpace(trimOpen(f.text))
	}
	l := &out[len(out)-1]
	if l.text != "" {
		l.text = strings.TrimSpace(closeRE.ReplaceAllString(l.text, ""))
	} else {
		l.label = strings.TrimSpace(closeRE.ReplaceAllString(l.label, ""))
	}
	return out
}

func trimOpen(s string) string {
	s = strings.TrimSpace(s)
	for _, q := range []string{"‘", "“", "«", "„"} {
		if strings.HasPrefix(s, q) {
			return s[len(q):]
		}
	}
	return s
}

// renderUnits writes quoted blocks one per line, labels included, the way
// amendment texts are kept (see redline.Amendment): Apply rebuilds points
// and paragraphs from the lines.
func renderUnits(units []qunit) string {
	lines := make([]string, 0, len(units))
	pending := "" // a label whose text is the next block (two-column point tables)
	for _, u := range units {
		lbl := u.label
		if u.kind == bPoint && lbl != "" && !dashRE.MatchString(lbl) {
			lbl = "(" + cleanLabel(lbl) + ")"
		}
		if strings.TrimSpace(u.text) == "" && lbl != "" {
			pending = strings.TrimSpace(pending + " " + lbl)
			continue
		}
		if l := punctSpace.Replace(norm.Text(pending + " " + lbl + " " + u.text)); l != "" {
			lines = append(lines, l)
		}
		pending = ""
	}
	if pending != "" {
		lines = append(lines, pending)
	}
	return strings.Join(lines, "\n")
}

type unitGroup struct {
	label string
	text  string
}

// groupUnits splits inserted wording into one group per inserted point,
// paragraph, article or annex, so that each becomes its own Modification.
func groupUnits(units []qunit, object string) []unitGroup {
	type start struct {
		at    int
		label string
		first string // text of the starting unit without its label
	}
	var starts []start
	switch object {
	case "point", "definition":
		top := -1
		for _, u := range units {
			if u.kind == bPoint && (top < 0 || u.level < top) {
				top = u.level
			}
		}
		for i, u := range units {
			if u.kind == bPoint && u.level == top {
				starts = append(starts, start{at: i, label: cleanLabel(u.label), first: u.text})
			}
		}
	case "paragraph":
		top := -1
		for _, u := range units {
			if paraNumRE.MatchString(u.text) && (top < 0 || u.level < top) {
				top = u.level
			}
		}
		for i, u := range units {
			if m := paraNumRE.FindStringSubmatch(u.text); m != nil && u.level == top {
				starts = append(starts, start{at: i, label: m[1] + m[2], first: m[3]})
			}
		}
	case "article", "annex":
		if len(units) == 0 {
			return nil
		}
		re := articleRE
		if object == "annex" {
			re = annexRE
		}
		m := re.FindStringSubmatch(units[0].text)
		if m == nil || m[1] == "" {
			return nil
		}
		starts = append(starts, start{at: 0, label: strings.ReplaceAll(m[1], " ", ""), first: m[2]})
	}
	groups := make([]unitGroup, 0, len(starts))
	for k, s := range starts {
		end := len(units)
		if k+1 < len(starts) {
			end = starts[k+1].at
		}
		text := renderUnits(units[s.at+1 : end])
		if first := norm.Text(s.first); first != "" {
			text = strings.TrimSuffix(first+"\n"+text, "\n")
		}
		groups = append(groups, unitGroup{label: s.label, text: text})
	}
	return groups
}
