package plaintext

import (
	"regexp"
	"strconv"
	"strings"
)

// family is a numbering scheme of labelled provisions.
type family int

const (
	famNone   family = iota
	famNum           // "1." paragraphs, annex points
	famPNum          // "(1)" recitals, definitions
	famLetter        // "(a)", inserted "(ba)"
	famRoman         // "(i)", "(iv)"
	famDotted        // "3.1." points of annexes
)

// label is a provision label as printed, without brackets or dot.
type label struct {
	s     string
	paren bool
}

var (
	parenLabel = regexp.MustCompile(`^\(([0-9]{1,3}[a-z]{0,2}|[a-z]{1,5})\)(?:\s+(\S.*))?$`)
	numLabel   = regexp.MustCompile(`^([0-9]{1,3}[a-z]{0,2})\.(?:\s+(\S.*))?$`)
	dotLabel   = regexp.MustCompile(`^([0-9]{1,2}(?:\.[0-9]{1,2})+)\.?(?:\s+(\S.*))?$`)
	romanRe    = regexp.MustCompile(`^(?:x{0,3})(?:ix|iv|v?i{0,3})$`)
	letterRe   = regexp.MustCompile(`^[a-z]{1,2}$`)
	numRe      = regexp.MustCompile(`^([0-9]{1,3})([a-z]{0,2})$`)
)

// parseLabel splits a line that starts with a label into the label and the
// rest of the line.
func parseLabel(s string) (label, string, bool) {
	if m := parenLabel.FindStringSubmatch(s); m != nil {
		l := label{s: m[1], paren: true}
		if len(l.families()) == 0 {
			return label{}, "", false
		}
		return l, m[2], true
	}
	if m := numLabel.FindStringSubmatch(s); m != nil {
		return label{s: m[1]}, m[2], true
	}
	if m := dotLabel.FindStringSubmatch(s); m != nil {
		return label{s: m[1]}, m[2], true
	}
	return label{}, "", false
}

// families returns the numbering schemes the label can belong to; "(i)",
// "(v)" and "(x)" are letters or roman numerals, decided by context.
func (l label) families() []family {
	switch {
	case strings.Contains(l.s, "."):
		return []family{famDotted}
	case numRe.MatchString(l.s) && l.paren:
		return []family{famPNum}
	case numRe.MatchString(l.s):
		return []family{famNum}
	}
	var out []family
	if letterRe.MatchString(l.s) && (len(l.s) == 1 || !romanRe.MatchString(l.s)) {
		out = append(out, famLetter)
	}
	if l.s != "" && romanRe.MatchString(l.s) {
		out = append(out, famRoman)
	}
	return out
}

func (l label) is(f family) bool {
	for _, g := range l.families() {
		if g == f {
			return true
		}
	}
	return false
}

// first reports whether l starts a sequence of family f.
func (l label) first(f family) bool {
	switch f {
	case famNum, famPNum:
		return l.s == "1"
	case famLetter:
		return l.s == "a"
	case famRoman:
		return l.s == "i"
	case famDotted:
		return strings.HasSuffix(l.s, ".1")
	}
	return false
}

// parent returns the label a dotted label belongs under: "3" for "3.1".
func (l label) parent() string {
	i := strings.LastIndex(l.s, ".")
	if i < 0 {
		return ""
	}
	return l.s[:i]
}

// follows reports whether l comes right after prev in family f, counting
// inserted labels: "1a" after "1", "2" after "1a", "ba" after "b", "c" after "ba".
func (l label) follows(prev string, f family) bool {
	switch f {
	case famNum, famPNum:
		a, b := numRe.FindStringSubmatch(prev), numRe.FindStringSubmatch(l.s)
		if a == nil || b == nil {
			return false
		}
		pn, _ := strconv.Atoi(a[1])
		n, _ := strconv.Atoi(b[1])
		return n == pn+1 && b[2] == "" || n == pn && suffixNext(a[2], b[2])
	case famLetter:
		if !letterRe.MatchString(prev) || !letterRe.MatchString(l.s) {
			return false
		}
		return l.s[0] == prev[0]+1 && len(l.s) == 1 || l.s[0] == prev[0] && suffixNext(prev[1:], l.s[1:])
	case famRoman:
		return romanRe.MatchString(prev) && roman(l.s) == roman(prev)+1
	case famDotted:
		i, j := strings.LastIndex(prev, "."), strings.LastIndex(l.s, ".")
		if i < 0 || j < 0 || prev[:i] != l.s[:j] {
			return false
		}
		a, _ := strconv.Atoi(prev[i+1:])
		b, _ := strconv.Atoi(l.s[j+1:])
		return b == a+1
	}
	return false
}

// suffixNext reports whether suffix b follows a: "" -> "a", "a" -> "b".
func suffixNext(a, b string) bool {
	if len(b) != 1 {
		return false
	}
	if a == "" {
		return b == "a"
	}
	return len(a) == 1 && b[0] == a[0]+1
}

// roman returns the value of a lowercase roman numeral (0 if empty).
func roman(s string) int {
	vals := map[byte]int{'i': 1, 'v': 5, 'x': 10, 'l': 50, 'c': 100}
	total := 0
	for i := 0; i < len(s); i++ {
		v := vals[s[i]]
		if i+1 < len(s) && vals[s[i+1]] > v {
			total -= v
		} else {
			total += v
		}
	}
	return total
}

// pathLabel renders a label inside a path: "(a)", "(1)", "(iii)".
func pathLabel(l string) string { return "(" + l + ")" }

// capitalised turns "CHAPTER" into "Chapter".
func capitalised(w string) string {
	if w == "" {
		return w
	}
	return strings.ToUpper(w[:1]) + strings.ToLower(w[1:])
}
