package coverage

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/redline-watch/redline"
)

// Document is the parsed legal text coverage reads; see redline.Document.
type Document = redline.Document

// Ask is what a demand asks the law to do.
type Ask string

// The asks a demand can make.
const (
	AskProhibition Ask = "prohibition" // ban the practice
	AskRestriction Ask = "restriction" // put binding limits on it
	AskSafeguard   Ask = "safeguard"   // impose a binding duty such as an impact assessment
	AskInclusion   Ask = "inclusion"   // give a group a binding place in governance
)

// DefaultIDs returns the ids of the embedded default demands, in order: the
// open letter's red lines. A demand file of one's own may use other ids.
func DefaultIDs() []string {
	return []string{
		"biometric-mass-surveillance",
		"border-migration",
		"social-scoring",
		"social-benefits-access",
		"predictive-policing",
		"criminal-justice-risk-assessment",
		"worker-surveillance",
		"sensitive-inferences",
		"behavioural-manipulation",
		"fundamental-rights-impact-assessment",
		"affected-communities-inclusion",
	}
}

// Demand is one red line: what is asked, in the letter's words, and the
// declarative rules that find the provisions addressing it.
type Demand struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
	Ask   Ask    `yaml:"ask" json:"ask"`
	// Quote is the demand in the words of the letter it comes from.
	Quote string `yaml:"quote" json:"quote"`
	// Rules are alternatives: a provision matches the demand when any rule
	// matches it.
	Rules []Rule `yaml:"rules" json:"rules"`
}

// Rule is one way of recognising a demand in a provision. Every group must
// match in the provision's own heading and text or in those of its
// ancestors (the paragraph above a point, the article, the annex point
// above it, divisions), and at least one group must match in the
// provision's own heading or text, so a chapeau alone never makes all its
// points match.
type Rule struct {
	// Name says what the rule looks for; it is shown as the rule that fired.
	Name string `yaml:"name" json:"name"`
	// Groups must all match; each group lists alternative terms (synonyms,
	// inflections). A term is a sequence of words compared case-insensitively
	// with the words of the text (runs of letters and digits, so "real-time"
	// matches "‘real-time’"); a word ending in "*" matches every word it
	// starts.
	Groups [][]string `yaml:"groups" json:"groups"`
	// Exclude lists terms whose occurrences do not count: a group term
	// inside an excluded phrase (e.g. "impact assessment" inside "data
	// protection impact assessment") is ignored.
	Exclude []string `yaml:"exclude,omitempty" json:"exclude,omitempty"`
	// Kinds, if set, limits the rule to provisions of these kinds.
	Kinds []redline.ProvisionKind `yaml:"kinds,omitempty" json:"kinds,omitempty"`

	groups  [][]term
	exclude []term
}

// Set is a list of demands, ready to evaluate.
type Set struct {
	Demands []Demand `yaml:"demands" json:"demands"`
}

// Demand returns the demand with the given id, or false.
func (s *Set) Demand(id string) (Demand, bool) {
	for _, d := range s.Demands {
		if d.ID == id {
			return d, true
		}
	}
	return Demand{}, false
}

//go:embed demands.yaml
var defaultDemands []byte

// Default returns the embedded default demand set, drawn from the civil
// society open letter of 12 January 2021 on red lines for AI.
func Default() (*Set, error) {
	return ParseDemands(defaultDemands, "demands.yaml")
}

// ParseDemands reads a demand file. Unknown keys, duplicate keys, unknown
// ids or asks, duplicate ids and malformed terms are errors that name the
// file, line and field. name is used in errors only.
func ParseDemands(data []byte, name string) (set *Set, err error) {
	// goccy/go-yaml has had panics on malformed input; a bad file must
	// be an error, never a crash.
	defer func() {
		if r := recover(); r != nil {
			set, err = nil, fmt.Errorf("parse demands %s: malformed YAML: %v", name, r)
		}
	}()
	var s Set
	if err := yaml.UnmarshalWithOptions(data, &s, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("parse demands %s: %w", name, &yamlError{msg: yaml.FormatError(err, false, false), err: err})
	}
	// at names the file and line of a YAML path, for errors found after
	// decoding.
	at := func(path string) string {
		if file, err := parser.ParseBytes(data, 0); err == nil {
			if l := line(file, path); l > 0 {
				return fmt.Sprintf("parse demands %s:%d", name, l)
			}
		}
		return "parse demands " + name
	}
	if len(s.Demands) == 0 {
		return nil, fmt.Errorf("parse demands %s: no demands (want a %q list)", name, "demands")
	}
	seen := make(map[string]int, len(s.Demands))
	for i := range s.Demands {
		d := &s.Demands[i]
		p := fmt.Sprintf("$.demands[%d]", i)
		switch {
		case d.ID == "":
			return nil, fmt.Errorf("%s: demands[%d]: missing id", at(p), i)
		case !redline.ValidSourceID(d.ID):
			return nil, fmt.Errorf("%s: demands[%d].id: invalid demand id %q: use a-z, 0-9 and '-'", at(p+".id"), i, d.ID)
		}
		if j, dup := seen[d.ID]; dup {
			return nil, fmt.Errorf("%s: demands[%d].id: duplicate demand id %q (first at demands[%d])", at(p+".id"), i, d.ID, j)
		}
		seen[d.ID] = i
		switch d.Ask {
		case AskProhibition, AskRestriction, AskSafeguard, AskInclusion:
		case "":
			return nil, fmt.Errorf("%s: demand %q: missing ask", at(p), d.ID)
		default:
			return nil, fmt.Errorf("%s: demand %q: unknown ask %q (want prohibition, restriction, safeguard or inclusion)", at(p+".ask"), d.ID, d.Ask)
		}
		if strings.TrimSpace(d.Title) == "" {
			return nil, fmt.Errorf("%s: demand %q: missing title", at(p), d.ID)
		}
		if strings.TrimSpace(d.Quote) == "" {
			return nil, fmt.Errorf("%s: demand %q: missing quote", at(p), d.ID)
		}
		if len(d.Rules) == 0 {
			return nil, fmt.Errorf("%s: demand %q: no rules", at(p), d.ID)
		}
		for k := range d.Rules {
			rp := fmt.Sprintf("%s.rules[%d]", p, k)
			if err := d.Rules[k].compile(); err != nil {
				return nil, fmt.Errorf("%s: demand %q: rules[%d]: %w", at(rp), d.ID, k, err)
			}
		}
	}
	return &s, nil
}

// compile checks the rule and compiles its terms.
func (r *Rule) compile() error {
	if strings.TrimSpace(r.Name) == "" {
		return errors.New("missing name")
	}
	if len(r.Groups) == 0 {
		return fmt.Errorf("rule %q: no groups", r.Name)
	}
	if len(r.Groups) > 64 {
		return fmt.Errorf("rule %q: %d groups, at most 64", r.Name, len(r.Groups))
	}
	r.groups = make([][]term, len(r.Groups))
	for g, alts := range r.Groups {
		if len(alts) == 0 {
			return fmt.Errorf("rule %q: group %d is empty", r.Name, g+1)
		}
		for _, a := range alts {
			t, err := compileTerm(a)
			if err != nil {
				return fmt.Errorf("rule %q: group %d: %w", r.Name, g+1, err)
			}
			r.groups[g] = append(r.groups[g], t)
		}
	}
	r.exclude = nil
	for _, e := range r.Exclude {
		t, err := compileTerm(e)
		if err != nil {
			return fmt.Errorf("rule %q: exclude: %w", r.Name, err)
		}
		r.exclude = append(r.exclude, t)
	}
	for _, k := range r.Kinds {
		if !validKind(k) {
			return fmt.Errorf("rule %q: unknown provision kind %q", r.Name, k)
		}
	}
	return nil
}

// validKind reports whether k is a provision kind of the document model.
func validKind(k redline.ProvisionKind) bool {
	switch k {
	case redline.ProvTitle, redline.ProvMemorandum, redline.ProvCitation, redline.ProvRecital,
		redline.ProvDivision, redline.ProvArticle, redline.ProvParagraph, redline.ProvSubparagraph,
		redline.ProvPoint, redline.ProvAnnex, redline.ProvAnnexPart, redline.ProvFinal, redline.ProvFootnote:
		return true
	}
	return false
}

// line returns the line of the node at a YAML path, or 0.
func line(file *ast.File, path string) int {
	p, err := yaml.PathString(path)
	if err != nil {
		return 0
	}
	n, err := p.FilterFile(file)
	if err != nil || n == nil || n.GetToken() == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

// yamlError carries goccy's message without its source snippet (which
// would repeat neighbouring lines of the file) and keeps the original error
// for errors.As.
type yamlError struct {
	msg string
	err error
}

func (e *yamlError) Error() string { return e.msg }
func (e *yamlError) Unwrap() error { return e.err }
