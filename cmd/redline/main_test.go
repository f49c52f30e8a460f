package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redline-watch/redline/internal/corpus"
)

// TestMain lets the tests run this binary as the redline command: a child
// process started with REDLINE_TEST_MAIN=1 runs main() instead of the tests.
func TestMain(m *testing.M) {
	if os.Getenv("REDLINE_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// runMain runs the command line in-process and returns exit code, stdout and stderr.
func runMain(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, &Env{Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string { return env[k] }})
	return code, stdout.String(), stderr.String()
}

func corpusDir(t *testing.T) string { return corpus.Dir(t) }

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUsageAndExitCodes(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		out  string // in stdout or stderr
	}{
		{"no command", nil, exitUsage, "Commands:"},
		{"help", []string{"-h"}, exitOK, "check-config"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"version", []string{"version"}, exitOK, "redline "},
		{"run help", []string{"run", "-h"}, exitOK, "Usage: redline run"},
		{"once help", []string{"once", "--help"}, exitOK, "Usage: redline once"},
		{"check-config help", []string{"check-config", "-h"}, exitOK, "-config file"},
		{"parse help", []string{"parse", "-h"}, exitOK, "FILE[+FILE...]"},
		{"backup help", []string{"backup", "-h"}, exitOK, "-o file"},
		{"version help", []string{"version", "-h"}, exitOK, "Usage: redline version"},
		{"bad flag", []string{"once", "-nope"}, exitUsage, "flag provided but not defined"},
		{"backup without -o", []string{"backup"}, exitUsage, "-o FILE is required"},
		{"parse without file", []string{"parse"}, exitUsage, "Usage: redline parse"},
		{"missing config", []string{"check-config", "-config", "/nonexistent/redline.yaml"}, exitFailure, "/nonexistent/redline.yaml"},
		{"embedded config", []string{"check-config"}, exitOK, "embedded defaults: valid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runMain(t, nil, c.args...)
			if code != c.code || !strings.Contains(stdout+stderr, c.out) {
				t.Errorf("exit %d, want %d; output lacks %q:\nstdout: %s\nstderr: %s", code, c.code, c.out, stdout, stderr)
			}
		})
	}
}

func TestConfigFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "redline.yaml", "log: {level: debug}\n")
	code, stdout, _ := runMain(t, map[string]string{"REDLINE_CONFIG": cfg}, "check-config")
	if code != exitOK || !strings.Contains(stdout, cfg+": valid, 0 sources") {
		t.Fatalf("exit %d: %s", code, stdout)
	}
	// --config (two dashes) works as with the flag package.
	code, stdout, _ = runMain(t, nil, "check-config", "--config", cfg)
	if code != exitOK || !strings.Contains(stdout, "level: debug") {
		t.Fatalf("exit %d: %s", code, stdout)
	}
}

func TestCheckConfigReportsEveryProblem(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "bad.yaml", `storage:
  path: ./x.db
crawler:
  timeout: 30s
  retrys: 3
sources:
  - id: act
    name: AI Act
    url: https://example.org/act
    kind: xhtml
    schedule: "0 6 * * * *"
  - id: proposal
    kind: pdf
    schedule: "0 7 * * *"
`)
	code, stdout, stderr := runMain(t, nil, "check-config", "-config", cfg)
	if code != exitFailure {
		t.Fatalf("exit %d, want 1", code)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing for an invalid config", stdout)
	}
	for _, want := range []string{
		"bad.yaml:5: crawler.retrys: unknown key",
		"bad.yaml:11: sources[0].schedule: invalid cron spec",
		"bad.yaml:12: sources[1].url: is required",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestUnexpectedArgument(t *testing.T) {
	for _, cmd := range []string{"run", "once", "check-config", "version"} {
		code, _, stderr := runMain(t, nil, cmd, "extra")
		if code != exitUsage || !strings.Contains(stderr, "redline "+cmd+`: unexpected argument "extra"`) {
			t.Errorf("%s extra: exit %d, stderr %q", cmd, code, stderr)
		}
	}
}
