package register

import "testing"

func TestDocID(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"COM slash", "COM/2022/496/FINAL", "COM(2022) 496"},
		{"SEC slash", "SEC/2022/344", "SEC(2022) 344"},
		{"COM OEIL", "COM(2024)0469", "COM(2024) 469"},
		{"COM spaced", "COM (2022) 496", "COM(2022) 496"},
		{"COM final", "COM(2021) 206 final", "COM(2021) 206"},
		{"COM Cellar immc", "COM(2021)231 final", "COM(2021) 231"},
		{"COM comnat", "COM_2021_0231_FIN", "COM(2021) 231"},
		{"SWD", "SWD/2022/319/FINAL", "SWD(2022) 319"},
		{"EP report OEIL", "A10-0006/2025", "A-10-2025-0006"},
		{"EP text OEIL", "T10-0022/2025", "TA-10-2025-0022"},
		{"EP report print", "A9-0188/2023", "A-9-2023-0188"},
		{"EP text Cellar", "P9_TA(2021)0459", "TA-9-2021-0459"},
		{"EP report Cellar", "P9_A(2021)0293", "A-9-2021-0293"},
		{"EP API id", "TA-10-2026-0197", "TA-10-2026-0197"},
		{"Council URI", "ST_13079_2022_ADD_3_REV_1", "ST 13079 2022 ADD 3 REV 1"},
		{"Council", "ST 13079 2022 INIT", "ST 13079 2022 INIT"},
		{"CELEX", "52022PC0496", "CELEX:52022PC0496"},
		{"CELEX corrigendum", "52022SC0320R(01)", "CELEX:52022SC0320R(01)"},
		{"CELEX prefixed", "celex:32024R1689", "CELEX:32024R1689"},
		{"CELEX consolidated", "02024R1689-20260727", "CELEX:02024R1689-20260727"},
		{"CELEX C sector", "C2023XC0012", "CELEX:C2023XC0012"},
		{"EESC", "EESC 2022-04704", "EESC 2022-04704"},
		{"EP PE number", "PE766.648", "PE766.648"},
		{"nbsp and trailing separator", "ST\u00a05904 2023 INIT ;", "ST 5904 2023 INIT"},
		{"empty", " ", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := docID(c.in); got != c.want {
				t.Errorf("docID(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestURIDocID(t *testing.T) {
	cases := []struct{ in, want string }{
		{"http://publications.europa.eu/resource/immc/ST%2014593%202021%20INIT", "ST 14593 2021 INIT"},
		{"http://publications.europa.eu/resource/celex/32021R2260", "CELEX:32021R2260"},
		{"http://publications.europa.eu/resource/immc/P9_TA%282021%290459", "TA-9-2021-0459"},
		{"http://publications.europa.eu/resource/comnat/COM_2021_0231_FIN", "COM(2021) 231"},
		{"http://publications.europa.eu/resource/immc/bad%zz", "bad%zz"},
		{"http://example.org/", ""},
	}
	for _, c := range cases {
		if got := uriDocID(c.in); got != c.want {
			t.Errorf("uriDocID(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestProcedureRef(t *testing.T) {
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{"Procedure 2022/0303/COD", "2022/0303(COD)", true},
		{"2021/0118/COD", "2021/0118(COD)", true},
		{"2024/0258(COD)", "2024/0258(COD)", true},
		{"2099/7/CNS", "2099/0007(CNS)", true},
		{"Regulation (EU) 2024/1689", "", false},
	}
	for _, c := range cases {
		got, ok := procedureRef(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("procedureRef(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
