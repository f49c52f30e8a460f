package coverage

// Delta is a change of one demand's level between two reports of the same
// source: the substance of a coverage.changed event.
type Delta struct {
	DemandID string `json:"id"`
	// From is the old level; empty if the old report did not cover the
	// demand (a demand added to the set).
	From Level `json:"from"`
	// To is the new level; empty if the new report no longer covers it.
	To          Level   `json:"to"`
	FromVerdict Verdict `json:"from_verdict,omitempty"`
	ToVerdict   Verdict `json:"to_verdict,omitempty"`
	// Evidence is the new report's evidence, or the old one's when the
	// demand fell to absent, so a loss shows what was lost.
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Gain reports whether the text moved towards the demand (a stronger level).
func (d Delta) Gain() bool { return d.To.Rank() > d.From.Rank() }

// Compare returns the demands whose level differs between old and new, in
// the new report's order, then demands only the old report covered. Changes
// of evidence at the same level are not deltas: they do not change what
// the text does for the demand.
func Compare(old, new Report) []Delta {
	before := make(map[string]Result, len(old.Results))
	for _, r := range old.Results {
		before[r.DemandID] = r
	}
	var out []Delta
	seen := make(map[string]bool, len(new.Results))
	for _, n := range new.Results {
		seen[n.DemandID] = true
		o, ok := before[n.DemandID]
		switch {
		case !ok:
			out = append(out, Delta{DemandID: n.DemandID, To: n.Level, ToVerdict: n.Verdict, Evidence: n.Evidence})
		case o.Level != n.Level:
			ev := n.Evidence
			if n.Level == Absent {
				ev = o.Evidence
			}
			out = append(out, Delta{DemandID: n.DemandID, From: o.Level, To: n.Level,
				FromVerdict: o.Verdict, ToVerdict: n.Verdict, Evidence: ev})
		}
	}
	for _, o := range old.Results {
		if !seen[o.DemandID] {
			out = append(out, Delta{DemandID: o.DemandID, From: o.Level, FromVerdict: o.Verdict, Evidence: o.Evidence})
		}
	}
	return out
}
