package legal_test

import (
	"bytes"
	"testing"

	"github.com/redline-watch/redline/legal/internal/tree"

	"github.com/redline-watch/redline/legal"
)

// FuzzParseXHTML feeds arbitrary bytes to the parser: it must never panic,
// must return either a document or an error, and every document it returns
// must keep its tree consistent.
func FuzzParseXHTML(f *testing.F) {
	// Fixtures are cut into small windows: whole 50 kB documents make the
	// fuzzing engine spend its time minimising instead of executing.
	for _, name := range []string{"oj-act.html", "consolidated.html", "com-proposal.html", "oj-amending.html"} {
		data := readFixture(f, name)
		for off := 0; off < len(data); off += 6000 {
			f.Add(data[off:min(off+6000, len(data))])
		}
	}
	for _, s := range []string{
		`<p class="oj-ti-art">Article 1</p><p class="oj-normal">1. a</p><p class="oj-normal">2. ‘b</p>`,
		`<div class="eli-container"><div id="art_1"><p class="oj-ti-art">Article 1</p><p class="oj-normal">the following point is inserted:</p><table><tr><td>‘(a)</td><td>never closed</td></tr></table></div></div>`,
		`<p class="title-article-norm">Article 1</p><div class="grid-container"><div class="grid-list-column-1">(a)</div><div class="grid-list-column-2"><p>x ►M1 y ◄</p></div></div>`,
		`<p class="li Point3">(a)</p><p class="Titrearticle">Article 2<br/>H</p><p class="li Point0">(a)</p><p class="li Point0">(a)</p>`,
		`<p class="oj-doc-ti">ANNEX</p><p class="oj-ti-grseq-1">Section A</p><p class="oj-normal">1. x</p>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := legal.ParseXHTML(data, legal.XHTMLOptions{})
		if err != nil {
			if d != nil {
				t.Fatal("document returned with an error")
			}
			return
		}
		if err := tree.Check(d); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := legal.WriteText(&buf, d); err != nil {
			t.Fatal(err)
		}
		_ = legal.Summary(d)
	})
}
