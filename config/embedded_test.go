package config_test

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goldenfile "github.com/redline-watch/redline/internal/golden"

	"github.com/robfig/cron/v3"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/config"
)

func TestEmbedded(t *testing.T) {
	c, err := config.Embedded(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if len(c.Notify.Channels) != 0 {
		t.Errorf("the embedded config has %d channels, want none", len(c.Notify.Channels))
	}
	const xhtml, pdf = "application/xhtml+xml", "application/pdf"
	wants := []struct {
		url    string
		kind   redline.SourceKind
		accept string
	}{
		{"http://publications.europa.eu/resource/celex/32024R1689", redline.KindXHTML, xhtml},
		{"http://publications.europa.eu/resource/celex/02024R1689-20260727", redline.KindXHTML, xhtml},
		{"https://publications.europa.eu/webapi/rdf/sparql?query=", redline.KindRegister, "application/sparql-results+json"},
		{"http://publications.europa.eu/resource/cellar/e0649735-a372-11eb-9585-01aa75ed71a1.0001.02/DOC_1", redline.KindPDF, pdf},
		{"http://publications.europa.eu/resource/cellar/e0649735-a372-11eb-9585-01aa75ed71a1.0001.02/DOC_2", redline.KindPDF, pdf},
		{"http://publications.europa.eu/resource/celex/52025PC0836", redline.KindXHTML, xhtml},
		{"http://publications.europa.eu/resource/celex/32026R1744", redline.KindXHTML, xhtml},
		{"https://publications.europa.eu/resource/procedure/2021_106", redline.KindRegister, "application/rdf+xml;notice=tree"},
		{"https://publications.europa.eu/resource/procedure/2025_359", redline.KindRegister, "application/rdf+xml;notice=tree"},
		{"https://data.europarl.europa.eu/api/v2/procedures/2021-0106?format=application/ld+json", redline.KindRegister, "application/ld+json"},
		{"https://data.europarl.europa.eu/api/v2/procedures/2025-0359?format=application/ld+json", redline.KindRegister, "application/ld+json"},
	}
	sources := c.Sources()
	if len(sources) != len(wants) {
		t.Errorf("%d sources, want %d", len(sources), len(wants))
	}
	for _, w := range wants {
		var found *redline.Source
		for i := range sources {
			if sources[i].URL == w.url || strings.HasSuffix(w.url, "=") && strings.HasPrefix(sources[i].URL, w.url) {
				found = &sources[i]
			}
		}
		if found == nil {
			t.Errorf("no source for %s", w.url)
			continue
		}
		if found.Kind != w.kind || found.Headers["Accept"] != w.accept {
			t.Errorf("%s: kind %q, Accept %q; want %q, %q", found.ID, found.Kind, found.Headers["Accept"], w.kind, w.accept)
		}
		if w.kind == redline.KindXHTML && (found.Headers["Accept-Language"] != "eng" || found.Marker == "") {
			t.Errorf("%s: Accept-Language %q, marker %q; want eng and a marker", found.ID, found.Headers["Accept-Language"], found.Marker)
		}
		if found.Freshness <= 0 {
			t.Errorf("%s: no freshness window", found.ID)
		}
	}
}

// TestEmbeddedSchedules runs every embedded schedule over a year, across
// both daylight-saving switches: one or two runs a day, never in the hours
// robfig/cron may skip, and no two sources at the same minute.
func TestEmbeddedSchedules(t *testing.T) {
	c, err := config.Embedded(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	brussels, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, brussels)
	end := start.AddDate(1, 0, 0)
	owner := map[string]string{} // "15:04" -> source id
	for _, s := range c.SourceList {
		if !strings.HasPrefix(s.Schedule, "CRON_TZ=Europe/Brussels ") {
			t.Errorf("%s: schedule %q is not in Brussels time", s.ID, s.Schedule)
			continue
		}
		sched, err := cron.ParseStandard(s.Schedule)
		if err != nil {
			t.Fatalf("%s: %v", s.ID, err)
		}
		perDay := map[string]int{}
		for at := sched.Next(start); at.Before(end); at = sched.Next(at) {
			local := at.In(brussels)
			if h := local.Hour(); h == 2 || h == 3 {
				t.Errorf("%s runs at %s, inside 02:00-03:59", s.ID, local)
			}
			perDay[local.Format(time.DateOnly)]++
			hm := local.Format("15:04")
			if other, ok := owner[hm]; ok && other != s.ID {
				t.Errorf("%s and %s both run at %s", s.ID, other, hm)
			}
			owner[hm] = s.ID
		}
		days := int(end.Sub(start).Hours()/24 + 0.5)
		if len(perDay) != days {
			t.Errorf("%s runs on %d of %d days", s.ID, len(perDay), days)
		}
		for day, n := range perDay {
			if n < 1 || n > 2 {
				t.Errorf("%s runs %d times on %s", s.ID, n, day)
			}
		}
	}
}

// TestEmbeddedSPARQL checks that the register query in the URL is the one
// shown readably in the comment above it, and that it asks what it should.
func TestEmbeddedSPARQL(t *testing.T) {
	c, err := config.Embedded(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	var raw string
	for _, s := range c.SourceList {
		if strings.HasPrefix(s.URL, "https://publications.europa.eu/webapi/rdf/sparql?") {
			raw = s.URL
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("SPARQL source URL %q: %v", raw, err)
	}
	query := u.Query().Get("query")
	for _, want := range []string{
		"cdm:resource_legal_amends_resource_legal",
		"cdm:act_consolidated_based_on_resource_legal",
		"<http://publications.europa.eu/resource/celex/32024R1689>",
		"cdm:resource_legal_id_celex",
		"cdm:work_date_document",
		"ORDER BY",
	} {
		if !strings.Contains(query, want) {
			t.Errorf("the query lacks %s:\n%s", want, query)
		}
	}
	// The comment block: the "#   " lines right above "- id: ai-act-amendments".
	lines := strings.Split(string(config.EmbeddedYAML()), "\n")
	var comment []string
	for i, l := range lines {
		if strings.TrimSpace(l) != "- id: ai-act-amendments" {
			continue
		}
		for j := i - 1; j >= 0 && strings.HasPrefix(strings.TrimSpace(lines[j]), "#   "); j-- {
			comment = append([]string{strings.TrimPrefix(strings.TrimSpace(lines[j]), "#")}, comment...)
		}
	}
	if got, want := strings.Join(strings.Fields(strings.Join(comment, "\n")), " "), strings.Join(strings.Fields(query), " "); got != want {
		t.Errorf("the URL's query and the comment differ:\nURL:     %s\ncomment: %s", want, got)
	}
}

// TestEmbeddedRedacted compares the effective embedded configuration with a
// golden file and checks that Redacted output is itself a valid configuration.
func TestEmbeddedRedacted(t *testing.T) {
	c, err := config.Embedded(env(map[string]string{"STATE_DIRECTORY": "/var/lib/redline"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Storage.Path != "/var/lib/redline/redline.db" {
		t.Errorf("storage path = %q, want it under STATE_DIRECTORY", c.Storage.Path)
	}
	got := []byte(redacted(t, c))
	golden := filepath.Join("testdata", "embedded.redacted.golden.yaml")
	goldenfile.Check(t, golden, got)
	again, err := config.Parse(got, golden, env(nil))
	if err != nil {
		t.Fatalf("Redacted output does not parse: %v", err)
	}
	if a, b := redacted(t, again), string(got); a != b {
		t.Errorf("Redacted output does not round-trip:\n%s\nwant\n%s", a, b)
	}
}

func BenchmarkParseEmbedded(b *testing.B) {
	data := config.EmbeddedYAML()
	getenv := env(nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := config.Parse(data, "default.yaml", getenv); err != nil {
			b.Fatal(err)
		}
	}
}
