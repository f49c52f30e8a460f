package redline

import "errors"

// ErrNotFound is returned when a source, snapshot, capture or blob does not exist.
var ErrNotFound = errors.New("not found")

// ErrLocked is returned when the database file is held by another process.
var ErrLocked = errors.New("database is in use")
