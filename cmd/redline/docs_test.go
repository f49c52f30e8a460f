package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

const ojFixture = "../../legal/testdata/oj-act.html"

func TestParseCommand(t *testing.T) {
	code, stdout, stderr := runMain(t, nil, "parse", ojFixture)
	if code != exitOK || !strings.Contains(stdout, "Article 1") || !strings.Contains(stderr, "articles") {
		t.Fatalf("parse: exit %d\nstdout %.300s\nstderr %s", code, stdout, stderr)
	}
	// Flags may follow the file, as the README shows.
	code, stdout, _ = runMain(t, nil, "parse", ojFixture, "-format", "json")
	var doc struct {
		Kind       string `json:"kind"`
		Provisions []struct {
			Path, Kind, Text string
		} `json:"provisions"`
	}
	if code != exitOK || json.Unmarshal([]byte(stdout), &doc) != nil || doc.Kind != "act" || len(doc.Provisions) == 0 {
		t.Fatalf("parse -format json: exit %d: %.300s", code, stdout)
	}
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"parse", "/nonexistent/act.html"}, exitFailure, "/nonexistent/act.html"},
		{[]string{"parse", ojFixture, "-format", "yaml"}, exitUsage, "Usage"},
		{[]string{"parse", ojFixture + "+"}, exitFailure, "empty file name"},
		{[]string{"parse", "main_test.go"}, exitFailure, "main_test.go"},
	} {
		code, _, stderr := runMain(t, nil, c.args...)
		if code != c.code || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, stderr, c.code, c.msg)
		}
	}
}

func TestCoverageCommand(t *testing.T) {
	act := filepath.Join(corpusDir(t), "ai-act-2024-1689.eurlex-oj.html")
	code, stdout, stderr := runMain(t, nil, "coverage", act, "-format", "json")
	if code != exitOK {
		t.Fatalf("coverage: exit %d: %s", code, stderr)
	}
	var m struct {
		Documents []struct {
			Name    string `json:"name"`
			Demands []struct {
				ID       string `json:"id"`
				Level    string `json:"level"`
				Verdict  string `json:"verdict"`
				Evidence []struct {
					Provision  string   `json:"provision"`
					Quote      string   `json:"quote"`
					Exceptions []string `json:"exceptions"`
				} `json:"evidence"`
			} `json:"demands"`
		} `json:"documents"`
	}
	if err := json.Unmarshal([]byte(stdout), &m); err != nil || len(m.Documents) != 1 {
		t.Fatalf("coverage json: %v: %.500s", err, stdout)
	}
	if m.Documents[0].Name != act || len(m.Documents[0].Demands) != 11 {
		t.Errorf("document %q with %d demands", m.Documents[0].Name, len(m.Documents[0].Demands))
	}
	found := false
	for _, d := range m.Documents[0].Demands {
		if d.ID != "biometric-mass-surveillance" {
			continue
		}
		found = true
		if d.Level != "prohibited_with_exceptions" || len(d.Evidence) == 0 || d.Evidence[0].Provision != "Article 5(1)(h)" ||
			len(d.Evidence[0].Exceptions) == 0 {
			t.Errorf("biometric-mass-surveillance = %+v", d)
		}
	}
	if !found {
		t.Error("biometric-mass-surveillance missing")
	}
	code, stdout, _ = runMain(t, nil, "coverage", "-format", "md", act)
	if code != exitOK || !strings.Contains(stdout, "| predictive-policing |") {
		t.Errorf("coverage -format md: exit %d: %.300s", code, stdout)
	}
}

func TestExplainCommand(t *testing.T) {
	act := filepath.Join(corpusDir(t), "ai-act-2024-1689.eurlex-oj.html")
	code, stdout, stderr := runMain(t, nil, "explain", "predictive-policing", act)
	if code != exitOK || !strings.Contains(stdout, "Article 5(1)(d)") || !strings.Contains(stdout, "prohibited_with_exceptions") {
		t.Fatalf("explain: exit %d\nstdout %.800s\nstderr %s", code, stdout, stderr)
	}
	code, _, stderr = runMain(t, nil, "explain", "chat-control", act)
	if code != exitUsage || !strings.Contains(stderr, `unknown demand "chat-control"`) || !strings.Contains(stderr, "social-scoring") {
		t.Errorf("explain unknown demand: exit %d, %s", code, stderr)
	}
	code, _, stderr = runMain(t, nil, "explain", "predictive-policing", act, "-demands", "/nonexistent/demands.yaml")
	if code != exitFailure || !strings.Contains(stderr, "/nonexistent/demands.yaml") {
		t.Errorf("explain with a missing demand file: exit %d, %s", code, stderr)
	}
}
