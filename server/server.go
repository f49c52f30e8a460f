// Package server serves redline's HTTP interface: a status page for people,
// a JSON API for tools, health endpoints for systemd and load balancers, and
// hot backups of the database while the daemon holds it.
package server

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/redline-watch/redline"
)

//go:embed status.html
var assets embed.FS

// Scheduler is the part of the scheduler the server shows and drives.
type Scheduler interface {
	Next(id string) time.Time
	Running() []string
	Trigger(id string) error
}

// Server holds what the handlers read. Construct with New.
type Server struct {
	sources []redline.Source
	store   redline.Store
	sched   Scheduler
	tmpl    *template.Template

	// Version is shown on the status page.
	Version string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives request errors (default: discard).
	Logger *slog.Logger
	// Ready reports whether the daemon has finished starting (default: always).
	Ready func() bool
}

// New returns a Server for the configured sources. sched may be nil (no
// scheduler: next runs are not shown and triggers are refused).
func New(sources []redline.Source, store redline.Store, sched Scheduler) *Server {
	tmpl := template.Must(template.New("status.html").Funcs(template.FuncMap{
		"when": when,
	}).ParseFS(assets, "status.html"))
	return &Server{sources: sources, store: store, sched: sched, tmpl: tmpl, Now: time.Now,
		Logger: slog.New(slog.DiscardHandler), Ready: func() bool { return true }}
}

// Handler returns the HTTP routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /{$}", s.statusPage)
	mux.HandleFunc("GET /api/status", s.statusJSON)
	mux.HandleFunc("GET /api/backup", s.backup)
	mux.HandleFunc("POST /api/sources/{id}/check", s.trigger)
	return mux
}

// SourceStatus is one row of the status page and of GET /api/status.
type SourceStatus struct {
	redline.SourceState
	Name    string             `json:"name"`
	URL     string             `json:"url"`
	Kind    redline.SourceKind `json:"kind"`
	NextRun time.Time          `json:"next_run,omitzero"`
	Running bool               `json:"running"`
}

// Status is the whole status document.
type Status struct {
	Version string         `json:"version"`
	Now     time.Time      `json:"now"`
	Sources []SourceStatus `json:"sources"`
	Failing int            `json:"failing"`
}

func (s *Server) status(ctx context.Context) (Status, error) {
	st := Status{Version: s.Version, Now: s.Now()}
	var running []string
	if s.sched != nil {
		running = s.sched.Running()
	}
	for _, src := range s.sources {
		state, err := s.store.State(ctx, src.ID)
		if err != nil {
			return Status{}, fmt.Errorf("state of %s: %w", src.ID, err)
		}
		row := SourceStatus{SourceState: state, Name: src.Name, URL: src.URL, Kind: src.Kind,
			Running: slices.Contains(running, src.ID)}
		if s.sched != nil {
			row.NextRun = s.sched.Next(src.ID)
		}
		if state.Status == redline.StatusFailing {
			st.Failing++
		}
		st.Sources = append(st.Sources, row)
	}
	return st, nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.store.States(ctx); err != nil {
		s.Logger.Error("health check: store does not answer", "error", err)
		http.Error(w, "store does not answer: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ok")
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if !s.Ready() {
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}

func (s *Server) statusPage(w http.ResponseWriter, r *http.Request) {
	st, err := s.status(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.tmpl.Execute(w, st); err != nil {
		s.Logger.Error("render status page", "error", err)
	}
}

func (s *Server) statusJSON(w http.ResponseWriter, r *http.Request) {
	st, err := s.status(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(st); err != nil {
		s.Logger.Error("write status", "error", err)
	}
}

// backup streams a consistent copy of the database: the way to back up while
// the daemon holds the file lock.
func (s *Server) backup(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="redline-backup.db"`)
	if _, err := s.store.Backup(r.Context(), w); err != nil {
		// Headers are gone once the copy started; the client sees a short body
		// and must not trust it (redline backup checks the copy).
		s.Logger.Error("backup", "error", err)
	}
}

func (s *Server) trigger(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if s.sched == nil {
		http.Error(w, "no scheduler is running", http.StatusServiceUnavailable)
		return
	}
	if err := s.sched.Trigger(id); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusAccepted)
	fmt.Fprintf(w, "check of %s queued\n", id)
}

func (s *Server) fail(w http.ResponseWriter, err error) {
	s.Logger.Error("request failed", "error", err)
	code := http.StatusInternalServerError
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		code = http.StatusServiceUnavailable
	}
	http.Error(w, err.Error(), code)
}

// when formats a time for the status page; zero times show as a dash.
func when(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.UTC().Format("2006-01-02 15:04 MST")
}
