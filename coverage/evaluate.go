package coverage

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/redline-watch/redline"
)

// Level is how far a text goes on a demand.
type Level string

// The levels, weakest first.
const (
	Absent                   Level = "absent"
	Mentioned                Level = "mentioned"
	Restricted               Level = "restricted"
	ProhibitedWithExceptions Level = "prohibited_with_exceptions"
	Prohibited               Level = "prohibited"
)

// Rank orders levels: 0 for absent up to 4 for prohibited, -1 for an
// unknown level.
func (l Level) Rank() int {
	switch l {
	case Absent:
		return 0
	case Mentioned:
		return 1
	case Restricted:
		return 2
	case ProhibitedWithExceptions:
		return 3
	case Prohibited:
		return 4
	}
	return -1
}

// Verdict is a level judged against what the demand asks.
type Verdict string

// The verdicts.
const (
	Met     Verdict = "met"
	Partial Verdict = "partial"
	Unmet   Verdict = "unmet"
)

// VerdictFor judges a level against an ask; the package doc has the table.
func VerdictFor(ask Ask, l Level) Verdict {
	switch ask {
	case AskProhibition:
		switch l {
		case Prohibited:
			return Met
		case ProhibitedWithExceptions, Restricted:
			return Partial
		}
	default:
		if l.Rank() >= Restricted.Rank() {
			return Met
		}
	}
	return Unmet
}

// Evidence is one provision that addresses a demand.
type Evidence struct {
	// Provision is the provision's path, e.g. "Article 5(1)(h)".
	Provision string `json:"provision"`
	// Quote is at most about 40 words of the provision, centred on the
	// matched terms, with "…" where cut.
	Quote string `json:"quote"`
	// Exceptions quote the carve-outs that make a ban one with exceptions,
	// each as "path: quote".
	Exceptions []string `json:"exceptions,omitempty"`
	// Level is the provision's own level.
	Level Level `json:"level,omitempty"`
	// Rule names the demand rule that matched.
	Rule string `json:"rule,omitempty"`
	// Reason says why the provision got its level.
	Reason string `json:"reason,omitempty"`
	// Near marks a near miss: some of the rule's groups matched, not all.
	Near bool `json:"near,omitempty"`
	// Missing lists, for a near miss, the groups that did not match.
	Missing []string `json:"missing,omitempty"`
	// titled marks a provision whose own heading names the demand's subject.
	titled bool
}

// Result is a document's coverage of one demand.
type Result struct {
	DemandID string  `json:"id"`
	Level    Level   `json:"level"`
	Verdict  Verdict `json:"verdict"`
	// Evidence holds the provisions at the result's level, in document
	// order, at most MaxEvidence of them.
	Evidence []Evidence `json:"evidence"`
	// More counts the provisions at that level left out of Evidence.
	More int `json:"more,omitempty"`
}

// MaxEvidence is the most provisions a Result lists; Explain lists all.
const MaxEvidence = 5

// Report is a document's coverage of every demand of a set.
type Report struct {
	// Document names the document: its first identifier, else its title.
	// Callers may set it to a file or source name.
	Document string `json:"document"`
	// Note warns when the document cannot be judged as a whole, e.g.
	// Parliament amendments not yet applied to the proposal they amend.
	Note    string   `json:"note,omitempty"`
	Results []Result `json:"results"`
}

// Result returns the result for a demand id, or false.
func (r Report) Result(id string) (Result, bool) {
	for _, res := range r.Results {
		if res.DemandID == id {
			return res, true
		}
	}
	return Result{}, false
}

// Explanation is everything behind one demand's result on one document.
type Explanation struct {
	Document string  `json:"document"`
	Demand   Demand  `json:"demand"`
	Level    Level   `json:"level"`
	Verdict  Verdict `json:"verdict"`
	// Matches are all provisions that matched, in document order.
	Matches []Evidence `json:"matches"`
	// NearMisses are provisions whose own words match a rule's first group
	// (its subject) while another group matches neither them nor their
	// ancestors.
	NearMisses []Evidence `json:"near_misses,omitempty"`
	Note       string     `json:"note,omitempty"`
}

// Evaluate computes the coverage of every demand of set in doc. The set
// should come from Default or ParseDemands; rules of a set built by hand
// are compiled on the fly, and invalid ones skipped. A nil set or document
// counts as empty.
func Evaluate(set *Set, doc *Document) Report {
	if set == nil {
		set = &Set{}
	}
	if doc == nil {
		doc = &Document{}
	}
	e := newEngine(doc)
	rep := Report{Document: docName(doc), Note: e.note(), Results: make([]Result, 0, len(set.Demands))}
	for _, d := range set.Demands {
		matches, _ := e.demand(d, false)
		rep.Results = append(rep.Results, result(d, matches))
	}
	return rep
}

// Explain lists every provision that matched or nearly matched demand id
// in doc, with the rule that fired, the level each got and why.
func Explain(set *Set, id string, doc *Document) (Explanation, error) {
	if set == nil {
		set = &Set{}
	}
	if doc == nil {
		doc = &Document{}
	}
	d, ok := set.Demand(id)
	if !ok {
		ids := make([]string, len(set.Demands))
		for i, d := range set.Demands {
			ids[i] = d.ID
		}
		return Explanation{}, fmt.Errorf("explain: unknown demand %q (the set has %s)", id, strings.Join(ids, ", "))
	}
	e := newEngine(doc)
	matches, near := e.demand(d, true)
	res := result(d, matches)
	return Explanation{
		Document: docName(doc), Demand: d, Level: res.Level, Verdict: res.Verdict,
		Matches: matches, NearMisses: near, Note: e.note(),
	}, nil
}

// result keeps the strongest level and its evidence.
func result(d Demand, matches []Evidence) Result {
	res := Result{DemandID: d.ID, Level: Absent, Evidence: []Evidence{}}
	for _, m := range matches {
		if m.Level.Rank() > res.Level.Rank() {
			res.Level = m.Level
		}
	}
	var top []Evidence
	for _, m := range matches {
		if m.Level == res.Level {
			top = append(top, m)
		}
	}
	// A provision whose own heading names the subject ("Fundamental rights
	// impact assessment for high-risk AI systems") is the one a campaigner
	// looks for first; the others follow in document order.
	slices.SortStableFunc(top, func(a, b Evidence) int {
		switch {
		case a.titled == b.titled:
			return 0
		case a.titled:
			return -1
		}
		return 1
	})
	for _, m := range top {
		if len(res.Evidence) == MaxEvidence {
			res.More++
			continue
		}
		res.Evidence = append(res.Evidence, m)
	}
	res.Verdict = VerdictFor(d.Ask, res.Level)
	return res
}

// docName names a document for reports.
func docName(doc *Document) string {
	switch {
	case len(doc.Identifiers) > 0:
		return doc.Identifiers[0]
	case doc.Title != "":
		return doc.Title
	}
	return string(doc.Kind)
}

// engine evaluates demands on one document, sharing the word index and
// the judgement of each provision between demands.
type engine struct {
	x      *index
	v      vocabulary
	marks  [][]int32 // per provision: first text word of each marker kind, -1 if none
	judged map[int]judgement
	refs   map[int][]target
}

// Marker kinds, indexes into engine.marks.
const (
	markProhibition = iota
	markException
	markPartial
	markPermission
	markKinds
)

// A target is a resolved reference: the provision referred to and where
// the reference stands in the referring text.
type target struct {
	prov int
	pos  int32
}

// judgement is a provision's level, whatever demand matched it.
type judgement struct {
	level      Level
	reason     string
	exceptions []string
}

func newEngine(doc *Document) *engine {
	e := &engine{
		x:      newIndex(doc),
		v:      newVocabulary(),
		judged: make(map[int]judgement),
		refs:   make(map[int][]target),
	}
	e.marks = make([][]int32, len(doc.Provisions))
	set := func(kind int, terms []term, not []term) {
		masked := e.mask(not)
		var hits []hit
		for _, t := range terms {
			hits = e.x.find(t, hits[:0])
			for _, h := range hits {
				if !e.x.inText(h) || masked.covers(h) {
					continue
				}
				m := e.marks[h.prov]
				if m == nil {
					m = make([]int32, markKinds)
					for k := range m {
						m[k] = -1
					}
					e.marks[h.prov] = m
				}
				if m[kind] < 0 || h.pos < m[kind] {
					m[kind] = h.pos
				}
			}
		}
	}
	set(markProhibition, e.v.prohibition, e.v.notProhibition)
	set(markException, e.v.exception, nil)
	set(markPartial, e.v.partial, nil)
	set(markPermission, e.v.permission, nil)
	return e
}

// mark returns the first word of a marker kind in provision i's text, or -1.
func (e *engine) mark(i, kind int) int32 {
	if m := e.marks[i]; m != nil {
		return m[kind]
	}
	return -1
}

// note warns about amendments that were not applied.
func (e *engine) note() string {
	if n := len(e.x.doc.Amendments); n > 0 && e.x.doc.AmendedFrom == "" {
		return fmt.Sprintf("the document holds %d amendment(s) not applied to the text they amend; "+
			"apply them to the proposal (amend.Apply) to judge the amended text: this report covers the document's own provisions only", n)
	}
	return ""
}

// spans are the word ranges of excluded phrases, per provision.
type spans map[int32][][2]int32

func (e *engine) mask(terms []term) spans {
	if len(terms) == 0 {
		return nil
	}
	m := spans{}
	var hits []hit
	for _, t := range terms {
		hits = e.x.find(t, hits[:0])
		for _, h := range hits {
			m[h.prov] = append(m[h.prov], [2]int32{h.pos, h.pos + h.n})
		}
	}
	return m
}

// covers reports whether a hit overlaps an excluded phrase.
func (m spans) covers(h hit) bool {
	for _, s := range m[h.prov] {
		if h.pos < s[1] && s[0] < h.pos+h.n {
			return true
		}
	}
	return false
}

// ruleHits are one rule's hits in one provision's own heading and text.
type ruleHits struct {
	mask  uint64 // groups matched
	head  uint64 // groups matched in the provision's own heading
	first int32  // first hit in the text (or heading if none in the text)
	n     int32
}

// demand returns every provision matching d with its level, and, if near
// is set, the near misses.
func (e *engine) demand(d Demand, near bool) (matches, nearMisses []Evidence) {
	matched := map[int]bool{}
	type miss struct {
		prov int
		rule int
		h    ruleHits
		ctx  uint64
	}
	var misses []miss
	for ri := range d.Rules {
		r := compiled(d.Rules[ri])
		if r.groups == nil {
			continue
		}
		own := e.ruleHits(r)
		full := uint64(1)<<len(r.groups) - 1
		for prov, h := range own {
			i := int(prov)
			p := &e.x.doc.Provisions[i]
			if p.Kind == redline.ProvDivision || matched[i] || len(r.Kinds) > 0 && !slices.Contains(r.Kinds, p.Kind) {
				continue
			}
			ctx := uint64(0)
			for a := e.x.parent[i]; a >= 0; a = e.x.parent[a] {
				ctx |= own[int32(a)].mask
			}
			if h.mask|ctx != full {
				if near && h.mask&1 != 0 {
					misses = append(misses, miss{prov: i, rule: ri, h: h, ctx: ctx})
				}
				continue
			}
			matched[i] = true
			j := e.judge(i)
			matches = append(matches, Evidence{
				Provision:  p.Path,
				Quote:      e.x.quote(i, h.first, h.n),
				Exceptions: j.exceptions,
				Level:      j.level,
				Rule:       r.Name,
				Reason:     j.reason,
				titled:     h.head&1 != 0,
			})
		}
	}
	sortByDocument(e.x, matches)
	for _, m := range misses {
		if matched[m.prov] {
			continue
		}
		r := d.Rules[m.rule]
		var missing []string
		for g := range r.Groups {
			if (m.h.mask|m.ctx)&(1<<g) == 0 {
				missing = append(missing, strings.Join(r.Groups[g], " | "))
			}
		}
		nearMisses = append(nearMisses, Evidence{
			Provision: e.x.doc.Provisions[m.prov].Path,
			Quote:     e.x.quote(m.prov, m.h.first, m.h.n),
			Rule:      r.Name,
			Reason:    "nearly matched: no term of the missing groups in the provision or its ancestors",
			Near:      true,
			Missing:   missing,
		})
	}
	sortByDocument(e.x, nearMisses)
	return matches, nearMisses
}

// ruleHits finds the groups of r in every provision's own heading and text.
func (e *engine) ruleHits(r Rule) map[int32]ruleHits {
	masked := e.mask(r.exclude)
	out := map[int32]ruleHits{}
	var hits []hit
	for g, alts := range r.groups {
		for _, t := range alts {
			hits = e.x.find(t, hits[:0])
			for _, h := range hits {
				if masked.covers(h) {
					continue
				}
				cur, seen := out[h.prov]
				// Quote the first hit in the text; the heading only if
				// the text has none.
				was := hit{prov: h.prov, pos: cur.first}
				if !seen || e.x.inText(h) && !e.x.inText(was) || e.x.inText(h) == e.x.inText(was) && h.pos < cur.first {
					cur.first, cur.n = h.pos, h.n
				}
				cur.mask |= 1 << g
				if !e.x.inText(h) {
					cur.head |= 1 << g
				}
				out[h.prov] = cur
			}
		}
	}
	return out
}

// compiled returns r with its terms compiled; a rule built by hand
// outside ParseDemands is compiled here, and skipped if invalid.
func compiled(r Rule) Rule {
	if r.groups != nil {
		return r
	}
	if err := r.compile(); err != nil {
		r.groups = nil
	}
	return r
}

// sortByDocument orders evidence by document order of the provisions.
func sortByDocument(x *index, ev []Evidence) {
	slices.SortFunc(ev, func(a, b Evidence) int { return x.byPath[a.Provision] - x.byPath[b.Provision] })
}

// definitions matches the heading of a definitions article.
var definitions = regexp.MustCompile(`(?i)^\s*definitions?\b`)

// judge decides provision i's level from where it sits and what it says,
// whatever demand matched it.
func (e *engine) judge(i int) judgement {
	if j, ok := e.judged[i]; ok {
		return j
	}
	j := e.judgeUncached(i)
	e.judged[i] = j
	return j
}

func (e *engine) judgeUncached(i int) judgement {
	doc := e.x.doc
	p := &doc.Provisions[i]
	switch p.Kind {
	case redline.ProvTitle, redline.ProvCitation, redline.ProvRecital, redline.ProvMemorandum,
		redline.ProvFootnote, redline.ProvFinal:
		return judgement{level: Mentioned, reason: "non-binding: " + string(p.Kind)}
	}
	container := -1
	for a := i; a >= 0; a = e.x.parent[a] {
		q := &doc.Provisions[a]
		if q.Kind == redline.ProvArticle && definitions.MatchString(q.Heading) {
			return judgement{level: Mentioned, reason: fmt.Sprintf("non-binding: a definition (%s %q)", q.Path, q.Heading)}
		}
		if container < 0 && (q.Kind == redline.ProvArticle || q.Kind == redline.ProvAnnex) {
			container = a
		}
	}
	if container < 0 {
		return judgement{level: Mentioned, reason: "non-binding: outside the articles and annexes"}
	}
	// The ban that covers i: i's own words, or the chapeau of the
	// paragraph (or point) that i is a point of. Only points inherit a
	// chapeau; a subparagraph after the points does not.
	ban := -1
	for a := i; ; a = e.x.parent[a] {
		if e.mark(a, markProhibition) >= 0 {
			ban = a
			break
		}
		if a == container || doc.Provisions[a].Kind != redline.ProvPoint || e.x.parent[a] < 0 {
			break
		}
	}
	cpath := doc.Provisions[container].Path
	if ban < 0 {
		return judgement{level: Restricted, reason: "binding provision in " + cpath + " with no prohibition wording over it: allowed under conditions"}
	}
	chain := []int{}
	for a := i; ; a = e.x.parent[a] {
		chain = append(chain, a)
		if a == ban {
			break
		}
	}
	var exc []string
	add := func(k int, pos int32) {
		exc = append(exc, doc.Provisions[k].Path+": "+e.x.quote(k, pos, 1))
	}
	// Carve-outs and limits in the words of the ban itself: the point, the
	// points above it up to the chapeau, and the sub-points that spell out
	// the banned practice. Neighbouring points are not read.
	for _, k := range chain {
		if pos := firstOf(e.mark(k, markException), e.mark(k, markPartial)); pos >= 0 {
			add(k, pos)
		}
	}
	for _, k := range e.descendants(i) {
		if pos := e.mark(k, markException); pos >= 0 {
			add(k, pos)
		}
	}
	// Carve-outs in the rest of the article: a later paragraph that refers
	// to this point (or a point or chapeau above it) and lets the practice
	// happen ("may", "authorisation", "by way of derogation", ...).
	inChain := make(map[int]bool, len(chain))
	for _, k := range chain {
		inChain[k] = true
	}
	label := doc.Provisions[container].Label
	for r := ban + 1; r < len(doc.Provisions) && e.under(r, container); r++ {
		if e.inScope(r, ban) || e.mark(r, markPermission) < 0 {
			continue
		}
		for _, t := range e.targets(r, container, label) {
			if inChain[t.prov] {
				add(r, t.pos)
				break
			}
		}
	}
	banPath := doc.Provisions[ban].Path
	if len(exc) == 0 {
		return judgement{level: Prohibited, reason: fmt.Sprintf("prohibited by %s with no carve-out", banPath)}
	}
	return judgement{level: ProhibitedWithExceptions, exceptions: exc,
		reason: fmt.Sprintf("prohibited by %s, with %d carve-out(s) or limit(s)", banPath, len(exc))}
}

// firstOf returns the smaller non-negative position, or -1.
func firstOf(a, b int32) int32 {
	switch {
	case a < 0:
		return b
	case b < 0 || a < b:
		return a
	}
	return b
}

// descendants returns every provision below i.
func (e *engine) descendants(i int) []int {
	var out []int
	var walk func(int)
	walk = func(k int) {
		for _, c := range e.x.children[k] {
			out = append(out, c)
			walk(c)
		}
	}
	walk(i)
	return out
}

// under reports whether r is container or below it.
func (e *engine) under(r, container int) bool {
	for a := r; a >= 0; a = e.x.parent[a] {
		if a == container {
			return true
		}
	}
	return false
}

// inScope reports whether r is one of the points listed under the ban's
// chapeau (or the ban itself): those are the banned practices, not
// carve-outs.
func (e *engine) inScope(r, ban int) bool {
	for a := r; a >= 0; a = e.x.parent[a] {
		if a == ban {
			return true
		}
		if e.x.doc.Provisions[a].Kind != redline.ProvPoint {
			return false
		}
	}
	return false
}

// targets resolves the internal references of provision r.
func (e *engine) targets(r, container int, label string) []target {
	if t, ok := e.refs[r]; ok {
		return t
	}
	var out []target
	for _, rf := range e.x.refs(r, label) {
		if j := e.x.resolve(rf, r, container); j >= 0 {
			out = append(out, target{prov: j, pos: rf.pos})
		}
	}
	e.refs[r] = out
	return out
}
