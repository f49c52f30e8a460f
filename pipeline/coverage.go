package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/coverage"
)

// storedCoverage is the coverage blob of a snapshot. The hash of the demand
// set keeps a change of demands (a new demand file) from reading as a change
// of the text.
type storedCoverage struct {
	Demands string          `json:"demands"`
	Report  coverage.Report `json:"report"`
}

// evaluate computes the coverage of doc and, for a changed version, one
// coverage.changed event per demand whose level moved.
func (p *Pipeline) evaluate(ctx context.Context, src redline.Source, st redline.SourceState, doc *redline.Document,
	outcome redline.Outcome) (blob []byte, events []redline.Event, err error) {
	if p.Demands == nil || doc.Kind == redline.DocRegister {
		return nil, nil, nil
	}
	setJSON, err := json.Marshal(p.Demands)
	if err != nil {
		return nil, nil, fmt.Errorf("encode demand set: %w", err)
	}
	cur := storedCoverage{Demands: hashOf(setJSON), Report: coverage.Evaluate(p.Demands, doc)}
	cur.Report.Document = firstNonEmpty(src.Name, src.ID)
	if blob, err = json.Marshal(cur); err != nil {
		return nil, nil, fmt.Errorf("encode coverage: %w", err)
	}
	if outcome != redline.OutcomeChanged || st.LastCoverageHash == "" {
		// A first version, or a new extractor reading the same text: store
		// the coverage silently.
		return blob, nil, nil
	}
	raw, err := p.store.Blob(ctx, st.LastCoverageHash)
	if err != nil {
		return nil, nil, fmt.Errorf("read previous coverage %s: %w", st.LastCoverageHash, err)
	}
	var prev storedCoverage
	if err := json.Unmarshal(raw, &prev); err != nil {
		return nil, nil, fmt.Errorf("decode previous coverage %s: %w", st.LastCoverageHash, err)
	}
	if prev.Demands != cur.Demands {
		p.Logger.Info("demand set changed since the last version; coverage stored without comparing", "source_id", src.ID)
		return blob, nil, nil
	}
	for _, d := range coverage.Compare(prev.Report, cur.Report) {
		events = append(events, coverageEvent(src, d))
	}
	return blob, events, nil
}

// coverageEvent turns a level change into an event a campaigner can read in
// a mail subject, with the provision and quote that decide it.
func coverageEvent(src redline.Source, d coverage.Delta) redline.Event {
	direction := "lost ground"
	if d.Gain() {
		direction = "gained ground"
	}
	from, to := levelName(d.From), levelName(d.To)
	details := map[string]string{
		"demand": d.DemandID, "from": string(d.From), "to": string(d.To),
		"from_verdict": string(d.FromVerdict), "to_verdict": string(d.ToVerdict), "direction": direction,
	}
	where := ""
	if len(d.Evidence) > 0 {
		e := d.Evidence[0]
		where = " (" + e.Provision + ")"
		details["provision"], details["quote"] = e.Provision, e.Quote
		if len(e.Exceptions) > 0 {
			details["exceptions"] = strings.Join(e.Exceptions, "\n")
		}
		var paths []string
		for _, e := range d.Evidence {
			paths = append(paths, e.Provision)
		}
		details["provisions"] = strings.Join(paths, "; ")
	}
	return redline.Event{
		Type: redline.EventCoverageChanged, SourceID: src.ID,
		Summary: fmt.Sprintf("%s %s on %s: %s -> %s%s", firstNonEmpty(src.Name, src.ID), direction, d.DemandID, from, to, where),
		Details: details,
	}
}

func levelName(l coverage.Level) string {
	if l == "" {
		return "not assessed"
	}
	return string(l)
}
