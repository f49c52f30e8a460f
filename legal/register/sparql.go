package register

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/norm"
)

// sparqlResults is an application/sparql-results+json document.
type sparqlResults struct {
	Head *struct {
		Vars []string `json:"vars"`
	} `json:"head"`
	Results *struct {
		Bindings []map[string]sparqlTerm `json:"bindings"`
	} `json:"results"`
}

// sparqlTerm is one bound value: "uri", "literal", "typed-literal" or "bnode".
type sparqlTerm struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// sparqlRoles says which result variables feed which event field. A query
// may name its variables freely as long as they say what they hold:
// "date" or "*date*", "celex" or "*celex*", "title", "*title*" or "label",
// "type" and "institution".
type sparqlRoles struct {
	date, title, typ, institution string
	celex                         []string
}

// rolesOf assigns variables to roles, preferring exact names.
func rolesOf(vars []string) sparqlRoles {
	var r sparqlRoles
	pick := func(exact string, contains ...string) string {
		for _, v := range vars {
			if strings.EqualFold(v, exact) {
				return v
			}
		}
		for _, c := range contains {
			for _, v := range vars {
				if strings.Contains(strings.ToLower(v), c) {
					return v
				}
			}
		}
		return ""
	}
	r.date = pick("date", "date")
	r.title = pick("title", "title", "label")
	r.typ = pick("type")
	r.institution = pick("institution")
	for _, v := range vars {
		if strings.Contains(strings.ToLower(v), "celex") {
			r.celex = append(r.celex, v)
		}
	}
	return r
}

func parseSPARQL(data []byte) (*redline.Document, error) {
	var res sparqlResults
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("%s: %w", FormatSPARQL, err)
	}
	if res.Head == nil || res.Results == nil {
		return nil, fmt.Errorf("%s: missing head or results", FormatSPARQL)
	}
	roles := rolesOf(res.Head.Vars)
	if roles.date == "" && roles.title == "" && len(roles.celex) == 0 {
		return nil, fmt.Errorf("%s: head.vars %q has no date, celex or title variable", FormatSPARQL, res.Head.Vars)
	}
	doc := &redline.Document{Format: FormatSPARQL}
	for i, row := range res.Results.Bindings {
		var ev redline.DossierEvent
		if t, ok := row[roles.date]; ok && roles.date != "" {
			d, ok := isoDate(strings.TrimSpace(t.Value))
			if !ok {
				return nil, fmt.Errorf("%s: results.bindings[%d].%s: invalid date %q", FormatSPARQL, i, roles.date, t.Value)
			}
			ev.Date = d
		}
		ev.Title = norm.Text(row[roles.title].Value)
		ev.Type = termName(row[roles.typ])
		ev.Institution = termName(row[roles.institution])
		for _, v := range roles.celex {
			t, ok := row[v]
			if !ok {
				continue
			}
			id := uriDocID(t.Value)
			if id != "" && !strings.HasPrefix(id, "CELEX:") {
				id = "CELEX:" + id
			}
			ev.Documents = addDoc(ev.Documents, id)
		}
		doc.Events = append(doc.Events, ev)
	}
	return doc, nil
}

// termName returns a literal as written and a URI by its last segment
// ("http://publications.europa.eu/resource/authority/resource-type/REG" -> "REG").
func termName(t sparqlTerm) string {
	v := norm.Text(t.Value)
	if t.Type == "uri" {
		v = v[strings.LastIndexAny(v, "/#")+1:]
	}
	return v
}
