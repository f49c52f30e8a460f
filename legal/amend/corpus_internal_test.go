package amend

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/redline-watch/redline/internal/corpus"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/tree"
)

func corpusDir(t testing.TB) string { return corpus.Dir(t) }

func readCorpus(t testing.TB, name string) string { return string(corpus.Read(t, name)) }

// joinWords joins lines like joinLines and splits the result into words.
func joinWords(lines []string) []string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 && !strings.HasSuffix(lines[i-1], "-") {
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	return strings.Fields(b.String())
}

// TestCorpusRightColumn compares the right column that splitColumns finds
// with an independent extraction of it: the corpus's crop of the PDF to the
// right half of each page (pdftotext -x 300 -W 290).
func TestCorpusRightColumn(t *testing.T) {
	layout := readCorpus(t, "ep-position-p9-ta-2023-0236.pdftotext-layout.txt")
	crop := readCorpus(t, "ep-position-p9-ta-2023-0236.amendment-column.txt")

	lines := splitLayout(layout)
	starts, err := findStarts(lines)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for k, st := range starts {
		end := len(lines)
		if k+1 < len(starts) {
			end = starts[k+1].heading
		}
		_, right := splitColumns(lines[st.header+1:end], lines[st.header], pageMargins(lines))
		for _, c := range right {
			got = append(got, c.text)
		}
	}
	var want []string
	started := false
	for _, l := range strings.Split(crop, "\n") {
		s := strings.TrimSpace(strings.ReplaceAll(l, "\f", ""))
		if s == "Amendment" {
			started = true
			continue
		}
		if started && s != "" {
			want = append(want, s)
		}
	}
	gw, ww := joinWords(got), joinWords(want)

	dmp := diffmatchpatch.New()
	index := map[string]rune{}
	enc := func(ws []string) []rune {
		out := make([]rune, len(ws))
		for i, w := range ws {
			r, ok := index[w]
			if !ok {
				r = rune(0xE000 + len(index))
				index[w] = r
			}
			out[i] = r
		}
		return out
	}
	diffs := dmp.DiffMainRunes(enc(gw), enc(ww), false)
	equal, extra, missing := 0, 0, 0
	for _, d := range diffs {
		n := len([]rune(d.Text))
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			equal += n
		case diffmatchpatch.DiffDelete:
			extra += n
		case diffmatchpatch.DiffInsert:
			missing += n
		}
	}
	t.Logf("right column: %d words, crop: %d words; equal %d, extra %d, missing %d", len(gw), len(ww), equal, extra, missing)
	if os.Getenv("AMEND_DIFF") != "" {
		rev := make(map[rune]string, len(index))
		for w, r := range index {
			rev[r] = w
		}
		dec := func(s string) string {
			var b strings.Builder
			for _, r := range s {
				b.WriteString(rev[r])
				b.WriteByte(' ')
			}
			return b.String()
		}
		for i, d := range diffs {
			if d.Type == diffmatchpatch.DiffEqual {
				continue
			}
			ctx := ""
			if i > 0 && diffs[i-1].Type == diffmatchpatch.DiffEqual {
				p := []rune(diffs[i-1].Text)
				ctx = dec(string(p[max(0, len(p)-6):]))
			}
			t.Logf("%v after [%s]: %s", d.Type, ctx, dec(d.Text))
		}
	}
	// The crop also catches the ends of long target lines ("… introductory
	// part"), about 50 words; anything beyond that is a misplaced line.
	if extra > 10 || missing > len(ww)/500 {
		t.Errorf("right column differs from the crop: equal %d of %d, extra %d, missing %d (AMEND_DIFF=1 shows where)", equal, len(ww), extra, missing)
	}
}

// TestCorpusApplyAll applies all 771 amendments to a base made of what they
// amend: every provision a replacement or deletion targets, with the
// Commission's text, the provisions above it and the parents of insertions. Only the amendments that
// insert or rename divisions the base lacks may stay unplaced.
func TestCorpusApplyAll(t *testing.T) {
	doc, err := ParseLayout(readCorpus(t, "ep-position-p9-ta-2023-0236.pdftotext-layout.txt"))
	if err != nil {
		t.Fatal(err)
	}
	base := &redline.Document{Kind: redline.DocProposal}
	b := tree.NewBuilder(base)
	index := map[string]int{}
	var ensure func(path, text string) int
	ensure = func(path, text string) int {
		if i, ok := index[path]; ok {
			return i
		}
		parent, label := splitPath(path)
		pi := -1
		if parent != "" {
			pi = ensure(parent, "")
		}
		i := b.Add(pi, redline.Provision{Path: path, Kind: pathKind(path), Label: label, Text: text})
		index[path] = i
		return i
	}
	for _, a := range doc.Amendments {
		tg, err := parseTarget(a.Target)
		if err != nil {
			t.Fatalf("amendment %d: %v", a.Number, err)
		}
		if tg.kind() == redline.ProvDivision {
			continue
		}
		if a.Op == redline.OpInsert {
			if parent, _ := splitPath(a.Path); parent != "" {
				ensure(parent, "")
			}
			continue
		}
		first, _, _ := strings.Cut(a.Original, "\n")
		ensure(a.Path, first)
	}
	got, rep := Apply(base, doc.Amendments)
	var unplaced []string
	for _, u := range rep.Unplaced {
		unplaced = append(unplaced, strconv.Itoa(u.Number))
		if tg, _ := parseTarget(u.Target); tg.kind() != redline.ProvDivision {
			t.Errorf("amendment %d (%s) unplaced: %s", u.Number, u.Target, u.Reason)
		}
	}
	t.Logf("base %d provisions; applied %d, unplaced %d (%s); result %d provisions",
		len(base.Provisions), rep.Applied, len(rep.Unplaced), strings.Join(unplaced, " "), len(got.Provisions))
	if err := tree.Check(got); err != nil {
		t.Fatal(err)
	}
	// The headline amendments landed where they should.
	for path, want := range map[string]string{
		"Article 5(1)(d)":  "the use of ‘real-time’ remote biometric identification systems in publicly accessible spaces;",
		"Article 5(1)(da)": "the placing on the market, putting into service or use of an AI system for making risk assessments",
		"recital 1a":       "This Regulation should preserve the values of the Union",
	} {
		i := got.Find(path)
		if i < 0 || !strings.HasPrefix(got.Provisions[i].Text, want) {
			t.Errorf("%s missing or wrong: %d", path, i)
		}
	}
	if got.Find("Article 5(1)(d)(i)") >= 0 || got.Find("Article 4") >= 0 {
		t.Error("deleted provisions remain")
	}
}
