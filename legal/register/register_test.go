package register_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	goldenfile "github.com/redline-watch/redline/internal/golden"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/register"
)

// Corpus file names.
const (
	eurlex303 = "eurlex-procedure-2022-0303-cod-ai-liability-directive.html"
	eurlex118 = "eurlex-procedure-2021-0118-cod.html"
	cellar118 = "cellar-procedure-2021-0118-cod.tree-notice.rdf"
	oeil258   = "oeil-procedure-file-2024-0258-cod.html"
	epapi260  = "ep-odp-api-v2-procedure-2025-0260.json"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func parse(t testing.TB, data []byte) *redline.Document {
	t.Helper()
	doc, err := register.Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return doc
}

// checkInvariants asserts what holds for every parsed register document.
func checkInvariants(t *testing.T, doc *redline.Document) {
	t.Helper()
	if doc.Kind != redline.DocRegister {
		t.Errorf("Kind = %q, want %q", doc.Kind, redline.DocRegister)
	}
	if len(doc.Provisions) != 0 {
		t.Errorf("%d provisions, want none", len(doc.Provisions))
	}
	prev := ""
	for i, e := range doc.Events {
		if e.Date == "" {
			prev = "9999-99-99" // undated events come last
			continue
		}
		if _, err := time.Parse(time.DateOnly, e.Date); err != nil {
			t.Errorf("event %d: date %q is not YYYY-MM-DD", i, e.Date)
		}
		if e.Date < prev {
			t.Errorf("event %d: date %s after %s: not chronological", i, e.Date, prev)
		}
		prev = e.Date
		for _, d := range e.Documents {
			if d == "" || d != strings.TrimSpace(d) {
				t.Errorf("event %d: bad document id %q", i, d)
			}
		}
	}
}

// hasEvent reports whether doc has an event equal to want.
func hasEvent(doc *redline.Document, want redline.DossierEvent) bool {
	for _, e := range doc.Events {
		if e.Date == want.Date && e.Institution == want.Institution && e.Type == want.Type &&
			e.Title == want.Title && slices.Equal(e.Documents, want.Documents) {
			return true
		}
	}
	return false
}

func TestParseCorpus(t *testing.T) {
	cases := []struct {
		name   string
		file   string
		format string
		events int
		title  string
		ids    []string
		want   []redline.DossierEvent
	}{
		{
			name: "eurlex 2022_303 AI liability", file: eurlex303, format: register.FormatEURLex, events: 14,
			title: "Proposal for a DIRECTIVE OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL on adapting non-contractual civil liability rules to artificial intelligence (AI Liability Directive)",
			ids:   []string{"2022/0303(COD)", "COM(2022) 496"},
			want: []redline.DossierEvent{
				{Date: "2022-09-29", Institution: "European Commission", Type: "ADP_PROPLEG_byCOM",
					Title: "Adoption of legislative proposal by the Commission",
					Documents: []string{"COM(2022) 496", "SEC(2022) 344", "SWD(2022) 318", "SWD(2022) 319", "SWD(2022) 320",
						"CELEX:52022SC0319", "CELEX:52022SC0320R(01)", "CELEX:52022PC0496", "CELEX:52022PC0496R(01)",
						"CELEX:52022SC0320", "CELEX:52022SC0318"}},
				{Date: "2022-10-03", Institution: "Council of the European Union", Type: "DIS_byCONSIL",
					Title:     "Discussions within the Council or its preparatory bodies",
					Documents: []string{"ST 13079 2022 ADD 1", "ST 13079 2022 ADD 2", "ST 13079 2022 ADD 3", "ST 13079 2022 ADD 4", "ST 13079 2022 INIT"}},
				{Date: "2023-01-25", Institution: "Economic and Social Committee", Type: "OPI_byEESC",
					Title: "European Economic and Social Committee opinion", Documents: []string{"EESC 2022-04704", "CELEX:52022AE4704"}},
				{Date: "2024-11-13", Institution: "European Parliament", Type: "REF_OF_byEP",
					Title: "Referral of the legislative proposal to the EP committee responsible (announced in plenary)"},
				{Date: "2025-10-06", Institution: "European Commission", Type: "WDW_byCOM",
					Title: "Withdrawal by Commission", Documents: []string{"CELEX:52025XC05423"}},
			},
		},
		{
			name: "eurlex 2021_118 insolvency annexes", file: eurlex118, format: register.FormatEURLex, events: 10,
			title: "Proposal for a REGULATION OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL replacing Annexes A and B to Regulation (EU) 2015/848 on insolvency proceedings",
			ids:   []string{"2021/0118(COD)", "COM(2021) 231", "CELEX:32021R2260"},
			want: []redline.DossierEvent{
				{Date: "2021-05-11", Institution: "European Commission", Type: "ADP_byCOM", Title: "Adoption by Commission",
					Documents: []string{"COM(2021) 231", "CELEX:52021PC0231"}},
				{Date: "2021-12-09", Institution: "Council of the European Union", Type: "APR_R1_byCONSIL",
					Title:     "Approval of the EP's first reading position by the Council (adoption of the legislative act)",
					Documents: []string{"ST 14867 2021 INIT"}},
				{Date: "2021-12-15", Institution: "European Parliament", Type: "SIGN_byEP_CONSIL",
					Title: "Signature by the President of the EP and by the President of the Council"},
			},
		},
		{
			name: "cellar 2021_118 tree notice", file: cellar118, format: register.FormatCellar, events: 11,
			title: "Proposal for a REGULATION OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL replacing Annexes A and B to Regulation (EU) 2015/848 on insolvency proceedings",
			ids:   []string{"2021/0118(COD)", "COM(2021) 231", "CELEX:32021R2260"},
			want: []redline.DossierEvent{
				{Date: "2021-05-11", Institution: "European Commission", Type: "ADP_byCOM", Title: "Adoption by Commission",
					Documents: []string{"COM(2021) 231"}},
				{Date: "2021-05-20", Institution: "Council of the European Union", Type: "DIS_byCONSIL",
					Title:     "Discussions within the Council or its preparatory bodies",
					Documents: []string{"ST 8877 2021 ADD 1", "ST 8877 2021 INIT"}},
				{Date: "2021-11-23", Institution: "European Parliament", Type: "ADP_R1_POS_byEP", Title: "EP position at first reading",
					Documents: []string{"A-9-2021-0293", "TA-9-2021-0459"}},
				{Date: "2021-12-20", Type: "PUB_OJ", Documents: []string{"CELEX:32021R2260"}},
			},
		},
		{
			name: "oeil 2024/0258(COD)", file: oeil258, format: register.FormatOEIL, events: 14 + 12,
			title: "Establishing the Reform and Growth Facility for Moldova",
			ids:   []string{"2024/0258(COD)"},
			want: []redline.DossierEvent{
				{Date: "2024-10-09", Type: "Legislative proposal published", Title: "Legislative proposal published",
					Documents: []string{"COM(2024) 469"}},
				{Date: "2025-03-06", Type: "Approval in committee of the text agreed at 1st reading interinstitutional negotiations",
					Title:     "Approval in committee of the text agreed at 1st reading interinstitutional negotiations",
					Documents: []string{"PE770.077", "GEDA/A/(2025)001013"}},
				{Date: "2025-03-10", Type: "Debate in Parliament", Title: "Debate in Parliament", Documents: []string{"CRE-10-2025-03-10-TOC"}},
				{Date: "2025-03-11", Type: "Decision by Parliament, 1st reading", Title: "Decision by Parliament, 1st reading",
					Documents: []string{"TA-10-2025-0022"}},
				{Date: "2025-03-21", Type: "Final act published in Official Journal", Title: "Final act published in Official Journal"},
				{Date: "2025-01-16", Institution: "European Parliament", Type: "Committee opinion", Title: "Committee opinion (INTA)",
					Documents: []string{"PE766.713"}},
				{Date: "2025-02-26", Institution: "Council of the EU", Type: "Coreper letter confirming interinstitutional agreement",
					Title: "Coreper letter confirming interinstitutional agreement", Documents: []string{"GEDA/A/(2025)001013"}},
				{Date: "2025-02-18", Institution: "National parliaments", Type: "Contribution", Title: "Contribution (ES_PARLIAMENT)",
					Documents: []string{"COM(2024) 469"}},
			},
		},
		{
			name: "ep api 2025-0260", file: epapi260, format: register.FormatEPAPI, events: 23,
			title: "Non-application of customs duties on imports of certain goods",
			ids:   []string{"2025/0260(COD)"},
			want: []redline.DossierEvent{
				{Date: "2025-10-20", Institution: "European Parliament", Type: "REFERRAL", Title: "Referral"},
				{Date: "2026-03-19", Institution: "European Parliament", Type: "COMMITTEE_ADOPTING_REPORT", Title: "Committee adopting report"},
				{Date: "2026-03-26", Institution: "European Parliament", Type: "PLENARY_AMEND", Title: "Plenary amend",
					Documents: []string{"TA-10-2026-0097"}},
				{Date: "2026-06-16", Institution: "European Parliament", Type: "PLENARY_ADOPT_POSITION", Title: "Plenary adopt position",
					Documents: []string{"TA-10-2026-0197"}},
				{Date: "2026-03-26", Institution: "European Parliament", Type: "PLENARY_DEBATE", Title: "Plenary debate",
					Documents: []string{"A-10-2026-0069", "A-10-2026-0070", "C-10-2025-0192", "C-10-2025-0193",
						"CRE-10-2026-03-26-ITM-003", "PV-10-2026-03-26-ITM-003"}},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := register.ReadCorpus(t, c.file)
			if got := register.Detect(data); got != c.format {
				t.Errorf("Detect = %q, want %q", got, c.format)
			}
			doc := parse(t, data)
			checkInvariants(t, doc)
			if doc.Format != c.format {
				t.Errorf("Format = %q, want %q", doc.Format, c.format)
			}
			if len(doc.Events) != c.events {
				t.Errorf("%d events, want %d", len(doc.Events), c.events)
			}
			if doc.Title != c.title {
				t.Errorf("Title = %q, want %q", doc.Title, c.title)
			}
			if !slices.Equal(doc.Identifiers, c.ids) {
				t.Errorf("Identifiers = %q, want %q", doc.Identifiers, c.ids)
			}
			for _, w := range c.want {
				if !hasEvent(doc, w) {
					t.Errorf("missing event %+v", w)
				}
			}
			checkGolden(t, strings.TrimSuffix(c.file, filepath.Ext(c.file))+".json", doc)
		})
	}
}

// checkGolden compares doc as indented JSON with testdata/golden/name.
func checkGolden(t *testing.T, name string, doc *redline.Document) {
	t.Helper()
	got, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	goldenfile.Check(t, filepath.Join("testdata", "golden", name), got)
}

// The Cellar notice and the EUR-Lex page of procedure 2021/0118(COD) are two
// views of the same data and must agree on every stage the page shows.
func TestCellarAgreesWithEURLexPage(t *testing.T) {
	page := parse(t, register.ReadCorpus(t, eurlex118))
	notice := parse(t, register.ReadCorpus(t, cellar118))
	if page.Title != notice.Title || !slices.Equal(page.Identifiers, notice.Identifiers) {
		t.Errorf("page %q %q, notice %q %q: title or identifiers differ", page.Title, page.Identifiers, notice.Title, notice.Identifiers)
	}
	// Where the documents legitimately differ: the page adds the CELEX number
	// of the proposal, which the notice links from the work, not the event;
	// the notice names the EP report, the adopted text and the signed act
	// (PE-CONS), which the page shows only on the EP's own site.
	type diff struct{ onlyPage, onlyNotice []string }
	docDiffs := map[string]diff{
		"2021-05-11 ADP_byCOM":        {onlyPage: []string{"CELEX:52021PC0231"}},
		"2021-11-23 ADP_R1_POS_byEP":  {onlyNotice: []string{"A-9-2021-0293", "TA-9-2021-0459"}},
		"2021-12-15 SIGN_byEP_CONSIL": {onlyNotice: []string{"PE 73 2021 REV 1"}},
	}
	byKey := map[string]redline.DossierEvent{}
	for _, e := range notice.Events {
		byKey[e.Date+" "+e.Type] = e
	}
	for _, p := range page.Events {
		key := p.Date + " " + p.Type
		n, ok := byKey[key]
		if !ok {
			t.Errorf("page event %s not in the notice", key)
			continue
		}
		delete(byKey, key)
		if p.Institution != n.Institution || p.Title != n.Title {
			t.Errorf("%s: page %q/%q, notice %q/%q", key, p.Institution, p.Title, n.Institution, n.Title)
		}
		want := docDiffs[key]
		if got := setMinus(p.Documents, n.Documents); !slices.Equal(got, want.onlyPage) {
			t.Errorf("%s: documents only on the page %q, want %q", key, got, want.onlyPage)
		}
		if got := setMinus(n.Documents, p.Documents); !slices.Equal(got, want.onlyNotice) {
			t.Errorf("%s: documents only in the notice %q, want %q", key, got, want.onlyNotice)
		}
	}
	// The page stops at the signature; the notice also records publication.
	if len(byKey) != 1 || byKey["2021-12-20 PUB_OJ"].Type == "" {
		t.Errorf("events only in the notice: %v, want just 2021-12-20 PUB_OJ", byKey)
	}
}

// setMinus returns the elements of a that are not in b, sorted.
func setMinus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

// The two timelines of a EUR-Lex page must agree; the script holds events
// the rows leave out (EP stages without documents of their own).
func TestEURLexScriptAgreesWithRows(t *testing.T) {
	cases := []struct {
		file       string
		scriptOnly []string
	}{
		{eurlex303, []string{"2022-10-06_REF_OF_byEP", "2024-11-13_REF_OF_byEP", "2025-05-20_OPI_R1_byEP_CMT"}},
		{eurlex118, []string{"2021-05-17_REF_OF_byEP"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			script, rows, err := register.EURLexSources(register.ReadCorpus(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			fromScript := map[string]redline.DossierEvent{}
			for _, s := range script {
				fromScript[s.Key] = s.Event
			}
			for _, r := range rows {
				s, ok := fromScript[r.Key]
				if !ok {
					t.Errorf("row %s not in the script", r.Key)
					continue
				}
				delete(fromScript, r.Key)
				if s.Date != r.Event.Date || s.Type != r.Event.Type || s.Title != r.Event.Title ||
					!slices.Equal(s.Documents, r.Event.Documents) {
					t.Errorf("%s: script %+v, row %+v", r.Key, s, r.Event)
				}
				// The rows name the lane of a joint event ("European
				// Parliament & Council of the European Union"); the script
				// names one actor.
				if s.Institution != r.Event.Institution && !strings.Contains(r.Event.Institution, s.Institution) {
					t.Errorf("%s: institution: script %q, row %q", r.Key, s.Institution, r.Event.Institution)
				}
			}
			var only []string
			for k := range fromScript {
				only = append(only, k)
			}
			slices.Sort(only)
			if !slices.Equal(only, c.scriptOnly) {
				t.Errorf("events only in the script %q, want %q", only, c.scriptOnly)
			}
		})
	}
}

// The self-made fixtures run without the corpus and pin every field.
func TestParseFixtures(t *testing.T) {
	cases := []struct {
		file   string
		format string
		title  string
		ids    []string
		events []redline.DossierEvent
	}{
		{
			file: "eurlex-mini.html", format: register.FormatEURLex, title: "Proposal for a REGULATION on test dossiers",
			ids: []string{"2099/0007(COD)", "COM(2099) 12", "CELEX:32099R0001"},
			events: []redline.DossierEvent{
				{Date: "2099-01-15", Institution: "European Commission", Type: "ADP_PROPLEG_byCOM",
					Title:     "Adoption of legislative proposal by the Commission",
					Documents: []string{"COM(2099) 12", "SWD(2099) 3", "CELEX:52099PC0012"}},
				{Date: "2099-03-04", Institution: "Council of the European Union", Type: "DIS_byCONSIL",
					Title:     "Discussions within the Council or its preparatory bodies",
					Documents: []string{"ST 100 2099 INIT", "ST 100 2099 ADD 1"}},
				{Date: "2099-03-04", Institution: "European Parliament", Type: "REF_OF_byEP", Title: "Approval of the EP's position – referral"},
				{Date: "2099-05-06", Institution: "Council of the European Union", Type: "ADP_FRM_byCONSIL",
					Title: "Formal adoption by Council", Documents: []string{"PE 5 2099 INIT"}},
			},
		},
		{
			file: "cellar-mini.rdf", format: register.FormatCellar, title: "Proposal for a REGULATION on test dossiers",
			ids: []string{"2099/0007(COD)", "COM(2099) 12"},
			events: []redline.DossierEvent{
				{Date: "2099-01-15", Institution: "European Commission", Type: "ADP_PROPLEG_byCOM",
					Title: "Adoption of legislative proposal by the Commission", Documents: []string{"COM(2099) 12", "SWD(2099) 3"}},
				{Date: "2099-03-04", Institution: "European Parliament", Type: "ADP_R1_POS_byEP",
					Title: "EP position at first reading", Documents: []string{"TA-10-2099-0042"}},
				{Date: "2099-06-01", Type: "PUB_OJ", Documents: []string{"CELEX:32099R0001"}},
			},
		},
		{
			file: "ep-mini.json", format: register.FormatEPAPI, title: "Test dossiers", ids: []string{"2099/0007(COD)"},
			events: []redline.DossierEvent{
				{Date: "2099-01-20", Institution: "European Parliament", Type: "REFERRAL", Title: "Committee referral announced in plenary"},
				{Date: "2099-03-01", Institution: "European Parliament", Type: "TABLING_PLENARY", Title: "Tabling plenary",
					Documents: []string{"A-10-2099-0010", "A-10-2099-0011"}},
				{Date: "2099-03-04", Institution: "European Parliament", Type: "PLENARY_ADOPT_POSITION", Title: "Plenary adopt position",
					Documents: []string{"TA-10-2099-0042"}},
			},
		},
		{
			file: "oeil-mini.html", format: register.FormatOEIL, title: "Test dossiers", ids: []string{"2099/0007(COD)"},
			events: []redline.DossierEvent{
				{Date: "2099-01-15", Type: "Legislative proposal published", Title: "Legislative proposal published", Documents: []string{"COM(2099) 12"}},
				{Date: "2099-02-20", Institution: "European Parliament", Type: "Committee opinion", Title: "Committee opinion (INTA)", Documents: []string{"PE700.001"}},
				{Date: "2099-03-04", Type: "Debate in Parliament", Title: "Debate in Parliament", Documents: []string{"CRE-10-2099-03-04-TOC"}},
				{Date: "2099-03-04", Type: "Decision by Parliament, 1st reading", Title: "Decision by Parliament, 1st reading",
					Documents: []string{"TA-10-2099-0042", "GEDA/A/(2099)000001"}},
				{Date: "2099-05-10", Institution: "Council of the EU", Type: "Draft final act", Title: "Draft final act", Documents: []string{"00007/2099/LEX"}},
			},
		},
		{
			file: "sparql-amending-works.json", format: register.FormatSPARQL,
			events: []redline.DossierEvent{
				{Date: "2026-07-08", Type: "amends", Title: "Regulation (EU) 2026/1744 of the European Parliament and of the Council of 8 July 2026 amending Regulations (EU) 2024/1689 and (EU) 2018/1139 as regards the simplification of the implementation of harmonised rules on artificial intelligence (Digital Omnibus on AI)",
					Documents: []string{"CELEX:32026R1744"}},
				{Date: "2026-07-08", Type: "REG", Title: "Regulation (EU) 2026/1744 (second title row)", Documents: []string{"CELEX:32026R1744"}},
				{Date: "2026-07-27", Type: "consolidates", Title: "Regulation (EU) 2024/1689 of the European Parliament and of the Council of 13 June 2024 laying down harmonised rules on artificial intelligence (consolidated text)",
					Documents: []string{"CELEX:02024R1689-20260727"}},
				{Type: "amends", Title: "Corrigendum to Regulation (EU) 2024/1689", Documents: []string{"CELEX:32024R1689R(01)"}},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			data := readTestdata(t, c.file)
			if got := register.Detect(data); got != c.format {
				t.Errorf("Detect = %q, want %q", got, c.format)
			}
			doc := parse(t, data)
			checkInvariants(t, doc)
			if doc.Format != c.format || doc.Title != c.title || !slices.Equal(doc.Identifiers, c.ids) {
				t.Errorf("Format, Title, Identifiers = %q, %q, %q; want %q, %q, %q",
					doc.Format, doc.Title, doc.Identifiers, c.format, c.title, c.ids)
			}
			if len(doc.Events) != len(c.events) {
				t.Fatalf("%d events, want %d: %+v", len(doc.Events), len(c.events), doc.Events)
			}
			for i, want := range c.events {
				got := doc.Events[i]
				if got.Date != want.Date || got.Institution != want.Institution || got.Type != want.Type ||
					got.Title != want.Title || !slices.Equal(got.Documents, want.Documents) {
					t.Errorf("event %d:\n got %+v\nwant %+v", i, got, want)
				}
			}
		})
	}
}

func TestDetectNonRegister(t *testing.T) {
	cases := []struct{ name, file string }{
		{"OJ XHTML", "not-register/oj-snippet.xhtml"},
		{"PDF header", "not-register/pdf-header.pdf"},
		{"plain text", "not-register/plain.txt"},
		{"other JSON", "not-register/other.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := readTestdata(t, c.file)
			if got := register.Detect(data); got != "" {
				t.Errorf("Detect = %q, want \"\"", got)
			}
			if _, err := register.Parse(data); !errors.Is(err, register.ErrUnrecognised) {
				t.Errorf("Parse error = %v, want ErrUnrecognised", err)
			}
		})
	}
	t.Run("AI Act OJ page", func(t *testing.T) {
		if got := register.Detect(register.ReadCorpus(t, "ai-act-2024-1689.eurlex-oj.html")); got != "" {
			t.Errorf("Detect = %q, want \"\"", got)
		}
	})
}

func TestParseErrors(t *testing.T) {
	const (
		eurlexHead = `<html><head><title>EUR-Lex - 2099_7 - EN - EUR-Lex</title></head><body>`
		rdfHead    = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cdm="http://publications.europa.eu/ontology/cdm#">`
		oeilHead   = `<html><head><title>Procedure File: 2099/0007(COD) | Legislative Observatory | European Parliament</title></head><body>`
	)
	cases := []struct{ name, input, want string }{
		{"eurlex bad script", eurlexHead + `<script>var json = {'events':[{'eid':'eid1', 'title' 'x'}]};</script>`,
			`eurlex-procedure: var json: offset 35: expected ':' after key "title"`},
		{"eurlex script without events", eurlexHead + `<script>var json = {'startYear':'2099', 'eventRow': 1};</script>`,
			"eurlex-procedure: var json: no 'events' list"},
		{"eurlex event without date", eurlexHead + `<script>var json = {'events':[{'eid':'eid1','startYear':'2099','title':'x'}]};</script>`,
			`eurlex-procedure: var json: events[0] (eid1): invalid date "2099--" from startYear/startMonth/startDay`},
		{"eurlex link with other date", eurlexHead + `<script>var json = {'events':[{'eid':'eid1','startYear':'2099','startMonth':'01','startDay':'02','link':'2099-01-03_ADP_byCOM'}]};</script>`,
			`link "2099-01-03_ADP_byCOM" does not match date 2099-01-02`},
		{"eurlex row without date", eurlexHead + `<div id="2099-01-02_ADP_byCOM" class="eventRow"><div class="eventTitle">Adoption</div></div>`,
			`eurlex-procedure: div.eventRow 1 (2099-01-02_ADP_byCOM): missing or invalid .eventDate ""`},
		{"eurlex without events", eurlexHead + `<p>'events': none, eventRow none</p>`,
			"eurlex-procedure: no events: neither div.eventRow rows nor a 'var json' events list"},
		{"cellar truncated", rdfHead + `<rdf:Description rdf:about="x">`, "cellar-rdf: xml: XML syntax error"},
		{"cellar wrong root", `<foo xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cdm="http://publications.europa.eu/ontology/cdm#"/>`,
			"cellar-rdf: root element is <foo>, want rdf:RDF"},
		{"cellar no events", rdfHead + `<rdf:Description rdf:about="http://publications.europa.eu/resource/procedure/2099_7"/></rdf:RDF>`,
			"cellar-rdf: no procedure events"},
		{"cellar event without date", rdfHead + `<rdf:Description rdf:about="http://publications.europa.eu/resource/procedure-event/2099_7.x"><cdm:type>ADP_byCOM</cdm:type></rdf:Description></rdf:RDF>`,
			`cellar-rdf: event http://publications.europa.eu/resource/procedure-event/2099_7.x: missing or invalid cdm:event_legal_date ""`},
		{"ep event without date", `{"data":[{"id":"eli/dl/proc/2099-0007","consists_of":[{"id":"e1","had_activity_type":"def/ep-activities/REFERRAL"}]}]}`,
			`ep-api-json: data[0].consists_of[0] (e1): missing or invalid activity_date ""`},
		{"ep event without type", `{"data":[{"id":"eli/dl/proc/2099-0007","consists_of":[{"id":"e1","activity_date":"2099-01-02"}]}]}`,
			"ep-api-json: data[0].consists_of[0] (e1): missing had_activity_type"},
		{"ep bad document list", `{"data":[{"id":"eli/dl/proc/2099-0007","consists_of":[{"id":"e1","based_on_a_realization_of":7}]}]}`,
			"ep-api-json: want a string or an array of strings"},
		{"oeil without table", oeilHead + `<div id="section3"><h2>Key events</h2></div>`,
			"oeil-html: no key events table in #section3"},
		{"oeil without date column", oeilHead + `<div id="section3"><table><thead><tr><th>Event</th></tr></thead></table></div>`,
			"oeil-html: #section3 table: no Date and Event/Document type columns"},
		{"oeil bad date", oeilHead + `<div id="section3"><table><thead><tr><th>Date</th><th>Event</th></tr></thead><tbody><tr><td>2099-01-02</td><td>x</td></tr></tbody></table></div>`,
			`oeil-html: #section3 table row 1: missing or invalid date "2099-01-02"`},
		{"sparql without roles", `{"head":{"vars":["work"]},"results":{"bindings":[]}}`,
			`sparql-json: head.vars ["work"] has no date, celex or title variable`},
		{"sparql bad date", `{"head":{"vars":["celex","date"]},"results":{"bindings":[{"date":{"type":"literal","value":"8 July 2026"}}]}}`,
			`sparql-json: results.bindings[0].date: invalid date "8 July 2026"`},
		{"sparql bad bindings", `{"head":{"vars":["date"]},"results":{"bindings":{}}}`, "sparql-json: json: cannot unmarshal"},
		{"empty", "", "unrecognised input"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := register.Parse([]byte(c.input))
			if err == nil {
				t.Fatalf("Parse succeeded with %+v, want error containing %q", doc, c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"eurlex-mini.html", "cellar-mini.rdf", "ep-mini.json", "oeil-mini.html",
		"sparql-amending-works.json", "not-register/oj-snippet.xhtml", "not-register/plain.txt"} {
		f.Add(readTestdata(f, name))
	}
	f.Add([]byte(`<html>EUR-Lex<script>var json = {'events':[{'startYear':'2099','startMonth':'1','startDay':'2','link':'x_'}]}</script></html>`))
	f.Add([]byte(`{"head":{"vars":["date","celex"]},"results":{"bindings":[{"celex":{"type":"uri","value":"/"}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := register.Parse(data)
		if err != nil {
			return
		}
		if doc.Kind != redline.DocRegister || doc.Format != register.Detect(data) {
			t.Fatalf("Kind %q Format %q, Detect %q", doc.Kind, doc.Format, register.Detect(data))
		}
		checkInvariants(t, doc)
	})
}

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{eurlex303, eurlex118, cellar118, oeil258, epapi260} {
		b.Run(name, func(b *testing.B) {
			data := register.ReadCorpus(b, name)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := register.Parse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
