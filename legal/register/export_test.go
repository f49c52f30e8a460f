package register

import (
	"testing"

	"github.com/redline-watch/redline/internal/corpus"

	"github.com/redline-watch/redline"
)

// ReadCorpus returns a file of the shared corpus of real EU texts, or skips
// the test when the corpus is not there.
func ReadCorpus(tb testing.TB, name string) []byte { return corpus.Read(tb, name) }

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
