package schedule

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// schedule computes the next planned run of one source.
type schedule interface {
	// Next returns the first run strictly after t, or the zero time if there is none.
	Next(t time.Time) time.Time
}

// parseSpec parses a five-field cron spec with an optional CRON_TZ=Zone (or
// TZ=Zone) prefix. A spec without a zone is read in UTC rather than
// robfig's default time.Local, so a spec means the same on every host.
func parseSpec(spec string) (sched schedule, err error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, errors.New("empty spec")
	}
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		// robfig slices up to the first space and panics when there is none.
		if !strings.ContainsAny(spec, " \t") {
			return nil, errors.New("time zone prefix must be followed by a space and five fields")
		}
	} else {
		spec = "CRON_TZ=UTC " + spec
	}
	// Issues robfig/cron#554 and #555 report other panics on odd zone forms;
	// a config typo must become an error, not a crash.
	defer func() {
		if v := recover(); v != nil {
			sched, err = nil, fmt.Errorf("cron parser panicked: %v", v)
		}
	}()
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, err
	}
	if spec, ok := s.(*cron.SpecSchedule); ok {
		wall := *spec
		wall.Location = time.UTC
		return dstSchedule{spec: spec, wall: &wall}, nil
	}
	return s, nil
}

// dstSchedule is a cron spec whose runs falling in a spring-forward gap are
// kept. robfig/cron skips them: "30 2 * * *" in Europe/Brussels would not run
// at all on the last Sunday of March. Like ISC cron, dstSchedule runs them at
// the instant of the jump (03:00 local) instead. On the fall-back day the
// repeated hour is left as robfig plans it: a run at 02:30 happens twice, an
// hour apart, which costs one redundant check and loses nothing.
type dstSchedule struct {
	spec *cron.SpecSchedule
	// wall is spec read in UTC, which has no gaps; it tells whether the spec
	// matches a wall-clock time that the real zone skips.
	wall *cron.SpecSchedule
}

// Next implements schedule.
func (s dstSchedule) Next(t time.Time) time.Time {
	n := s.spec.Next(t)
	if n.IsZero() {
		// Without an upper bound the walk over transitions below would not end.
		return n
	}
	cur := t.In(s.spec.Location)
	for {
		_, end := cur.ZoneBounds()
		if end.IsZero() || !end.Before(n) {
			return n
		}
		_, before := end.Add(-time.Nanosecond).In(s.spec.Location).Zone()
		_, after := end.In(s.spec.Location).Zone()
		if gap := time.Duration(after-before) * time.Second; gap > 0 {
			// Wall-clock times [w, w+gap) never happen in the zone.
			old := end.In(time.FixedZone("", before))
			w := time.Date(old.Year(), old.Month(), old.Day(), old.Hour(), old.Minute(), old.Second(), 0, time.UTC)
			if m := s.wall.Next(w.Add(-time.Second)); !m.IsZero() && m.Before(w.Add(gap)) {
				return end
			}
		}
		cur = end.In(s.spec.Location)
	}
}
