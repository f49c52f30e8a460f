package register

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/redline-watch/redline/legal/internal/norm"
)

// Registers print the same document number in many ways ("COM/2022/496/FINAL",
// "COM(2024)0469", "COM_2021_0231_FIN", "P9_TA(2021)0459", "T10-0022/2025",
// "52022PC0496", ...). They are reduced to one spelling each so that the same
// document is the same string in every format.
var (
	// Commission documents: COM/SWD/SEC/JOIN/C with year and number.
	reCommissionSlash = regexp.MustCompile(`^(COM|SWD|SEC|JOIN|C)/(\d{4})/0*(\d+)(?:/FINAL)?$`)
	reCommissionParen = regexp.MustCompile(`^(COM|SWD|SEC|JOIN|C) ?\((\d{4})\) ?0*(\d+)(?: ?(?i:final))?$`)
	reCommissionUnder = regexp.MustCompile(`^(COM|SWD|SEC|JOIN)_(\d{4})_0*(\d+)(?:_FIN(?:AL)?)?$`)
	// Parliament session documents: A10-0006/2025, T10-0022/2025, P9_TA(2021)0459, A-9-2023-0188.
	reEPSlash = regexp.MustCompile(`^(A|B|T|TA)(\d{1,2})-(\d{4})/(\d{4})$`)
	reEPParen = regexp.MustCompile(`^P(\d{1,2})_(A|B|TA)\((\d{4})\)(\d{4})$`)
	// Council documents in URI form: ST_13079_2022_ADD_3_REV_1.
	reCouncilUnder = regexp.MustCompile(`^(ST|PE|CM|SN|DS|WK)_(\d+)_(\d{4})_([A-Z0-9_]+)$`)
	// A CELEX number: sector, year, type letters, number and optional suffix.
	reCELEX = regexp.MustCompile(`^(?i:celex:)?([0-9CE]\d{4}[A-Z]{1,2}\d[0-9A-Z()_.-]*)$`)
)

// docID returns the canonical spelling of a document identifier: Commission
// documents as "COM(2022) 496", Parliament session documents as
// "TA-9-2023-0236", Council documents as "ST 13079 2022 INIT", CELEX numbers
// as "CELEX:52022PC0496"; anything else is returned normalised as printed.
func docID(raw string) string {
	s := strings.Trim(norm.Text(raw), " ;,.")
	if s == "" {
		return ""
	}
	if m := reCommissionSlash.FindStringSubmatch(s); m != nil {
		return m[1] + "(" + m[2] + ") " + m[3]
	}
	if m := reCommissionParen.FindStringSubmatch(s); m != nil {
		return m[1] + "(" + m[2] + ") " + m[3]
	}
	if m := reCommissionUnder.FindStringSubmatch(s); m != nil {
		return m[1] + "(" + m[2] + ") " + m[3]
	}
	if m := reEPSlash.FindStringSubmatch(s); m != nil {
		kind := m[1]
		if kind == "T" {
			kind = "TA"
		}
		return kind + "-" + m[2] + "-" + m[4] + "-" + m[3]
	}
	if m := reEPParen.FindStringSubmatch(s); m != nil {
		return m[2] + "-" + m[1] + "-" + m[3] + "-" + m[4]
	}
	if m := reCouncilUnder.FindStringSubmatch(s); m != nil {
		return m[1] + " " + m[2] + " " + m[3] + " " + strings.ReplaceAll(m[4], "_", " ")
	}
	if m := reCELEX.FindStringSubmatch(s); m != nil {
		return "CELEX:" + m[1]
	}
	return s
}

// uriDocID returns the identifier of the document a Cellar or EP URI names:
// its last path segment, unescaped, in docID's spelling.
func uriDocID(uri string) string {
	seg := uri[strings.LastIndexAny(uri, "/#")+1:]
	if u, err := url.PathUnescape(seg); err == nil {
		seg = u
	}
	return docID(seg)
}

// procedureRef returns a procedure reference such as "2021/0118/COD" or
// "2021_118" in the usual form "2021/0118(COD)"; ok is false if s is not one.
func procedureRef(s string) (string, bool) {
	m := reProcedure.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	num := m[2]
	if len(num) < 4 {
		num = strings.Repeat("0", 4-len(num)) + num
	}
	return m[1] + "/" + num + "(" + m[3] + ")", true
}

// reProcedure matches "2022/0303/COD", "2022/0303(COD)" and "Procedure 2022/0303/COD".
var reProcedure = regexp.MustCompile(`(\d{4})/(\d{1,4}) ?[/(]([A-Z]{3})\)?`)
