package redline

import (
	"fmt"
	"strings"
)

// ChangeOp is what a structure-aware diff found happened to one provision.
type ChangeOp string

// The provision change operations. A provision whose text reappears at
// another path (a renumbered article or point) is moved, never removed and
// added.
const (
	ChangeAdded   ChangeOp = "added"
	ChangeRemoved ChangeOp = "removed"
	ChangeChanged ChangeOp = "changed"
	ChangeMoved   ChangeOp = "moved"
)

// ProvisionChange names one provision a diff touched.
type ProvisionChange struct {
	Op ChangeOp `json:"op"`
	// Path is the provision's path in the new version; for a removed
	// provision, its path in the old one.
	Path string `json:"path"`
	// OldPath is the path in the old version of a moved provision.
	OldPath string `json:"old_path,omitempty"`
	// Edited reports whether a moved provision's words changed too.
	Edited bool `json:"edited,omitempty"`
}

// String renders the change as a campaigner reads it: "Article 5(1)(d) added",
// "Article 5(1)(d) -> Article 5(1)(h) moved".
func (c ProvisionChange) String() string {
	if c.Op == ChangeMoved {
		s := c.OldPath + " -> " + c.Path + " moved"
		if c.Edited {
			s += " and changed"
		}
		return s
	}
	return c.Path + " " + string(c.Op)
}

// CoverageChange is one demand whose level or evidence changed between two
// versions, with the provisions of the diff that caused it.
type CoverageChange struct {
	Demand string `json:"demand"`
	// Title is the demand's title in the demand set.
	Title string `json:"title,omitempty"`
	// From and To are coverage levels ("absent" ... "prohibited"); From is
	// empty for a demand the old version was not assessed on.
	From        string `json:"from"`
	To          string `json:"to"`
	FromVerdict string `json:"from_verdict,omitempty"`
	ToVerdict   string `json:"to_verdict,omitempty"`
	// Provisions are the changes that caused it, e.g. "Article 5(1)(d) added".
	Provisions []string `json:"provisions,omitempty"`
}

// String renders the change as one line:
// "predictive-policing: restricted -> prohibited_with_exceptions, Article 5(1)(d) added".
func (c CoverageChange) String() string {
	from := c.From
	if from == "" {
		from = "not assessed"
	}
	s := c.Demand + ": " + from + " -> " + c.To
	if c.From == c.To {
		s = c.Demand + ": " + c.To + ", evidence changed"
	}
	if len(c.Provisions) > 0 {
		s += ", " + strings.Join(c.Provisions, "; ")
	}
	return s
}

// ChangeSummary is the short form of a structure-aware diff of two versions
// of a source: counts, the first provisions touched and the coverage delta.
// It is stored with every changed snapshot and carried by its
// document.changed event.
type ChangeSummary struct {
	// FromSeq and ToSeq are the snapshots compared (ToSeq is 0 until stored).
	FromSeq   uint64 `json:"from_seq,omitempty"`
	ToSeq     uint64 `json:"to_seq,omitempty"`
	Added     int    `json:"added"`
	Removed   int    `json:"removed"`
	Changed   int    `json:"changed"`
	Moved     int    `json:"moved"`
	Unchanged int    `json:"unchanged"`
	// Provisions are the first changes in document order (at most
	// MaxSummaryProvisions); Truncated says how many were left out.
	Provisions []ProvisionChange `json:"provisions,omitempty"`
	Truncated  int               `json:"truncated,omitempty"`
	// Coverage lists the demands whose level or evidence changed.
	Coverage []CoverageChange `json:"coverage,omitempty"`
}

// MaxSummaryProvisions bounds ChangeSummary.Provisions so a summary stays
// small enough for a mail subject line's neighbourhood and a bbolt value.
const MaxSummaryProvisions = 20

// Empty reports whether the summary records no change of provisions.
func (s ChangeSummary) Empty() bool {
	return s.Added+s.Removed+s.Changed+s.Moved == 0
}

// String renders the counts with the first touched paths:
// "2 changed (Article 5, Article 5(1)), 1 added (Article 5(1)(d)), 1 moved (Article 5(1)(d) -> Article 5(1)(h))".
func (s ChangeSummary) String() string {
	var parts []string
	add := func(n int, op ChangeOp) {
		if n == 0 {
			return
		}
		var names []string
		for _, c := range s.Provisions {
			if c.Op != op || len(names) == 3 {
				continue
			}
			if op == ChangeMoved {
				names = append(names, c.OldPath+" -> "+c.Path)
			} else {
				names = append(names, c.Path)
			}
		}
		part := fmt.Sprintf("%d %s", n, op)
		if len(names) > 0 {
			if more := n - len(names); more > 0 {
				names = append(names, fmt.Sprintf("and %d more", more))
			}
			part += " (" + strings.Join(names, ", ") + ")"
		}
		parts = append(parts, part)
	}
	add(s.Changed, ChangeChanged)
	add(s.Added, ChangeAdded)
	add(s.Removed, ChangeRemoved)
	add(s.Moved, ChangeMoved)
	if len(parts) == 0 {
		return "no provision changed"
	}
	return strings.Join(parts, ", ")
}
