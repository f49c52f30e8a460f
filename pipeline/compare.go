package pipeline

import (
	"fmt"
	"strconv"
	"strings"
)

// delta counts what changed between two canonical texts, keyed by provision
// path. It is a summary for the change event; the full structure-aware diff
// is computed from the stored texts when someone asks for it.
type delta struct {
	Added, Removed, Changed []string
}

// compareCanonical compares two canonical texts line by line. A line's key is
// its first tab-separated field (the provision path); lines whose key is not
// unique (events, amendments) are compared whole.
func compareCanonical(oldText, newText string) delta {
	oldM, oldOrder := indexLines(oldText)
	newM, newOrder := indexLines(newText)
	var d delta
	for _, k := range newOrder {
		ov, ok := oldM[k]
		switch {
		case !ok:
			d.Added = append(d.Added, k)
		case ov != newM[k]:
			d.Changed = append(d.Changed, k)
		}
	}
	for _, k := range oldOrder {
		if _, ok := newM[k]; !ok {
			d.Removed = append(d.Removed, k)
		}
	}
	return d
}

func indexLines(text string) (map[string]string, []string) {
	m := map[string]string{}
	var order []string
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if line == "" {
			continue
		}
		key, rest, _ := strings.Cut(line, "\t")
		if key == "event" || strings.HasPrefix(key, "amendment ") || key == "modification" {
			key, rest = line, line
		}
		if _, dup := m[key]; dup {
			continue
		}
		m[key] = rest
		order = append(order, key)
	}
	return m, order
}

// String renders the delta for an event summary.
func (d delta) String() string {
	var parts []string
	add := func(n int, what string, keys []string) {
		if n == 0 {
			return
		}
		parts = append(parts, fmt.Sprintf("%d %s (%s)", n, what, list(keys, 3)))
	}
	add(len(d.Changed), "changed", d.Changed)
	add(len(d.Added), "added", d.Added)
	add(len(d.Removed), "removed", d.Removed)
	if len(parts) == 0 {
		return "provision order changed"
	}
	return strings.Join(parts, ", ")
}

func (d delta) details() map[string]string {
	return map[string]string{
		"changed": strconv.Itoa(len(d.Changed)), "added": strconv.Itoa(len(d.Added)), "removed": strconv.Itoa(len(d.Removed)),
		"changed_paths": list(d.Changed, 50), "added_paths": list(d.Added, 50), "removed_paths": list(d.Removed, 50),
	}
}

// list joins up to n keys, shortening long ones and saying how many were left out.
func list(keys []string, n int) string {
	var out []string
	for i, k := range keys {
		if i == n {
			out = append(out, fmt.Sprintf("and %d more", len(keys)-n))
			break
		}
		if r := []rune(k); len(r) > 60 {
			k = string(r[:57]) + "..."
		}
		out = append(out, k)
	}
	return strings.Join(out, "; ")
}
