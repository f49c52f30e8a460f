package coverage_test

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/redline-watch/redline/coverage"
)

// naiveLevels is the plain matcher redline exists to beat: it looks for a
// demand's terms near each other in flat text and reads the level from the
// words around them ("prohibited" nearby, "unless" nearby, "high-risk"
// nearby), with no idea of points, paragraphs, recitals or amendments.
func naiveLevels(set *coverage.Set, text string) map[string]coverage.Level {
	words := naiveWords(text)
	near := func(at, span int, phrases ...string) bool {
		lo, hi := max(0, at-span), min(len(words), at+span)
		for _, p := range phrases {
			if len(naiveFind(words[lo:hi], p)) > 0 {
				return true
			}
		}
		return false
	}
	out := map[string]coverage.Level{}
	for _, d := range set.Demands {
		best := coverage.Absent
		for _, r := range d.Rules {
			for _, t := range r.Groups[0] {
				for _, at := range naiveFind(words, t) {
					all := true
					for _, g := range r.Groups[1:] {
						all = all && near(at, 25, g...)
					}
					if !all {
						continue
					}
					lvl := coverage.Mentioned
					switch {
					case near(at, 40, "prohibited", "prohibit", "banned"):
						lvl = coverage.Prohibited
						if near(at, 40, "unless", "except", "derogation", "strictly necessary", "solely") {
							lvl = coverage.ProhibitedWithExceptions
						}
					case near(at, 40, "high risk", "shall"):
						lvl = coverage.Restricted
					}
					if lvl.Rank() > best.Rank() {
						best = lvl
					}
				}
			}
		}
		out[d.ID] = best
	}
	return out
}

func naiveWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// naiveFind returns the positions where term (words, "*" for a prefix)
// starts in words.
func naiveFind(words []string, term string) []int {
	tw := naiveWords(strings.ReplaceAll(term, "*", "STAR"))
	var out []int
	for i := range words {
		ok := i+len(tw) <= len(words)
		for k := 0; ok && k < len(tw); k++ {
			w, star := strings.CutSuffix(tw[k], "star")
			ok = words[i+k] == tw[k] || star && strings.HasPrefix(words[i+k], w)
		}
		if ok {
			out = append(out, i)
		}
	}
	return out
}

// TestNaiveBaseline measures the plain matcher on the expected-levels
// table: the engine must do clearly better, and the plain matcher's misses
// are the structural traps the engine handles.
func TestNaiveBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: scans the corpus word by word")
	}
	set := defaultSet(t)
	tab := loadExpected(t)
	var act strings.Builder
	for _, p := range adoptedAct(t).Provisions {
		act.WriteString(p.Heading + "\n" + p.Text + "\n")
	}
	texts := map[string]string{
		"proposal":   string(readCorpus(t, "com-2021-206-proposal.pdftotext.txt")) + string(readCorpus(t, "com-2021-206-annexes.pdftotext.txt")),
		"parliament": string(readCorpus(t, "ep-position-p9-ta-2023-0236.pdftotext-layout.txt")),
		"act":        act.String(),
	}
	naive := map[string]map[string]coverage.Level{}
	for name, text := range texts {
		naive[name] = naiveLevels(set, text)
	}
	right, total := 0, 0
	for _, row := range tab.Cells {
		for name, cell := range map[string]expectedCell{"proposal": row.Proposal, "parliament": row.Parliament, "act": row.Act} {
			total++
			got := naive[name][row.Demand]
			if got == cell.Level || slices.Contains(cell.Accept, got) {
				right++
			} else {
				t.Logf("plain matcher: %s/%s = %s, want %s", row.Demand, name, got, cell.Level)
			}
		}
	}
	t.Logf("plain matcher: %d of %d cells right", right, total)
	if right > total*3/4 {
		t.Errorf("the plain matcher gets %d of %d cells right; the table no longer tests structure", right, total)
	}
}
