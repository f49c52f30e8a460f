package coverage_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/coverage"
	"github.com/redline-watch/redline/legal"
)

// expectedCell is one cell of testdata/expected-levels.yaml.
type expectedCell struct {
	Level      coverage.Level   `yaml:"level"`
	Accept     []coverage.Level `yaml:"accept"`
	Provisions []string         `yaml:"provisions"`
	Why        string           `yaml:"why"`
}

type expectedTable struct {
	Documents []string `yaml:"documents"`
	Cells     []struct {
		Demand     string       `yaml:"demand"`
		Proposal   expectedCell `yaml:"proposal"`
		Parliament expectedCell `yaml:"parliament"`
		Act        expectedCell `yaml:"act"`
	} `yaml:"cells"`
}

func loadExpected(t *testing.T) expectedTable {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "expected-levels.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var tab expectedTable
	if err := yaml.UnmarshalWithOptions(data, &tab, yaml.Strict()); err != nil {
		t.Fatalf("testdata/expected-levels.yaml: %s", yaml.FormatError(err, false, false))
	}
	return tab
}

// TestExpectedLevels checks the engine against the levels built by reading
// the proposal, the Parliament position and the adopted act.
func TestExpectedLevels(t *testing.T) {
	tab := loadExpected(t)
	set := defaultSet(t)
	if len(tab.Cells) != len(set.Demands) {
		t.Fatalf("expected-levels.yaml has %d demands, the default set %d", len(tab.Cells), len(set.Demands))
	}
	docs := map[string]*redline.Document{
		"proposal":   proposal(t),
		"parliament": parliamentPosition(t),
		"act":        adoptedAct(t),
	}
	reports := map[string]coverage.Report{}
	for name, doc := range docs {
		reports[name] = coverage.Evaluate(set, doc)
	}
	total, exact, accepted := 0, 0, 0
	for k, row := range tab.Cells {
		if row.Demand != set.Demands[k].ID {
			t.Errorf("expected-levels.yaml row %d is %q, the default set has %q there", k, row.Demand, set.Demands[k].ID)
		}
		for _, col := range []struct {
			name string
			cell expectedCell
		}{{"proposal", row.Proposal}, {"parliament", row.Parliament}, {"act", row.Act}} {
			total++
			t.Run(row.Demand+"/"+col.name, func(t *testing.T) {
				want := col.cell
				if want.Level == "" || want.Why == "" {
					t.Fatalf("cell has no level or no reason")
				}
				res, ok := reports[col.name].Result(row.Demand)
				if !ok {
					t.Fatalf("no result for %s", row.Demand)
				}
				switch {
				case res.Level == want.Level:
					exact++
				case slices.Contains(want.Accept, res.Level):
					accepted++
					return
				default:
					t.Fatalf("level %s, want %s (or %v): %s\nevidence: %+v", res.Level, want.Level, want.Accept, want.Why, res.Evidence)
				}
				if len(want.Provisions) == 0 {
					return
				}
				ex, err := coverage.Explain(set, row.Demand, docs[col.name])
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range ex.Matches {
					if slices.Contains(want.Provisions, m.Provision) && m.Level == want.Level {
						return
					}
				}
				t.Errorf("none of %v is matched at level %s; matches: %+v", want.Provisions, want.Level, ex.Matches)
			})
		}
	}
	t.Logf("%d cells: %d at the expected level, %d at an accepted alternative", total, exact, accepted)
}

// TestKnownFacts pins the facts of the brief independently of the table.
func TestKnownFacts(t *testing.T) {
	set := defaultSet(t)
	prop := coverage.Evaluate(set, proposal(t))
	ep := coverage.Evaluate(set, parliamentPosition(t))
	act := coverage.Evaluate(set, adoptedAct(t))
	tests := []struct {
		name   string
		rep    coverage.Report
		demand string
		want   []coverage.Level
		path   string
	}{
		{"real-time RBI in the proposal", prop, "biometric-mass-surveillance", []coverage.Level{coverage.ProhibitedWithExceptions}, "Article 5(1)(d)"},
		{"real-time RBI in the act", act, "biometric-mass-surveillance", []coverage.Level{coverage.ProhibitedWithExceptions}, "Article 5(1)(h)"},
		{"predictive policing in the proposal", prop, "predictive-policing", []coverage.Level{coverage.Restricted}, ""},
		{"predictive policing in the Parliament position", ep, "predictive-policing", []coverage.Level{coverage.Prohibited, coverage.ProhibitedWithExceptions}, ""},
		{"predictive policing in the act", act, "predictive-policing", []coverage.Level{coverage.ProhibitedWithExceptions}, "Article 5(1)(d)"},
		{"FRIA in the proposal", prop, "fundamental-rights-impact-assessment", []coverage.Level{coverage.Absent, coverage.Mentioned}, ""},
		{"FRIA in the act", act, "fundamental-rights-impact-assessment", []coverage.Level{coverage.Restricted}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := tt.rep.Result(tt.demand)
			if !slices.Contains(tt.want, res.Level) {
				t.Fatalf("level %s, want one of %v", res.Level, tt.want)
			}
			if tt.path == "" {
				return
			}
			for _, e := range res.Evidence {
				if e.Provision == tt.path {
					if tt.want[0] == coverage.ProhibitedWithExceptions && len(e.Exceptions) == 0 {
						t.Errorf("%s has no carve-out quote", tt.path)
					}
					return
				}
			}
			t.Errorf("evidence %+v lacks %s", res.Evidence, tt.path)
		})
	}
}

// TestActCarveOutsOfRealTimeRBI checks that the paragraphs after the ban
// are read as carve-outs of point (h) and of no other point.
func TestActCarveOutsOfRealTimeRBI(t *testing.T) {
	set := defaultSet(t)
	ex, err := coverage.Explain(set, "biometric-mass-surveillance", adoptedAct(t))
	if err != nil {
		t.Fatal(err)
	}
	var h *coverage.Evidence
	for i := range ex.Matches {
		if ex.Matches[i].Provision == "Article 5(1)(h)" {
			h = &ex.Matches[i]
		}
	}
	if h == nil {
		t.Fatal("Article 5(1)(h) did not match")
	}
	for _, want := range []string{"Article 5(2): ", "Article 5(3): ", "Article 5(5): "} {
		found := false
		for _, x := range h.Exceptions {
			found = found || len(x) > len(want) && x[:len(want)] == want
		}
		if !found {
			t.Errorf("carve-outs of Article 5(1)(h) lack %q: %q", want, h.Exceptions)
		}
	}
	// Social scoring, point (c) of the same paragraph, must not inherit
	// them.
	res, _ := coverage.Evaluate(set, adoptedAct(t)).Result("social-scoring")
	if res.Level != coverage.Prohibited {
		t.Errorf("social scoring: %s, want prohibited (no bleeding from point (h))", res.Level)
	}
}

func defaultSet(t testing.TB) *coverage.Set {
	t.Helper()
	set, err := coverage.Default()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// BenchmarkEvaluateAIAct measures coverage of all demands on the adopted
// act, parsed outside the timer.
func BenchmarkEvaluateAIAct(b *testing.B) {
	doc := adoptedAct(b)
	set := defaultSet(b)
	b.ReportAllocs()
	for b.Loop() {
		coverage.Evaluate(set, doc)
	}
}

// BenchmarkParseXHTMLAIAct is the baseline for BenchmarkEvaluateAIAct:
// parsing the same file.
func BenchmarkParseXHTMLAIAct(b *testing.B) {
	data := readCorpus(b, "ai-act-2024-1689.eurlex-oj.html")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := legal.ParseXHTML(data, legal.XHTMLOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
