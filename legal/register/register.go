// Package register turns legislative register pages (EUR-Lex procedure pages,
// Cellar procedure notices, the European Parliament's Open Data Portal API,
// the Legislative Observatory and SPARQL results) into a dossier timeline: a
// redline.Document of kind register whose Events are the procedure's stages
// and documents, so that a new stage or document is a change redline reports.
package register

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/redline-watch/redline"
)

// The register formats Detect reports; each is also the Document.Format of
// what Parse returns.
const (
	FormatEURLex = "eurlex-procedure" // EUR-Lex procedure page (HTML)
	FormatCellar = "cellar-rdf"       // Cellar RDF/XML tree notice of a procedure
	FormatEPAPI  = "ep-api-json"      // European Parliament Open Data Portal API v2, JSON-LD
	FormatOEIL   = "oeil-html"        // Legislative Observatory procedure file (HTML)
	FormatSPARQL = "sparql-json"      // SPARQL results, application/sparql-results+json
)

// ErrUnrecognised is returned by Parse for input that Detect does not
// recognise as a register page.
var ErrUnrecognised = errors.New("register: unrecognised input: not a EUR-Lex procedure page, Cellar RDF notice, EP API v2 JSON, OEIL procedure file or SPARQL JSON result")

// Detect reports the register format of data by its content, one of the
// Format constants, or "" if data is not a register page it can parse.
func Detect(data []byte) string {
	head := data[:min(len(data), 64<<10)]
	switch {
	case isJSON(data):
		return detectJSON(data)
	case bytes.Contains(head, []byte("22-rdf-syntax-ns#")) && bytes.Contains(head, []byte("publications.europa.eu/ontology/cdm")):
		return FormatCellar
	case containsFold(data, "eur-lex") && (bytes.Contains(data, []byte("'events':")) || bytes.Contains(data, []byte("eventRow"))):
		return FormatEURLex
	case containsFold(head, "Legislative Observatory") && bytes.Contains(data, []byte(`id="section3"`)):
		return FormatOEIL
	}
	return ""
}

// Parse parses a register page of any supported format, detected by content.
// Events are in chronological order, undated ones (possible only in SPARQL
// results) last. Events of the same date keep the order of the source, except
// in Cellar notices and EP API responses: their serialisations are unordered
// sets, so their events are first ordered by URI or id, and their documents
// sorted, lest a re-serialised response look like a change.
func Parse(data []byte) (*redline.Document, error) {
	var (
		doc *redline.Document
		err error
	)
	switch Detect(data) {
	case FormatEURLex:
		doc, err = parseEURLex(data)
	case FormatCellar:
		doc, err = parseCellar(data)
	case FormatEPAPI:
		doc, err = parseEPAPI(data)
	case FormatOEIL:
		doc, err = parseOEIL(data)
	case FormatSPARQL:
		doc, err = parseSPARQL(data)
	default:
		return nil, ErrUnrecognised
	}
	if err != nil {
		return nil, err
	}
	doc.Kind = redline.DocRegister
	sortEvents(doc.Events)
	return doc, nil
}

// isJSON reports whether data looks like a JSON object.
func isJSON(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	return len(t) > 0 && t[0] == '{'
}

// detectJSON tells SPARQL results from an EP API procedure.
func detectJSON(data []byte) string {
	var probe struct {
		Head    *json.RawMessage `json:"head"`
		Results *struct {
			Bindings *json.RawMessage `json:"bindings"`
		} `json:"results"`
		Data []struct {
			ID         string           `json:"id"`
			ConsistsOf *json.RawMessage `json:"consists_of"`
		} `json:"data"`
	}
	if json.Unmarshal(data, &probe) != nil {
		return ""
	}
	switch {
	case probe.Head != nil && probe.Results != nil && probe.Results.Bindings != nil:
		return FormatSPARQL
	case len(probe.Data) > 0 && (probe.Data[0].ConsistsOf != nil || bytes.HasPrefix([]byte(probe.Data[0].ID), []byte("eli/dl/proc/"))):
		return FormatEPAPI
	}
	return ""
}

// containsFold reports whether s contains the ASCII string sub, ignoring case.
func containsFold(s []byte, sub string) bool {
	return bytes.Contains(bytes.ToLower(s), bytes.ToLower([]byte(sub)))
}

// sortEvents orders events by date, undated ones last, keeping source order
// for equal dates.
func sortEvents(ev []redline.DossierEvent) {
	slices.SortStableFunc(ev, func(a, b redline.DossierEvent) int {
		switch {
		case a.Date == b.Date:
			return 0
		case a.Date == "":
			return 1
		case b.Date == "":
			return -1
		}
		return cmp.Compare(a.Date, b.Date)
	})
}

// isoDate returns the YYYY-MM-DD date at the start of s (which may go on
// with a time or zone, as xsd:dateTime does), or false if there is none.
func isoDate(s string) (string, bool) {
	if len(s) < 10 {
		return "", false
	}
	d := s[:10]
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		return "", false
	}
	return d, true
}

// dmyDate converts a dd/mm/yyyy date as printed by EUR-Lex and OEIL.
func dmyDate(s string) (string, bool) {
	t, err := time.Parse("02/01/2006", s)
	if err != nil {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// addDoc appends the identifier of raw to docs unless it is empty or already there.
func addDoc(docs []string, raw string) []string {
	id := docID(raw)
	if id == "" || slices.Contains(docs, id) {
		return docs
	}
	return append(docs, id)
}
