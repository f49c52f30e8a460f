package register

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/norm"
)

// Namespaces and URI prefixes of a Cellar procedure tree notice.
const (
	nsRDF          = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsCDM          = "http://publications.europa.eu/ontology/cdm#"
	uriEvent       = "/resource/procedure-event/"
	uriProcedure   = "/resource/procedure/"
	uriCorporation = "/resource/authority/corporate-body/"
)

// corporateBodies names the institutions of Cellar's corporate-body authority
// table as EUR-Lex procedure pages name them, so both formats agree.
var corporateBodies = map[string]string{
	"COM":    "European Commission",
	"CONSIL": "Council of the European Union",
	"EP":     "European Parliament",
	"EESC":   "Economic and Social Committee",
	"CDR":    "European Committee of the Regions",
	"ECB":    "European Central Bank",
}

// eventTitles gives the English labels EUR-Lex prints for Cellar event type
// codes (as seen on EUR-Lex procedure pages); the tree notice carries only
// the codes. Unknown codes get no title.
var eventTitles = map[string]string{
	"ADP_byCOM":         "Adoption by Commission",
	"ADP_PROPLEG_byCOM": "Adoption of legislative proposal by the Commission",
	"ADP_R1_POS_byEP":   "EP position at first reading",
	"APR_R1_byCONSIL":   "Approval of the EP's first reading position by the Council (adoption of the legislative act)",
	"DIS_byCONSIL":      "Discussions within the Council or its preparatory bodies",
	"OPI_byEESC":        "European Economic and Social Committee opinion",
	"OPI_R1_byEP_CMT":   "Adoption of an opinion by the EP opinion-giving committee",
	"REF_OF_byEP":       "Referral of the legislative proposal to the EP committee responsible (announced in plenary)",
	"SIGN_byEP_CONSIL":  "Signature by the President of the EP and by the President of the Council",
	"WDW_byCOM":         "Withdrawal by Commission",
}

// rdfNode is one subject of the notice with the properties we read.
type rdfNode struct {
	about string
	props []rdfProp
}

// rdfProp is one property: its local name in the CDM namespace (other
// namespaces are dropped), and either a resource URI or a literal.
type rdfProp struct {
	name, resource, text, lang string
}

// get returns the first value of the first of names the node has.
func (n *rdfNode) get(names ...string) string {
	for _, name := range names {
		for _, p := range n.props {
			if p.name == name {
				return cmp.Or(p.resource, strings.TrimSpace(p.text))
			}
		}
	}
	return ""
}

// all returns every value of the properties names, in order.
func (n *rdfNode) all(names ...string) []string {
	var out []string
	for _, p := range n.props {
		if slices.Contains(names, p.name) {
			out = append(out, cmp.Or(p.resource, strings.TrimSpace(p.text)))
		}
	}
	return out
}

// english returns the English literal of property name, or any literal if
// there is no English one.
func (n *rdfNode) english(name string) string {
	var other string
	for _, p := range n.props {
		if p.name != name || p.resource != "" {
			continue
		}
		if p.lang == "en" || p.lang == "eng" {
			return p.text
		}
		if other == "" && p.lang == "" {
			other = p.text
		}
	}
	return other
}

func parseCellar(data []byte) (*redline.Document, error) {
	var events, procedures []*rdfNode
	err := readRDF(data, func(n *rdfNode) {
		switch {
		case strings.Contains(n.about, uriEvent):
			events = append(events, n)
		case strings.Contains(n.about, uriProcedure):
			procedures = append(procedures, n)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FormatCellar, err)
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("%s: no procedure events (rdf:Description about %s...)", FormatCellar, uriEvent)
	}
	doc := &redline.Document{Format: FormatCellar}
	for _, p := range procedures {
		if ref, ok := procedureRef(p.get("procedure_code_interinstitutional_reference_procedure", "reference_procedure", "reference")); ok {
			doc.Identifiers = append(doc.Identifiers, ref)
			doc.Title = norm.Text(cmp.Or(p.english("dossier_title"), p.english("title")))
			doc.Identifiers = addURIDocs(doc.Identifiers, p.all("dossier_initiated_by_act_preparatory"))
			doc.Identifiers = addURIDocs(doc.Identifiers, p.all("dossier_produces_resource_legal"))
			break
		}
	}
	// The serialiser writes subjects and properties in no particular order,
	// so order by event URI for events of the same date and sort documents:
	// a re-serialised notice must not look like a change.
	slices.SortFunc(events, func(a, b *rdfNode) int { return cmp.Compare(a.about, b.about) })
	for _, n := range events {
		ev, err := cellarEvent(n)
		if err != nil {
			return nil, fmt.Errorf("%s: event %s: %w", FormatCellar, n.about, err)
		}
		doc.Events = append(doc.Events, ev)
	}
	return doc, nil
}

// cellarEvent converts one procedure-event subject.
func cellarEvent(n *rdfNode) (redline.DossierEvent, error) {
	raw := n.get("event_legal_date", "event_date", "date")
	date, ok := isoDate(raw)
	if !ok {
		return redline.DossierEvent{}, fmt.Errorf("missing or invalid cdm:event_legal_date %q", raw)
	}
	typ := n.get("event_legal_type", "type")
	if typ == "" {
		if t := n.get("event_legal_has_type_concept_type_event_legal", "has_type"); t != "" {
			typ = t[strings.LastIndexByte(t, '/')+1:]
		}
	}
	if typ == "" {
		if m := reEventKey.FindStringSubmatch(n.about[strings.LastIndexByte(n.about, '.')+1:]); m != nil {
			typ = m[2]
		}
	}
	ev := redline.DossierEvent{Date: date, Type: typ, Title: eventTitles[typ]}
	if body := n.get("event_legal_initiated_by_institution", "initiated_by"); strings.Contains(body, uriCorporation) {
		code := body[strings.LastIndexByte(body, '/')+1:]
		ev.Institution = cmp.Or(corporateBodies[code], code)
	}
	for _, ref := range n.all("event_legal_document_reference", "document_reference") {
		ev.Documents = addDoc(ev.Documents, ref)
	}
	ev.Documents = addURIDocs(ev.Documents, n.all("event_legal_contains_work", "event_contains_work", "contains"))
	slices.Sort(ev.Documents)
	return ev, nil
}

// addURIDocs appends the identifiers of the documents the URIs name.
func addURIDocs(docs, uris []string) []string {
	for _, u := range uris {
		if id := uriDocID(u); id != "" && !slices.Contains(docs, id) {
			docs = append(docs, id)
		}
	}
	return docs
}

// readRDF streams RDF/XML and calls node for every subject (rdf:Description
// or typed node) with an rdf:about, nested ones included. Only properties in
// the CDM namespace are kept; a nested subject's URI becomes the resource of
// the property that holds it.
func readRDF(data []byte, node func(*rdfNode)) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	type frame struct {
		node *rdfNode // set for a subject
		prop *rdfProp // set for a property
		text []byte   // a property's literal, which may come in pieces
	}
	var stack []frame
	sawRoot := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !sawRoot {
				if t.Name.Space != nsRDF || t.Name.Local != "RDF" {
					return fmt.Errorf("root element is <%s>, want rdf:RDF", t.Name.Local)
				}
				sawRoot = true
				stack = append(stack, frame{})
				continue
			}
			if len(stack) == 0 {
				return fmt.Errorf("element <%s> after the end of rdf:RDF", t.Name.Local)
			}
			top := stack[len(stack)-1]
			if top.node != nil {
				p := &rdfProp{}
				if t.Name.Space == nsCDM {
					p.name = t.Name.Local
				}
				for _, a := range t.Attr {
					switch {
					case a.Name.Space == nsRDF && a.Name.Local == "resource":
						p.resource = a.Value
					case a.Name.Local == "lang":
						p.lang = a.Value
					}
				}
				stack = append(stack, frame{prop: p})
				continue
			}
			n := &rdfNode{}
			for _, a := range t.Attr {
				if a.Name.Space == nsRDF && (a.Name.Local == "about" || a.Name.Local == "nodeID") {
					n.about = a.Value
				}
			}
			if top.prop != nil {
				top.prop.resource = n.about
			}
			stack = append(stack, frame{node: n})
		case xml.CharData:
			if len(stack) > 0 && stack[len(stack)-1].prop != nil {
				top := &stack[len(stack)-1]
				top.text = append(top.text, t...)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch {
			case top.node != nil:
				node(top.node)
			case top.prop != nil && top.prop.name != "":
				top.prop.text = string(top.text)
				parent := stack[len(stack)-1].node
				parent.props = append(parent.props, *top.prop)
			}
		}
	}
	if !sawRoot {
		return errors.New("no rdf:RDF element")
	}
	return nil
}
