package redline

import (
	"context"
	"io"
)

// Fetcher fetches the current body of a source. A block page, an empty body,
// a truncated body or an HTTP error is returned as a *FetchError, never as a
// result. A 304 answer is a result with NotModified set.
type Fetcher interface {
	Fetch(ctx context.Context, req FetchRequest) (*FetchResult, error)
}

// Store keeps captures, snapshots, blobs, events and per-source state.
type Store interface {
	// SaveCheck writes everything one check produced in one transaction and
	// assigns sequence numbers to the capture, snapshot and events.
	SaveCheck(ctx context.Context, rec *CheckRecord) error
	// State returns the state of a source; a source never checked gets a zero
	// state with StatusNew and a nil error.
	State(ctx context.Context, sourceID string) (SourceState, error)
	// States returns the state of every source that has one, ordered by id.
	States(ctx context.Context) ([]SourceState, error)
	// SaveState updates only the state of a source (e.g. its next due time).
	SaveState(ctx context.Context, st SourceState) error
	// Snapshots returns the versions of a source, oldest first.
	Snapshots(ctx context.Context, sourceID string) ([]Snapshot, error)
	// Captures returns the newest captures of a source, newest first; limit <= 0 means all.
	Captures(ctx context.Context, sourceID string, limit int) ([]Capture, error)
	// Events returns events with Seq > after, oldest first; limit <= 0 means all.
	Events(ctx context.Context, after uint64, limit int) ([]Event, error)
	// Blob returns the content stored under a SHA-256 hex digest, or ErrNotFound.
	Blob(ctx context.Context, hash string) ([]byte, error)
	// Backup writes a consistent copy of the database to w while writers go on.
	Backup(ctx context.Context, w io.Writer) (int64, error)
	// Close releases the database.
	Close() error
}
