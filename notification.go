package redline

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"
	"time"
)

// Route says that a channel gets an event, and whether at once or in the
// channel's next digest. The pipeline attaches the routes to each event it
// raises; Store.SaveCheck writes one OutboxEntry per route in the same
// transaction as the event.
type Route struct {
	Channel string `json:"channel"`
	// Digest defers the event to the channel's next digest.
	Digest bool `json:"digest,omitempty"`
}

// Router decides which channels get an event.
type Router func(Event) []Route

// DedupKey identifies what an event is about, so that the same event is never
// enqueued twice for one channel: its type and source, the version it is about,
// the demand of a coverage change, and the failing episode and notice number of
// a failure alert.
func (e Event) DedupKey() string {
	parts := []string{string(e.Type), e.SourceID}
	switch e.Type {
	case EventSourceFailing:
		parts = append(parts, e.Details["failing_since"], e.Details["notice"])
	case EventSourceRecovered:
		parts = append(parts, e.Details["failing_since"])
	case EventCoverageChanged:
		parts = append(parts, strconv.FormatUint(e.SnapshotSeq, 10), e.Details["demand"])
	default:
		parts = append(parts, strconv.FormatUint(e.SnapshotSeq, 10))
	}
	return strings.Join(parts, "|")
}

// EventID derives the stable id of an event from its dedup key: "evt_" and 26
// base32 characters. It is the webhook-id and part of the mail Message-ID, so
// receivers can drop a redelivery.
func EventID(dedupKey string) string {
	sum := sha256.Sum256([]byte(dedupKey))
	return "evt_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:16]))
}

// OutboxStatus is where an outbox entry stands.
type OutboxStatus string

// The outbox statuses. A delivered entry leaves the outbox; only its dedup
// key stays.
const (
	OutboxPending   OutboxStatus = "pending"
	OutboxDead      OutboxStatus = "dead"
	OutboxDelivered OutboxStatus = "delivered"
)

// OutboxEntry is one event waiting to reach one channel.
type OutboxEntry struct {
	// Seq numbers the entries from 1; the store assigns it.
	Seq      uint64 `json:"seq"`
	Channel  string `json:"channel"`
	EventSeq uint64 `json:"event_seq"`
	// EventID is the event's stable id (see EventID).
	EventID   string    `json:"event_id"`
	EventType EventType `json:"event_type"`
	SourceID  string    `json:"source_id"`
	DedupKey  string    `json:"dedup_key"`
	// Digest entries wait for the channel's digest schedule.
	Digest  bool         `json:"digest,omitempty"`
	Status  OutboxStatus `json:"status"`
	Created time.Time    `json:"created"`
	// Attempts counts delivery attempts; NextAttempt is when the next one is due.
	Attempts    int       `json:"attempts"`
	NextAttempt time.Time `json:"next_attempt"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
}

// OutboxStats counts the outbox for the status page and metrics.
type OutboxStats struct {
	Pending int `json:"pending"`
	Dead    int `json:"dead"`
	// Delivered counts every entry delivered since the database was created.
	Delivered uint64 `json:"delivered"`
	// OldestPending is when the oldest pending entry was created; zero if none.
	OldestPending time.Time `json:"oldest_pending,omitzero"`
}

// OutboxQuery selects outbox entries; zero fields select everything.
type OutboxQuery struct {
	Channel string
	Status  OutboxStatus
	// DueBy selects entries whose NextAttempt is not after it.
	DueBy time.Time
	// Limit bounds the result; <= 0 means all.
	Limit int
}

// Outbox is the durable queue of notifications. Entries are created by
// Store.SaveCheck from the routes of the events it saves.
type Outbox interface {
	// OutboxEntries returns the entries the query selects, oldest first.
	OutboxEntries(ctx context.Context, q OutboxQuery) ([]OutboxEntry, error)
	// UpdateOutbox writes entries back by Seq: a delivered entry is removed
	// and counted; an entry no longer in the outbox (dropped) is skipped.
	UpdateOutbox(ctx context.Context, entries []OutboxEntry) error
	// DropOutbox removes an entry for good; ErrNotFound if there is none.
	DropOutbox(ctx context.Context, seq uint64) error
	// OutboxStats counts pending and dead entries.
	OutboxStats(ctx context.Context) (OutboxStats, error)
	// Event returns the event with the given Seq, or ErrNotFound.
	Event(ctx context.Context, seq uint64) (Event, error)
}
