package store

import (
	"context"

	"go.etcd.io/bbolt"
)

// OpenWithMigrations opens like Open but with the test's own migration
// table, so the migration mechanism can be tested before any migration exists.
func OpenWithMigrations(ctx context.Context, path string, opts Options, migs []func(*bbolt.Tx) error) (*Store, error) {
	return open(ctx, path, opts, migs)
}
