package schedule

import (
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		name    string
		spec    string
		wantErr string // empty: valid
	}{
		{name: "utc by default", spec: "0 9 * * *"},
		{name: "cron_tz", spec: "CRON_TZ=Europe/Brussels 0 9 * * 1-5"},
		{name: "tz", spec: "TZ=Europe/Brussels 0 9 * * *"},
		{name: "surrounding space", spec: "  30 6,18 * * *  "},
		{name: "descriptor", spec: "@daily"},
		{name: "every", spec: "@every 6h"},
		{name: "empty", spec: " ", wantErr: "empty spec"},
		{name: "zone without fields", spec: "CRON_TZ=Europe/Brussels", wantErr: "followed by a space"},
		{name: "tz without fields", spec: "TZ=UTC", wantErr: "followed by a space"},
		{name: "unknown zone", spec: "CRON_TZ=Europe/Atlantis 0 9 * * *", wantErr: "bad location"},
		{name: "six fields", spec: "0 0 9 * * *", wantErr: "expected exactly 5 fields"},
		{name: "minute out of range", spec: "61 * * * *", wantErr: "above maximum"},
		{name: "words", spec: "every day", wantErr: "expected exactly 5 fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseSpec(tt.spec)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("parseSpec(%q): %v", tt.spec, err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("parseSpec(%q): no error, want one containing %q", tt.spec, tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("parseSpec(%q): %v, want an error containing %q", tt.spec, err, tt.wantErr)
			}
		})
	}
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load zone: %v", err)
	}
	return loc
}

func TestScheduleNextDST(t *testing.T) {
	bru := mustZone(t, "Europe/Brussels")
	nyc := mustZone(t, "America/New_York")
	lhi := mustZone(t, "Australia/Lord_Howe") // moves by 30 minutes
	at := func(loc *time.Location, y int, mo time.Month, d, h, mi int) time.Time {
		return time.Date(y, mo, d, h, mi, 0, 0, loc)
	}
	tests := []struct {
		name string
		spec string
		from time.Time
		want []time.Time
	}{
		{
			// robfig alone goes from 03-27 to 03-29.
			name: "daily in the skipped hour runs at the jump",
			spec: "CRON_TZ=Europe/Brussels 30 2 * * *",
			from: at(bru, 2027, 3, 27, 12, 0),
			want: []time.Time{
				at(time.UTC, 2027, 3, 28, 1, 0), // 03:00 CEST
				at(bru, 2027, 3, 29, 2, 30),
				at(bru, 2027, 3, 30, 2, 30),
			},
		},
		{
			name: "several runs in the skipped hour run once",
			spec: "CRON_TZ=Europe/Brussels */20 2 * * *",
			from: at(bru, 2027, 3, 27, 23, 0),
			want: []time.Time{
				at(time.UTC, 2027, 3, 28, 1, 0),
				at(bru, 2027, 3, 29, 2, 0),
				at(bru, 2027, 3, 29, 2, 20),
			},
		},
		{
			name: "hourly is untouched",
			spec: "CRON_TZ=Europe/Brussels 0 * * * *",
			from: at(bru, 2027, 3, 28, 0, 30),
			want: []time.Time{
				at(bru, 2027, 3, 28, 1, 0),
				at(time.UTC, 2027, 3, 28, 1, 0),
				at(bru, 2027, 3, 28, 4, 0),
			},
		},
		{
			name: "yearly date that falls in the gap",
			spec: "CRON_TZ=Europe/Brussels 30 2 28 3 *",
			from: at(bru, 2027, 1, 1, 0, 0),
			want: []time.Time{
				at(time.UTC, 2027, 3, 28, 1, 0),
				at(bru, 2028, 3, 28, 2, 30),
			},
		},
		{
			name: "fall back runs in both occurrences",
			spec: "CRON_TZ=Europe/Brussels 30 2 * * *",
			from: at(bru, 2027, 10, 30, 12, 0),
			want: []time.Time{
				at(time.UTC, 2027, 10, 31, 0, 30), // 02:30 CEST
				at(time.UTC, 2027, 10, 31, 1, 30), // 02:30 CET
				at(bru, 2027, 11, 1, 2, 30),
			},
		},
		{
			name: "new york",
			spec: "CRON_TZ=America/New_York 30 2 * * *",
			from: at(nyc, 2027, 3, 13, 12, 0),
			want: []time.Time{
				at(time.UTC, 2027, 3, 14, 7, 0), // 03:00 EDT
				at(nyc, 2027, 3, 15, 2, 30),
			},
		},
		{
			name: "half-hour shift",
			spec: "CRON_TZ=Australia/Lord_Howe 15 2 * * *",
			from: at(lhi, 2027, 10, 2, 12, 0),
			want: []time.Time{
				at(time.UTC, 2027, 10, 2, 15, 30), // 02:30 +11:00
				at(lhi, 2027, 10, 4, 2, 15),
			},
		},
		{
			name: "utc has no gap",
			spec: "30 2 * * *",
			from: at(bru, 2027, 3, 27, 12, 0),
			want: []time.Time{
				at(time.UTC, 2027, 3, 28, 2, 30),
				at(time.UTC, 2027, 3, 29, 2, 30),
			},
		},
		{
			name: "every",
			spec: "@every 6h",
			from: at(bru, 2027, 3, 28, 0, 0),
			want: []time.Time{
				at(bru, 2027, 3, 28, 0, 0).Add(6 * time.Hour),
				at(bru, 2027, 3, 28, 0, 0).Add(12 * time.Hour),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parseSpec(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			got := tt.from
			for i, want := range tt.want {
				got = s.Next(got)
				if !got.Equal(want) {
					t.Fatalf("run %d: Next = %s, want %s", i+1, got, want.In(got.Location()))
				}
			}
		})
	}
}

func TestScheduleNextNever(t *testing.T) {
	s, err := parseSpec("CRON_TZ=Europe/Brussels 0 0 30 2 *")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Next(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); !got.IsZero() {
		t.Fatalf("Next of a spec for 30 February = %s, want the zero time", got)
	}
}

// BenchmarkNext compares the DST-aware schedule with robfig's own Next over
// a year of daily runs, spring-forward day included.
func BenchmarkNext(b *testing.B) {
	const spec = "CRON_TZ=Europe/Brussels 30 2 * * *"
	ours, err := parseSpec(spec)
	if err != nil {
		b.Fatal(err)
	}
	theirs, err := cron.ParseStandard(spec)
	if err != nil {
		b.Fatal(err)
	}
	from := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, bb := range []struct {
		name string
		s    schedule
	}{{"dst", ours}, {"robfig", theirs}} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				t := from
				for range 365 {
					t = bb.s.Next(t)
				}
			}
		})
	}
}
