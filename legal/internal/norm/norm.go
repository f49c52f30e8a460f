// Package norm normalises text extracted from legal documents so that the
// same wording always yields the same string, whatever markup or extractor
// produced it.
package norm

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Text returns s as valid UTF-8 in NFKC form (so ligatures such as "ﬁ" become
// "fi"), with every run of white space, including U+00A0 NO-BREAK SPACE and
// other Unicode spaces, collapsed to one ASCII space, zero-width characters
// and soft hyphens removed, and no leading or trailing space.
func Text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\u00ad' || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff':
			continue
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// Lines applies Text to every line of s and drops empty lines.
func Lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = Text(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
