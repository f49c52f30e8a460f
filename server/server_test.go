package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/server"
	"github.com/redline-watch/redline/store"
)

type sched struct{ triggered []string }

func (s *sched) Next(id string) time.Time { return time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC) }
func (s *sched) Running() []string        { return []string{"act"} }
func (s *sched) Trigger(id string) error {
	if id != "act" && id != "proposal" {
		return redline.ErrNotFound
	}
	s.triggered = append(s.triggered, id)
	return nil
}

func setup(t *testing.T) (*httptest.Server, *store.Store, *sched) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "redline.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	at := time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC)
	rec := &redline.CheckRecord{
		State: redline.SourceState{SourceID: "proposal", Status: redline.StatusFailing, ConsecutiveFailures: 4,
			LastCheck: at, LastReason: redline.ReasonBlocked, LastError: "blocked (HTTP 202): <waf>"},
		Capture: redline.Capture{SourceID: "proposal", At: at, URL: "http://x/p", Outcome: redline.OutcomeFailed,
			Reason: redline.ReasonBlocked, Error: "blocked"},
	}
	if err := st.SaveCheck(ctx, rec); err != nil {
		t.Fatal(err)
	}
	sources := []redline.Source{
		{ID: "act", Name: "AI Act", URL: "http://x/act", Kind: redline.KindXHTML},
		{ID: "proposal", Name: "Proposal", URL: "http://x/p", Kind: redline.KindPDF},
	}
	sc := &sched{}
	srv := server.New(sources, st, sc)
	srv.Version = "test"
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, st, sc
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestStatusPageAndAPI(t *testing.T) {
	ts, _, _ := setup(t)
	code, body := get(t, ts.URL+"/")
	if code != 200 {
		t.Fatalf("status page: %d", code)
	}
	for _, want := range []string{"1 failing", `id="source-proposal"`, "blocked: blocked (HTTP 202): &lt;waf&gt;", "(checking)", "2026-11-24 06:00 UTC"} {
		if !strings.Contains(body, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	code, body = get(t, ts.URL+"/api/status")
	var st server.Status
	if code != 200 || json.Unmarshal([]byte(body), &st) != nil {
		t.Fatalf("api/status: %d %s", code, body)
	}
	if st.Failing != 1 || len(st.Sources) != 2 || st.Sources[0].Status != redline.StatusNew || !st.Sources[0].Running {
		t.Errorf("status = %+v", st)
	}
	if code, _ := get(t, ts.URL+"/healthz"); code != 200 {
		t.Errorf("healthz = %d", code)
	}
	if code, _ := get(t, ts.URL+"/readyz"); code != 200 {
		t.Errorf("readyz = %d", code)
	}
	if code, _ := get(t, ts.URL+"/nope"); code != 404 {
		t.Errorf("unknown path = %d", code)
	}
}

func TestHealthzFailsWhenStoreIsClosed(t *testing.T) {
	ts, st, _ := setup(t)
	st.Close()
	if code, _ := get(t, ts.URL+"/healthz"); code != http.StatusServiceUnavailable {
		t.Errorf("healthz with a closed store = %d, want 503", code)
	}
}

func TestTrigger(t *testing.T) {
	ts, _, sc := setup(t)
	resp, err := http.Post(ts.URL+"/api/sources/act/check", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || len(sc.triggered) != 1 {
		t.Fatalf("trigger = %d %v", resp.StatusCode, sc.triggered)
	}
	resp, _ = http.Post(ts.URL+"/api/sources/nope/check", "", nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown source trigger = %d", resp.StatusCode)
	}
}

func TestBackupEndpoint(t *testing.T) {
	ts, _, _ := setup(t)
	code, body := get(t, ts.URL+"/api/backup")
	if code != 200 {
		t.Fatalf("backup = %d", code)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cp, err := store.Open(context.Background(), path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("backup does not open: %v", err)
	}
	defer cp.Close()
	state, err := cp.State(context.Background(), "proposal")
	if err != nil || state.ConsecutiveFailures != 4 {
		t.Fatalf("backup state = %+v, %v", state, err)
	}
}
