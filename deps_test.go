package redline_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"path"
	"strings"
	"testing"
)

const module = "github.com/redline-watch/redline"

// layers says which packages of this module each package may import
// (design.md "Dependency direction"). A rule ending in "/..." covers the
// package and everything under it.
var layers = []struct {
	pkg     string
	allowed []string
}{
	{"", nil}, // the root: standard library only
	{"config", []string{""}},
	{"crawler", []string{""}},
	{"store", []string{""}},
	{"legal/...", []string{"", "legal/..."}},
	{"diff", []string{""}},
	{"coverage", []string{""}},
	{"report", []string{""}},
	{"schedule", []string{""}},
	{"pipeline", []string{"", "diff", "coverage"}},
	{"notify/...", []string{"", "notify", "report"}},
	{"server", []string{"", "report"}},
	{"cmd/...", []string{"..."}},
	{"internal/...", []string{"..."}},
}

// pure packages turn values into values: no network, no clocks of their own.
var pure = []string{"legal", "legal/amend", "legal/plaintext", "legal/register", "diff", "coverage", "report"}

func matches(rule, rel string) bool {
	switch {
	case rule == "...":
		return true
	case strings.HasSuffix(rule, "/..."):
		base := strings.TrimSuffix(rule, "/...")
		return rel == base || strings.HasPrefix(rel, base+"/")
	}
	return rule == rel
}

func TestDependencyDirection(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not on PATH")
	}
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		seen++
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		var allowed []string
		found := false
		for _, l := range layers {
			if matches(l.pkg, rel) {
				allowed, found = l.allowed, true
				break
			}
		}
		if !found {
			t.Errorf("package %q has no layer rule in deps_test.go; add one following design.md", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			if isPure(rel) && (imp == "net/http" || imp == "net" || imp == "time/tzdata") {
				t.Errorf("pure package %q imports %q", p.ImportPath, imp)
			}
			if imp != module && !strings.HasPrefix(imp, module+"/") {
				continue
			}
			irel := strings.TrimPrefix(strings.TrimPrefix(imp, module), "/")
			ok := false
			for _, a := range allowed {
				if matches(a, irel) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%q must not import %q (design.md: dependency direction)", p.ImportPath, imp)
			}
		}
	}
	if seen < 2 {
		t.Fatalf("go list saw %d packages", seen)
	}
}

func isPure(rel string) bool {
	for _, p := range pure {
		if rel == p || path.Dir(rel) == p && strings.Contains(rel, "/internal/") {
			return true
		}
	}
	return false
}
