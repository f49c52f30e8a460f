package store

import "testing"

func TestSchemaVersionMatchesMigrations(t *testing.T) {
	if got := len(migrations) + 1; got != SchemaVersion {
		t.Errorf("%d migrations lead to schema %d, but SchemaVersion is %d", len(migrations), got, SchemaVersion)
	}
}
