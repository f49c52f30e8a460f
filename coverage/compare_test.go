package coverage_test

import (
	"slices"
	"testing"

	"github.com/redline-watch/redline/coverage"
)

func TestCompare(t *testing.T) {
	r := fixtureReports(t)
	draft, final := r[0], r[1]
	deltas := coverage.Compare(draft, final)
	type change struct {
		id       string
		from, to coverage.Level
		gain     bool
	}
	var got []change
	for _, d := range deltas {
		got = append(got, change{d.DemandID, d.From, d.To, d.Gain()})
		if d.To != coverage.Absent && len(d.Evidence) == 0 {
			t.Errorf("%s: delta without evidence", d.DemandID)
		}
	}
	want := []change{
		{"biometric-mass-surveillance", coverage.ProhibitedWithExceptions, coverage.Prohibited, true},
		{"predictive-policing", coverage.Restricted, coverage.Prohibited, true},
	}
	if !slices.Equal(got, want) {
		t.Errorf("deltas %+v, want %+v", got, want)
	}

	// Back again: losses.
	back := coverage.Compare(final, draft)
	if len(back) != 2 || back[0].Gain() || back[1].Gain() || back[1].To != coverage.Restricted {
		t.Errorf("reverse deltas %+v", back)
	}
	// A demand that falls to absent keeps the evidence of what was lost.
	empty := coverage.Evaluate(defaultSet(t), doc())
	lost := coverage.Compare(final, empty)
	if len(lost) != 2 || lost[0].To != coverage.Absent || len(lost[0].Evidence) == 0 || lost[0].Evidence[0].Provision != "Article 5(1)(a)" {
		t.Errorf("losses %+v", lost)
	}
	if d := coverage.Compare(final, final); len(d) != 0 {
		t.Errorf("no change gave %+v", d)
	}
}

func TestCompareDemandSetChanges(t *testing.T) {
	old := coverage.Report{Results: []coverage.Result{{DemandID: "a", Level: coverage.Mentioned}, {DemandID: "b", Level: coverage.Absent}}}
	new := coverage.Report{Results: []coverage.Result{{DemandID: "b", Level: coverage.Absent}, {DemandID: "c", Level: coverage.Restricted}}}
	got := coverage.Compare(old, new)
	if len(got) != 2 || got[0].DemandID != "c" || got[0].From != "" || got[1].DemandID != "a" || got[1].To != "" {
		t.Errorf("deltas %+v, want c added then a removed", got)
	}
}
