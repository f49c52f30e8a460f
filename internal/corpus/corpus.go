// Package corpus locates the shared corpus of real EU texts for tests. The
// corpus lives next to the repository (../shared/corpus from the module
// root) and is not part of it; tests that need it skip with a clear message
// when it is absent.
package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the corpus directory, or skips tb when there is none.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("corpus: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("corpus not found: no go.mod above the test directory")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(c); err != nil {
		tb.Skipf("corpus not found at %s (tests on real EU texts need ../shared/corpus): %v", c, err)
	}
	return c
}

// Path returns the path of a corpus file, or skips tb when it is absent.
func Path(tb testing.TB, name string) string {
	tb.Helper()
	p := filepath.Join(Dir(tb), name)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("corpus file %s not found: %v", p, err)
	}
	return p
}

// Read returns the contents of a corpus file, or skips tb when it is absent.
func Read(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(Path(tb, name))
	if err != nil {
		tb.Fatalf("read corpus file %s: %v", name, err)
	}
	return data
}
