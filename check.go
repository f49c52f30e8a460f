package redline

import "time"

// Outcome is the result of one check of one source.
type Outcome string

// The outcomes of a check.
const (
	// OutcomeBaseline: the first good capture of a source; stored, not reported as a change.
	OutcomeBaseline Outcome = "baseline"
	// OutcomeChanged: the canonical text differs from the last snapshot's.
	OutcomeChanged Outcome = "changed"
	// OutcomeUnchanged: fetched, but the canonical text is the same.
	OutcomeUnchanged Outcome = "unchanged"
	// OutcomeNotModified: the server answered 304 to a conditional request.
	OutcomeNotModified Outcome = "not_modified"
	// OutcomeRebaselined: the text differs only because the extractor or parser
	// changed; a new snapshot is stored silently.
	OutcomeRebaselined Outcome = "rebaselined"
	// OutcomeFailed: the fetch or parse failed; see Capture.Reason and Capture.Error.
	OutcomeFailed Outcome = "failed"
)

// Capture is the flight-recorder entry of one check: what was asked, what
// came back and what redline made of it. Every check gets one.
type Capture struct {
	// Seq numbers the captures of one source from 1; the store assigns it.
	Seq      uint64        `json:"seq"`
	SourceID string        `json:"source_id"`
	At       time.Time     `json:"at"`
	Duration time.Duration `json:"duration"`
	URL      string        `json:"url"`
	FinalURL string        `json:"final_url,omitempty"`
	Status   int           `json:"status,omitempty"`
	// Header keeps a few response headers worth citing (content type, validators, WAF markers).
	Header       map[string]string `json:"header,omitempty"`
	ETag         string            `json:"etag,omitempty"`
	LastModified string            `json:"last_modified,omitempty"`
	ContentType  string            `json:"content_type,omitempty"`
	Size         int64             `json:"size,omitempty"`
	// BodyHash and TextHash are SHA-256 hex digests of the raw body and the canonical text.
	BodyHash  string  `json:"body_hash,omitempty"`
	TextHash  string  `json:"text_hash,omitempty"`
	Extractor string  `json:"extractor,omitempty"`
	Outcome   Outcome `json:"outcome"`
	// Reason and Error say why a failed check failed.
	Reason FetchReason `json:"reason,omitempty"`
	Error  string      `json:"error,omitempty"`
	// SnapshotSeq is the snapshot this capture produced or confirmed, 0 if none.
	SnapshotSeq uint64 `json:"snapshot_seq,omitempty"`
}

// Snapshot is one stored version of a source's document.
type Snapshot struct {
	// Seq numbers the versions of one source from 1; the store assigns it.
	Seq        uint64    `json:"seq"`
	SourceID   string    `json:"source_id"`
	CapturedAt time.Time `json:"captured_at"`
	// CaptureSeq is the capture that produced this version.
	CaptureSeq  uint64 `json:"capture_seq"`
	URL         string `json:"url"`
	FinalURL    string `json:"final_url,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Size        int64  `json:"size"`
	// BodyHash, TextHash, DocHash and CoverageHash address blobs: the raw
	// body, the canonical text, the parsed Document as JSON, and the coverage
	// of the demands in this version as JSON.
	BodyHash     string `json:"body_hash"`
	TextHash     string `json:"text_hash"`
	DocHash      string `json:"doc_hash,omitempty"`
	CoverageHash string `json:"coverage_hash,omitempty"`
	// Format and Extractor say which parser and text extractor produced the text.
	Format    string `json:"format,omitempty"`
	Extractor string `json:"extractor,omitempty"`
	// Outcome is baseline, changed or rebaselined.
	Outcome Outcome `json:"outcome"`
	// Change is the structure-aware diff against the previous version and
	// its coverage delta; nil for a baseline or a re-baseline.
	Change *ChangeSummary `json:"change,omitempty"`
}

// SourceStatus is the health of a source.
type SourceStatus string

// The health states of a source.
const (
	StatusNew     SourceStatus = "new"     // never checked
	StatusOK      SourceStatus = "ok"      // last check succeeded
	StatusFailing SourceStatus = "failing" // too many failures in a row, or stale
	StatusError   SourceStatus = "error"   // last check failed, not yet failing
)

// SourceState is what redline remembers about a source between checks.
type SourceState struct {
	SourceID string       `json:"source_id"`
	Status   SourceStatus `json:"status"`
	// ConsecutiveFailures counts failed checks since the last success.
	ConsecutiveFailures int       `json:"consecutive_failures"`
	LastCheck           time.Time `json:"last_check,omitempty"`
	LastSuccess         time.Time `json:"last_success,omitempty"`
	LastChange          time.Time `json:"last_change,omitempty"`
	// FailingSince is when the source became failing; zero when it is not.
	FailingSince time.Time `json:"failing_since,omitempty"`
	// FailingNotices counts the source.failing events of the current failing
	// episode; LastFailingNotice is when the latest was raised.
	FailingNotices    int       `json:"failing_notices,omitempty"`
	LastFailingNotice time.Time `json:"last_failing_notice,omitzero"`
	// FirstCheck is when the source was first checked, so that freshness
	// also covers a source that never succeeded.
	FirstCheck time.Time `json:"first_check,omitzero"`
	// NextDue is when the scheduler plans the next check.
	NextDue    time.Time   `json:"next_due,omitempty"`
	LastReason FetchReason `json:"last_reason,omitempty"`
	LastError  string      `json:"last_error,omitempty"`
	// Validators and size of the last good capture, for conditional GET and the block-page guard.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	LastGoodSize int64  `json:"last_good_size,omitempty"`
	// LastTextHash, LastCoverageHash and Extractor describe the latest snapshot.
	LastTextHash     string `json:"last_text_hash,omitempty"`
	LastCoverageHash string `json:"last_coverage_hash,omitempty"`
	Extractor        string `json:"extractor,omitempty"`
	Format           string `json:"format,omitempty"`
	// Snapshots and Captures count what is stored for the source.
	Snapshots uint64 `json:"snapshots"`
	Captures  uint64 `json:"captures"`
}

// EventType names an event that may be notified.
type EventType string

// The event types.
const (
	EventDocumentChanged EventType = "document.changed"
	EventCoverageChanged EventType = "coverage.changed"
	EventSourceFailing   EventType = "source.failing"
	EventSourceRecovered EventType = "source.recovered"
	EventDossierChanged  EventType = "dossier.changed"
)

// Event is something that happened to a source and may be worth a notification.
type Event struct {
	// Seq numbers all events from 1; the store assigns it.
	Seq uint64 `json:"seq"`
	// ID is the stable id receivers deduplicate by (EventID of DedupKey);
	// the store assigns it.
	ID       string    `json:"id,omitempty"`
	Type     EventType `json:"type"`
	SourceID string    `json:"source_id"`
	At       time.Time `json:"at"`
	// Summary is one line a campaigner can read in a mail subject.
	Summary string `json:"summary"`
	// SnapshotSeq is the snapshot the event is about, if any.
	SnapshotSeq uint64 `json:"snapshot_seq,omitempty"`
	// Details carries the event's own data (coverage levels, an error).
	Details map[string]string `json:"details,omitempty"`
	// Change is the diff summary of a document.changed or dossier.changed
	// event: what changed, provision by provision, and the coverage delta.
	Change *ChangeSummary `json:"change,omitempty"`
	// Routes are the channels the event goes to; the store enqueues one
	// outbox entry per route with the event.
	Routes []Route `json:"routes,omitempty"`
}

// CheckRecord is everything one check writes. Store.SaveCheck writes it in one
// transaction and fills in the sequence numbers.
type CheckRecord struct {
	// State is the source's state after the check.
	State   SourceState
	Capture Capture
	// Body is the raw body to keep as a blob, or nil.
	Body []byte
	// Snapshot is a new version, or nil. Text, Doc and Coverage are its
	// canonical text, its Document as JSON and its coverage as JSON, stored
	// as blobs.
	Snapshot *Snapshot
	Text     []byte
	Doc      []byte
	Coverage []byte
	Events   []Event
}
