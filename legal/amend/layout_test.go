package amend_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	goldenfile "github.com/redline-watch/redline/internal/golden"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/amend"
)

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

// The fixture holds a "(new)" recital, a deletion, a point whose right
// column has sub-points and runs onto the next page past a page footer and
// header, a new article continued on a page that holds only its column
// (printed at the left edge), and a replacement with a footnote in the
// Amendment column whose Commission column runs on alone onto the next page.
func TestParseLayoutGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "layout-fixture.txt"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := amend.ParseLayout(string(in))
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "layout-fixture.golden.json", append(out, '\n'))

	// The points the golden file must show, spelled out.
	if len(doc.Amendments) != 5 {
		t.Fatalf("%d amendments, want 5", len(doc.Amendments))
	}
	want := []struct {
		path string
		op   redline.AmendOp
		text string
	}{
		{"recital 3a", redline.OpInsert, "Remote biometric identification in publicly accessible spaces is an intrusive form of mass surveillance and should not be allowed."},
		{"Article 5(1)(d)(i)", redline.OpDelete, ""},
		{"Article 5(1)(h)", redline.OpReplace, "the use of emotion recognition systems, with the exception of:\n(i) systems used for medical reasons;\n(ii) systems placed on the market before the date of application, in accordance with Article 85;\nand in any event, the use of such systems at the workplace."},
		{"Article 4a", redline.OpInsert, "Principles applicable to all AI systems\n1. Operators shall develop and use AI systems in accordance with the following principles:\n(a) human agency and oversight;\n(b) privacy and data governance;\n(c) transparency.\n2. Paragraph 1 is without prejudice to obligations under Union law."},
		{"Annex III point 6(a)", redline.OpReplace, "AI systems intended to be used by or on behalf of law enforcement authorities, or by Union agencies, offices or bodies in support of law enforcement authorities as polygraphs and similar tools, insofar as their use is permitted under relevant Union and national law;"},
	}
	for i, w := range want {
		a := doc.Amendments[i]
		if a.Number != i+1 || a.Path != w.path || a.Op != w.op || a.Text != w.text {
			t.Errorf("amendment %d = %d %q %s\n%q\nwant %q %s\n%q", i+1, a.Number, a.Path, a.Op, a.Text, w.path, w.op, w.text)
		}
	}
	if o := doc.Amendments[4].Original; !strings.HasSuffix(o, "Parliament and of the Council; the use of such systems shall be logged and the logs kept for five years, unless national law provides otherwise. This point does not cover AI systems used for the analysis of aggregated data.") {
		t.Errorf("amendment 5 original %q", o)
	}
	if o := doc.Amendments[1].Original; o != "the targeted search for specific potential victims of crime;" {
		t.Errorf("amendment 2 original %q", o)
	}
	if doc.Title != "Example Surveillance Act — Amendments adopted by the European Parliament on 3 March 2031 on the proposal for a regulation on example surveillance rules (COM(2030)0123 – C9-0011/2030 – 2030/0077(COD))" {
		t.Errorf("title %q", doc.Title)
	}
	if got := strings.Join(doc.Identifiers, " | "); got != "P9_TA(2031)0042 | COM(2030)0123 | C9-0011/2030 | 2030/0077(COD) | A9-0042/2031" {
		t.Errorf("identifiers %s", got)
	}
}

func TestParseLayoutErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "no amendment found"},
		{"no table", "Amendment 1\n\nProposal for a regulation\nRecital 1\n\nsome text\n", "line 1: amendment 1: no table header"},
		{"no target", "Amendment 7\n\nProposal for a regulation\n\n    Text proposed by the Commission       Amendment\n\ntext        text\n", "line 1: amendment 7: no target"},
		{"bad target", "Amendment 2\nProposal for a regulation\nPreamble – indent 3\n    Text proposed by the Commission       Amendment\n", `line 1: amendment 2: target "Preamble – indent 3"`},
		{"plain prose", "Amendment 12 was adopted.\nAmendment 13\nwas rejected.\n", "no amendment found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := amend.ParseLayout(tc.text)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseLayout error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestLooksLikeAmendments(t *testing.T) {
	fixture, err := os.ReadFile(filepath.Join("testdata", "layout-fixture.txt"))
	if err != nil {
		t.Fatal(err)
	}
	xhtml, err := os.ReadFile(filepath.Join("testdata", "ep-amendments.xhtml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want bool
	}{
		{"layout text", fixture, true},
		{"xhtml", xhtml, true},
		{"crlf text", []byte("Amendment 3\r\n\r\nProposal for a regulation\r\nRecital 2\r\nText proposed by the Commission   Amendment\r\n"), true},
		{"proposal", []byte("Proposal for a REGULATION\nArticle 5\nProhibited practices\n1. The following shall be prohibited:"), false},
		{"mentions only", []byte("Amendment 12 of the text proposed by the Commission was adopted."), false},
		{"no-break spaces", []byte("<p class=\"oj-ti-grseq-1\">Amendment&#160;12</p><p>Article&nbsp;5</p><td>Text\u00a0proposed by the Commission</td><td>Amendment</td>"), true},
		{"empty", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := amend.LooksLikeAmendments(tc.data); got != tc.want {
				t.Errorf("LooksLikeAmendments = %v, want %v", got, tc.want)
			}
		})
	}
}
