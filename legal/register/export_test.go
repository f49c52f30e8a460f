package register

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/redline-watch/redline"
)

// ReadCorpus returns a file of the shared corpus of real EU texts
// (../shared/corpus next to the module root), or skips the test when the
// corpus is not there.
func ReadCorpus(tb testing.TB, name string) []byte {
	tb.Helper()
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	dir := wd
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skipf("corpus not found: no go.mod above %s", wd)
		}
		dir = parent
	}
	path := filepath.Join(dir, "..", "shared", "corpus", name)
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Skipf("corpus not found at %s: %v", path, err)
	}
	return data
}

// KeyedEvent is an event of a EUR-Lex page with its key, such as
// "2022-09-29_ADP_PROPLEG_byCOM".
type KeyedEvent struct {
	Key   string
	Event redline.DossierEvent
}

// EURLexSources returns the events of a EUR-Lex procedure page's embedded
// script and of its div.eventRow rows separately, before they are merged.
func EURLexSources(data []byte) (script, rows []KeyedEvent, err error) {
	page, err := eurlexPage(data)
	if err != nil {
		return nil, nil, err
	}
	s, err := eurlexScriptEvents(page)
	if err != nil {
		return nil, nil, err
	}
	r, err := eurlexRowEvents(page)
	if err != nil {
		return nil, nil, err
	}
	conv := func(in []eurlexEvent) []KeyedEvent {
		out := make([]KeyedEvent, len(in))
		for i, e := range in {
			out[i] = KeyedEvent{e.key, e.ev}
		}
		return out
	}
	return conv(s), conv(r), nil
}
