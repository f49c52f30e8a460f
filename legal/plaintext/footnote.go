package plaintext

import (
	"regexp"
	"strconv"
	"strings"
)

// footnote is one footnote found at the bottom of a page.
type footnote struct {
	n    int
	text string
}

var (
	inlineNote = regexp.MustCompile(`^([0-9]{1,3})\s+(\S.*)$`)
	// structure words before a number make it a reference, never a footnote call.
	refWord = regexp.MustCompile(`(?i)\b(?:article|articles|paragraph|paragraphs|point|points|annex|title|chapter|section|no|of|and|to|in|from|by|at|on|p\.)$`)
)

// marks compiles, once per footnote number, the patterns of its call mark:
// glued to the preceding word or punctuation, the way superscripts come out
// of PDFs ("Committee31," or "more”1,"), or after a space ("ethics 9,"),
// which some extractors produce, then followed by punctuation.
type marks map[int][2]*regexp.Regexp

func (m marks) get(n int) (glued, spaced *regexp.Regexp) {
	if r, ok := m[n]; ok {
		return r[0], r[1]
	}
	ns := strconv.Itoa(n)
	r := [2]*regexp.Regexp{
		regexp.MustCompile(`(\p{L}[.,;:]?|[’”"')\]*])` + ns + `([^\p{L}\p{N}/-]|$)`),
		regexp.MustCompile(`(\S+) ` + ns + `([,.;:])`),
	}
	m[n] = r
	return r[0], r[1]
}

// splitFootnotes moves the footnotes at the bottom of each page out of the
// body text and removes their call marks from the body.
//
// Footnotes are numbered through the document, so the zone of a page starts
// at the first line that holds the next expected number (alone, or followed
// by the note's text) and whose call mark occurs, glued, in the body above.
// Extractors print the numbers either before each note's text or as a block
// before all the texts; in the second case the texts are split where a line
// ending with a full stop is followed by one starting with a capital letter.
func splitFootnotes(pages [][]string) ([][]string, []footnote) {
	var notes []footnote
	next := 1
	mk := marks{}
	for p, lines := range pages {
		z, first := zoneStart(lines, next, mk)
		if z < 0 {
			continue
		}
		found := readZone(lines[z:], first)
		if len(found) == 0 {
			continue
		}
		body := lines[:z]
		for _, f := range found {
			glued, spaced := mk.get(f.n)
			ns := strconv.Itoa(f.n)
			for i, l := range body {
				if !strings.Contains(l, ns) {
					continue
				}
				l = glued.ReplaceAllString(l, "$1$2")
				l = spaced.ReplaceAllStringFunc(l, func(m string) string {
					sub := spaced.FindStringSubmatch(m)
					if refWord.MatchString(sub[1]) {
						return m
					}
					return sub[1] + sub[2]
				})
				body[i] = l
			}
			if f.text != "" {
				notes = append(notes, f)
			}
		}
		pages[p] = body
		next = found[len(found)-1].n + 1
	}
	return pages, notes
}

// zoneStart returns the index of the line that starts the footnote zone of
// a page and its footnote number, or -1.
func zoneStart(lines []string, next int, mk marks) (int, int) {
	cands := []int{next, next + 1, next + 2, next + 3}
	if next > 1 {
		cands = append(cands, 1) // numbering restarts, e.g. in an annex to a note
	}
	for _, n := range cands {
		want := strconv.Itoa(n)
		glued, _ := mk.get(n)
		called := false // the call mark occurs above line i
		for i, l := range lines {
			num := ""
			if k := key(l); k != "" && k[0] >= '0' && k[0] <= '9' {
				num = k
				if m := inlineNote.FindStringSubmatch(k); m != nil {
					num = m[1]
				}
			}
			if num == want && called {
				return i, n
			}
			called = called || strings.Contains(l, want) && glued.MatchString(l)
		}
	}
	return -1, 0
}

// readZone reads the footnotes of a zone that starts with footnote first.
func readZone(lines []string, first int) []footnote {
	var (
		nums    []int
		entries []string
		inline  = map[int]bool{} // entry index -> begun by its own number
		expect  = first
		prevEnd string
	)
	for _, l := range lines {
		k := key(l)
		if k == "" {
			continue
		}
		if k == strconv.Itoa(expect) {
			nums = append(nums, expect)
			expect++
			continue
		}
		if m := inlineNote.FindStringSubmatch(k); m != nil && m[1] == strconv.Itoa(expect) {
			nums = append(nums, expect)
			expect++
			inline[len(entries)] = true
			entries = append(entries, m[2])
			prevEnd = m[2]
			continue
		}
		if len(entries) == 0 || startsNote(prevEnd, k) && !inlineOnly(inline, len(nums)) {
			entries = append(entries, k)
		} else {
			entries[len(entries)-1] += " " + k
		}
		prevEnd = k
	}
	if len(nums) == 0 {
		return nil
	}
	// More texts than numbers: the split guessed too many boundaries; the
	// surplus belongs to the last note.
	for len(entries) > len(nums) {
		n := len(entries)
		entries[n-2] += " " + entries[n-1]
		entries = entries[:n-1]
	}
	out := make([]footnote, len(nums))
	for i, n := range nums {
		out[i].n = n
		if i < len(entries) {
			out[i].text = entries[i]
		}
	}
	return out
}

// inlineOnly reports whether every note so far was printed with its number
// on the line of its text; then a text line never starts a note by itself.
func inlineOnly(inline map[int]bool, nums int) bool {
	return nums > 0 && len(inline) == nums
}

// startsNote reports whether line k starts a new footnote text after a line
// ending with prev (numbers printed apart from their texts).
func startsNote(prev, k string) bool {
	if strings.HasPrefix(prev, "http") && !strings.Contains(prev, " ") {
		return true
	}
	prev = strings.TrimRight(prev, "”’\"")
	if !strings.HasSuffix(prev, ".") {
		return false
	}
	r := []rune(k)
	return len(r) > 0 && (r[0] >= 'A' && r[0] <= 'Z' || r[0] > 0x7f && strings.ToUpper(string(r[0])) == string(r[0]) && strings.ToLower(string(r[0])) != string(r[0]))
}
