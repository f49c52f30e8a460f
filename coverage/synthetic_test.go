package coverage_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redline-watch/redline/coverage"
	"github.com/redline-watch/redline/legal/plaintext"
)

// TestSyntheticAct runs the default rules on an act they were not written
// against (testdata/synthetic-act.txt): its own words ("crime forecasting
// software", "face matching", "It is prohibited to operate"), its own
// numbering (the ban is in Article 3, the high-risk list in Annex I).
func TestSyntheticAct(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "synthetic-act.txt"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := plaintext.Parse(string(data), plaintext.Options{})
	if err != nil {
		t.Fatalf("parse synthetic act: %v", err)
	}
	set := defaultSet(t)
	rep := coverage.Evaluate(set, d)
	tests := []struct {
		demand    string
		level     coverage.Level
		path      string
		exception string // prefix of a carve-out quote
	}{
		{"predictive-policing", coverage.Prohibited, "Article 3(1)", ""},
		{"biometric-mass-surveillance", coverage.ProhibitedWithExceptions, "Article 3(2)", "Article 3(3): By way of derogation"},
		{"sensitive-inferences", coverage.Restricted, "Annex I point 1(a)", ""},
		{"social-scoring", coverage.Absent, "", ""},
		{"fundamental-rights-impact-assessment", coverage.Absent, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.demand, func(t *testing.T) {
			res, _ := rep.Result(tt.demand)
			if res.Level != tt.level {
				t.Fatalf("level %s, want %s; evidence %+v", res.Level, tt.level, res.Evidence)
			}
			if tt.path == "" {
				return
			}
			if len(res.Evidence) == 0 || res.Evidence[0].Provision != tt.path {
				t.Fatalf("evidence %+v, want %s first", res.Evidence, tt.path)
			}
			if tt.exception == "" {
				if len(res.Evidence[0].Exceptions) != 0 {
					t.Errorf("unexpected carve-outs %q", res.Evidence[0].Exceptions)
				}
				return
			}
			for _, x := range res.Evidence[0].Exceptions {
				if strings.HasPrefix(x, tt.exception) {
					return
				}
			}
			t.Errorf("carve-outs %q lack %q", res.Evidence[0].Exceptions, tt.exception)
		})
	}
	// The definition of face matching names the practice but binds nothing.
	ex, err := coverage.Explain(set, "biometric-mass-surveillance", d)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range ex.Matches {
		if m.Provision == "Article 2 point (2)" {
			found = true
			if m.Level != coverage.Mentioned {
				t.Errorf("definition: %s, want mentioned", m.Level)
			}
		}
	}
	if !found {
		t.Errorf("the definition of face matching did not match; matches %+v", ex.Matches)
	}
}
