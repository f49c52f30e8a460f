package coverage_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/goccy/go-yaml"

	"github.com/redline-watch/redline/coverage"
)

func TestDefaultDemands(t *testing.T) {
	set := defaultSet(t)
	var ids []string
	for _, d := range set.Demands {
		ids = append(ids, d.ID)
	}
	if !slices.Equal(ids, coverage.DefaultIDs()) {
		t.Errorf("default ids %q, want %q", ids, coverage.DefaultIDs())
	}
	letter := squeeze(string(readCorpus(t, "open-letter-red-lines-2021-01-12.txt")))
	for _, d := range set.Demands {
		// The letter's text comes from a PDF extraction that lost some
		// spaces ("prohibitdeployments"); compare without white space.
		if !strings.Contains(letter, squeeze(d.Quote)) {
			t.Errorf("%s: quote %q is not verbatim in the open letter", d.ID, d.Quote)
		}
	}
}

// squeeze drops all white space.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// The rules must work on texts they were not written against: no rule may
// name an article, annex or paragraph number.
func TestDefaultRulesNameNoProvision(t *testing.T) {
	for _, d := range defaultSet(t).Demands {
		for _, r := range d.Rules {
			terms := slices.Concat(r.Exclude)
			for _, g := range r.Groups {
				terms = append(terms, g...)
			}
			for _, term := range terms {
				low := strings.ToLower(term)
				if strings.IndexFunc(term, unicode.IsDigit) >= 0 || strings.Contains(low, "article") || strings.Contains(low, "annex") {
					t.Errorf("%s: rule %q names a provision: %q", d.ID, r.Name, term)
				}
			}
		}
	}
}

const validDemand = `demands:
  - id: social-scoring
    title: Social scoring
    ask: prohibition
    quote: social scoring
    rules:
      - name: social scoring
        groups:
          - [social scor*]
`

func TestParseDemands(t *testing.T) {
	set, err := coverage.ParseDemands([]byte(validDemand), "mine.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Demands) != 1 || set.Demands[0].Rules[0].Groups[0][0] != "social scor*" {
		t.Errorf("parsed %+v", set.Demands)
	}
	// A campaign's own demand file may name demands of its own.
	own := strings.Replace(validDemand, "id: social-scoring", "id: chat-control", 1)
	if set, err := coverage.ParseDemands([]byte(own), "mine.yaml"); err != nil || set.Demands[0].ID != "chat-control" {
		t.Errorf("own demand id: %v", err)
	}
}

func TestParseDemandsErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // substrings of the error
	}{
		{"empty", ``, []string{"mine.yaml", "no demands"}},
		{"unknown key", strings.Replace(validDemand, "    quote:", "    qoute: x\n    quote:", 1), []string{"mine.yaml", "[5:5]", "qoute"}},
		{"invalid id", strings.Replace(validDemand, "id: social-scoring", "id: Social_Credit", 1), []string{"mine.yaml:2", "invalid demand id", "Social_Credit"}},
		{"unknown ask", strings.Replace(validDemand, "ask: prohibition", "ask: ban", 1), []string{"mine.yaml:4", "unknown ask", "ban"}},
		{"duplicate id", validDemand + strings.TrimPrefix(validDemand, "demands:\n"), []string{"mine.yaml:10", "duplicate demand id", "social-scoring"}},
		{"duplicate key", strings.Replace(validDemand, "    ask: prohibition", "    ask: prohibition\n    ask: restriction", 1), []string{"mine.yaml", "ask"}},
		{"no rules", strings.Split(validDemand, "    rules:")[0], []string{"mine.yaml:2", "no rules"}},
		{"empty group", strings.Replace(validDemand, "[social scor*]", "[]", 1), []string{"mine.yaml:7", "group 1 is empty"}},
		{"star inside a word", strings.Replace(validDemand, "social scor*", "soc*ial", 1), []string{"mine.yaml:7", "may only end a word"}},
		{"punctuation only", strings.Replace(validDemand, "social scor*", "'--'", 1), []string{"mine.yaml:7", "no letters or digits"}},
		{"unknown kind", validDemand + "        kinds: [clause]\n", []string{"mine.yaml:7", "unknown provision kind", "clause"}},
		{"missing quote", strings.Replace(validDemand, "    quote: social scoring\n", "", 1), []string{"mine.yaml:2", "missing quote"}},
		{"not a list", "demands: 3\n", []string{"mine.yaml"}},
		{"bad indentation", "demands:\n  - id: x\n   ask: y\n", []string{"mine.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := coverage.ParseDemands([]byte(tt.yaml), "mine.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q spans lines (a source snippet)", err)
			}
		})
	}
}

func TestParseDemandsKeepsYAMLError(t *testing.T) {
	_, err := coverage.ParseDemands([]byte("demands: [\n"), "bad.yaml")
	var ye yaml.Error
	if !errors.As(err, &ye) {
		t.Errorf("error %v (%T) does not wrap a go-yaml error", err, err)
	}
}

func FuzzParseDemands(f *testing.F) {
	f.Add([]byte(validDemand))
	f.Add([]byte("demands:\n  - id: border-migration\n    rules: [{name: x, groups: [[a*, 'b c']], exclude: [d]}]\n"))
	f.Add([]byte("demands: [{id: social-scoring, title: t, ask: inclusion, quote: q, rules: [{name: n, groups: [[\"*\"]]}]}]"))
	f.Add([]byte("&a [*a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := coverage.ParseDemands(data, "fuzz.yaml")
		if err != nil {
			if set != nil {
				t.Fatal("a set and an error")
			}
			return
		}
		// Whatever parses must evaluate.
		coverage.Evaluate(set, doc(n("Article 1", "Subject", "social scoring of natural persons")))
	})
}
