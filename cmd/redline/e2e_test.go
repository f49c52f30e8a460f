package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/store"
)

// testConfig writes a config whose sources all live on srv.
func testConfig(t *testing.T, dir, srvURL string, ids ...string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, `storage: {path: %s}
http: {listen: "127.0.0.1:0"}
crawler: {host_delay: 0s, retries: 0, timeout: 30s}
scheduler: {workers: 2, jitter: 0s, failing_after: 3}
log: {level: debug}
sources:
`, filepath.Join(dir, "redline.db"))
	for _, id := range ids {
		fmt.Fprintf(&b, `  - id: %s
    name: Test %s
    url: %s/%s
    kind: xhtml
    schedule: "0 6 * * *"
    marker: "2024/1689"
`, id, id, srvURL, id)
	}
	return writeFile(t, dir, "redline.yaml", b.String())
}

func openTestStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(dir, "redline.db"), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("store does not open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestOnceEndToEnd serves the real AI Act page, a changed copy, a WAF
// challenge and a 304, running `redline once` after each.
func TestOnceEndToEnd(t *testing.T) {
	page, err := os.ReadFile(filepath.Join(corpusDir(t), "ai-act-2024-1689.eurlex-oj.html"))
	if err != nil {
		t.Fatal(err)
	}
	changed := []byte(strings.Replace(string(page), "The following AI practices shall be prohibited:",
		"The following AI practices shall be prohibited in all circumstances:", 1))
	if string(changed) == string(page) {
		t.Fatal("the corpus page lacks the sentence the test changes")
	}
	var mu sync.Mutex
	step := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		switch step {
		case 0:
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
			w.Write(page)
		case 1:
			w.Header().Set("ETag", `"v2"`)
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
			w.Write(changed)
		case 2:
			w.Header().Set("x-amzn-waf-action", "challenge")
			w.WriteHeader(http.StatusAccepted)
		case 3:
			if r.Header.Get("If-None-Match") != `"v2"` {
				t.Errorf("4th request If-None-Match = %q, want the last good ETag", r.Header.Get("If-None-Match"))
			}
			w.WriteHeader(http.StatusNotModified)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := testConfig(t, dir, srv.URL, "ai-act")

	want := []struct {
		code int
		line string
	}{
		{exitOK, "ai-act: changed (first version stored)"},
		{exitOK, "ai-act: changed (version 2)"},
		{exitFailure, "ai-act: failed: blocked (HTTP 202): HTTP 202 with x-amzn-waf-action: challenge and an empty body"},
		{exitOK, "ai-act: unchanged (not modified)"},
	}
	for i, w := range want {
		mu.Lock()
		step = i
		mu.Unlock()
		code, stdout, stderr := runMain(t, nil, "once", "-config", cfg)
		if code != w.code || strings.TrimSpace(stdout) != w.line {
			t.Fatalf("run %d: exit %d, want %d; stdout %q, want %q\nstderr: %s", i+1, code, w.code, stdout, w.line, stderr)
		}
	}

	st := openTestStore(t, dir)
	ctx := context.Background()
	snaps, err := st.Snapshots(ctx, "ai-act")
	if err != nil || len(snaps) != 2 {
		t.Fatalf("versions = %d (%v), want 2", len(snaps), err)
	}
	for _, sn := range snaps {
		// Coverage of the demands is stored with every version.
		b, err := st.Blob(ctx, sn.CoverageHash)
		if err != nil || !strings.Contains(string(b), `"id":"biometric-mass-surveillance","level":"prohibited_with_exceptions"`) {
			t.Errorf("version %d coverage = %.200s, %v", sn.Seq, b, err)
		}
	}
	caps, err := st.Captures(ctx, "ai-act", 0)
	if err != nil || len(caps) != 4 {
		t.Fatalf("capture records = %d (%v), want 4", len(caps), err)
	}
	waf := caps[1] // newest first: 304, WAF, changed, baseline
	if waf.Outcome != redline.OutcomeFailed || waf.Reason != redline.ReasonBlocked || waf.Status != http.StatusAccepted {
		t.Errorf("challenge capture = %+v, want a recorded blocked failure", waf)
	}
	evs, _ := st.Events(ctx, 0, 0)
	if len(evs) != 1 || evs[0].Type != redline.EventDocumentChanged || !strings.Contains(evs[0].Summary, "Article 5(1)") {
		t.Errorf("events = %+v, want one document.changed naming Article 5(1)", evs)
	}
	state, _ := st.State(ctx, "ai-act")
	if state.Status != redline.StatusOK || state.ConsecutiveFailures != 0 || state.Snapshots != 2 {
		t.Errorf("state = %+v", state)
	}
}

// daemon is a `redline run` child process whose log lines the test reads.
type daemon struct {
	cmd   *exec.Cmd
	lines chan string
	addr  string
}

var listenRE = regexp.MustCompile(`msg="redline started".* listen=(\S+)`)

func startDaemon(t *testing.T, cfg string) *daemon {
	t.Helper()
	cmd := exec.Command(os.Args[0], "run")
	cmd.Env = append(os.Environ(), "REDLINE_TEST_MAIN=1", "REDLINE_CONFIG="+cfg)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	d := &daemon{cmd: cmd, lines: make(chan string, 1000)}
	go func() {
		defer close(d.lines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			d.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	m := d.waitFor(t, listenRE.MatchString)
	d.addr = listenRE.FindStringSubmatch(m)[1]
	return d
}

// waitFor reads log lines until one satisfies ok; the daemon ending first fails the test.
func (d *daemon) waitFor(t *testing.T, ok func(string) bool) string {
	t.Helper()
	for line := range d.lines {
		t.Log("daemon:", line)
		if ok(line) {
			return line
		}
	}
	t.Fatal("daemon exited before the expected log line")
	return ""
}

func checkDone(id string) func(string) bool {
	return func(l string) bool {
		return strings.Contains(l, `msg="check done"`) && strings.Contains(l, "source_id="+id+" ")
	}
}

// allChecksDone is true once every id had its "check done" line, in any order.
func allChecksDone(ids ...string) func(string) bool {
	pending := map[string]bool{}
	for _, id := range ids {
		pending[id] = true
	}
	return func(l string) bool {
		for id := range pending {
			if checkDone(id)(l) {
				delete(pending, id)
			}
		}
		return len(pending) == 0
	}
}

// TestKillDuringCheck kills `redline run` with SIGKILL while a check is in
// flight, starts it again, and expects every version committed before the
// kill, then stops it with SIGTERM.
func TestKillDuringCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("starts daemons")
	}
	page := []byte(`<html><body><div class="eli-container"><p class="oj-doc-ti">REGULATION (EU) 2024/1689</p>
<div class="eli-subdivision" id="art_1"><p class="oj-ti-art">Article 1</p>
<div class="eli-title" id="art_1.tit_1"><p class="oj-sti-art">Subject matter</p></div>
<p class="oj-normal">This Regulation lays down rules.</p></div></div></body></html>`)
	entered := make(chan struct{}, 1)
	release := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == "/slow" {
			// The first daemon's check of "slow" hangs here until it is killed.
			first := false
			once.Do(func() { first = true })
			if first {
				entered <- struct{}{}
				select {
				case <-release:
				case <-r.Context().Done():
				}
				return
			}
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write(page)
	}))
	defer srv.Close()
	defer close(release)
	dir := t.TempDir()
	cfg := testConfig(t, dir, srv.URL, "alpha", "beta", "slow")

	d := startDaemon(t, cfg)
	// Never-checked sources are caught up at start.
	<-entered
	d.waitFor(t, allChecksDone("alpha", "beta"))
	if err := d.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	d.cmd.Wait()

	d = startDaemon(t, cfg)
	d.waitFor(t, checkDone("slow"))
	resp, err := http.Get("http://" + d.addr + "/api/status")
	if err != nil {
		t.Fatal(err)
	}
	status, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(status), `"source_id": "alpha"`) {
		t.Errorf("status API = %s", status)
	}
	// While the daemon holds the database, other commands say so, and backup
	// goes through the daemon's API.
	code, _, stderr := runMain(t, nil, "once", "-config", cfg)
	if code != exitFailure || !strings.Contains(stderr, fmt.Sprintf("is in use by a running redline (pid %d)", d.cmd.Process.Pid)) ||
		!strings.Contains(stderr, "redline backup") {
		t.Errorf("once while the daemon runs: exit %d, stderr %q", code, stderr)
	}
	raw, _ := os.ReadFile(cfg)
	viaAPI := writeFile(t, dir, "backup.yaml", strings.Replace(string(raw), "127.0.0.1:0", d.addr, 1))
	backupFile := filepath.Join(t.TempDir(), "copy.db")
	code, stdout, stderr := runMain(t, nil, "backup", "-config", viaAPI, "-o", backupFile)
	if code != exitOK || !strings.Contains(stdout, "through the running daemon") {
		t.Fatalf("backup while the daemon runs: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	cp, err := store.Open(context.Background(), backupFile, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("backup copy does not open: %v", err)
	}
	if snaps, _ := cp.Snapshots(context.Background(), "alpha"); len(snaps) != 1 {
		t.Errorf("backup copy holds %d versions of alpha, want 1", len(snaps))
	}
	cp.Close()

	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	d.waitFor(t, func(l string) bool { return strings.Contains(l, "redline stopped") })
	if err := d.cmd.Wait(); err != nil {
		t.Fatalf("daemon exit after SIGTERM: %v", err)
	}

	// With the daemon gone, backup copies the file directly.
	code, stdout, stderr = runMain(t, nil, "backup", "-config", cfg, "-o", backupFile)
	if code != exitOK || !strings.Contains(stdout, "direct copy") {
		t.Fatalf("backup: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	st := openTestStore(t, dir)
	if err := st.Check(context.Background()); err != nil {
		t.Fatalf("store check: %v", err)
	}
	for _, id := range []string{"alpha", "beta", "slow"} {
		snaps, err := st.Snapshots(context.Background(), id)
		if err != nil || len(snaps) != 1 {
			t.Errorf("%s: versions = %d (%v), want 1", id, len(snaps), err)
		}
		caps, _ := st.Captures(context.Background(), id, 0)
		if id != "slow" && len(caps) != 1 {
			// Checked before the kill; the restart must not catch them up again.
			t.Errorf("%s: captures = %d, want 1", id, len(caps))
		}
	}
}
