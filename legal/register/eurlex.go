package register

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/norm"
)

// A EUR-Lex procedure page carries its timeline twice: as div.eventRow rows
// in the "Steps of procedure" list and as a JavaScript object behind the
// graphical timeline. Neither is complete on its own: the rows leave out
// Parliament stages such as referrals and committee opinions, and a page
// could ship without the script. Events from the script come first and the
// rows fill in what it lacks; both share the event key
// "2022-09-29_ADP_PROPLEG_byCOM" (date_TYPE_byACTOR). Type is the code after
// the date, actor suffix included, as Cellar's cdm:event_legal_type spells it.

// reEventKey splits an event key into date and type code.
var reEventKey = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})_(.+)$`)

// eurlexEvent is an event with the key that pairs the two sources.
type eurlexEvent struct {
	key string
	ev  redline.DossierEvent
}

func parseEURLex(data []byte) (*redline.Document, error) {
	page, err := eurlexPage(data)
	if err != nil {
		return nil, err
	}
	scripted, err := eurlexScriptEvents(page)
	if err != nil {
		return nil, err
	}
	rows, err := eurlexRowEvents(page)
	if err != nil {
		return nil, err
	}
	if scripted == nil && len(rows) == 0 {
		return nil, fmt.Errorf("%s: no events: neither div.eventRow rows nor a 'var json' events list", FormatEURLex)
	}
	doc := &redline.Document{Format: FormatEURLex}
	eurlexHeader(page, doc)
	doc.Events = mergeEURLex(scripted, rows)
	return doc, nil
}

// eurlexPage parses the HTML of a procedure page.
func eurlexPage(data []byte) (*goquery.Document, error) {
	page, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: read html: %w", FormatEURLex, err)
	}
	return page, nil
}

// mergeEURLex returns the scripted events, completed with the documents and
// institutions of the rows with the same key, followed by rows the script lacks.
func mergeEURLex(scripted, rows []eurlexEvent) []redline.DossierEvent {
	byKey := map[string][]int{}
	out := make([]redline.DossierEvent, 0, len(scripted)+len(rows))
	for i, e := range scripted {
		byKey[e.key] = append(byKey[e.key], i)
		out = append(out, e.ev)
	}
	for _, r := range rows {
		idx := byKey[r.key]
		if len(idx) == 0 {
			out = append(out, r.ev)
			continue
		}
		byKey[r.key] = idx[1:]
		e := &out[idx[0]]
		for _, d := range r.ev.Documents {
			if !slices.Contains(e.Documents, d) {
				e.Documents = append(e.Documents, d)
			}
		}
		if e.Institution == "" {
			e.Institution = r.ev.Institution
		}
		if e.Title == "" {
			e.Title = r.ev.Title
		}
	}
	return out
}

// eurlexHeader fills the document title and identifiers from the page head
// and the procedure heading.
func eurlexHeader(page *goquery.Document, doc *redline.Document) {
	title, _ := page.Find(`meta[name="WT.z_docTitle"]`).Attr("content")
	heading := page.Find("#procedureHeading").First()
	if ref, ok := procedureRef(norm.Text(heading.Find("b").First().Text())); ok {
		doc.Identifiers = append(doc.Identifiers, ref)
	} else if id, ok := page.Find(`meta[name="WT.z_docID"]`).Attr("content"); ok {
		doc.Identifiers = append(doc.Identifiers, norm.Text(id))
	}
	// "COM (2022) 496: Proposal for a DIRECTIVE ..."
	lead := norm.Text(heading.Find("p").First().Text())
	if number, rest, ok := strings.Cut(lead, ":"); ok && reCommissionParen.MatchString(number) {
		doc.Identifiers = append(doc.Identifiers, docID(number))
		if title == "" {
			title = rest
		}
	}
	// "Completed (Adopted act: 32021R2260)"
	heading.Find(".procStatus").Parent().Find("a").Each(func(_ int, a *goquery.Selection) {
		doc.Identifiers = addDoc(doc.Identifiers, a.Text())
	})
	doc.Title = norm.Text(title)
}

// eurlexScriptEvents reads the events of the embedded "var json = {...}"
// timeline object. It returns nil, nil when the page has no such script.
func eurlexScriptEvents(page *goquery.Document) ([]eurlexEvent, error) {
	var src string
	page.Find("script").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		text := s.Text()
		if i := strings.Index(text, "var json"); i >= 0 {
			src = text[i+len("var json"):]
			return false
		}
		return true
	})
	if src == "" {
		return nil, nil
	}
	src = strings.TrimLeft(src, " \t\r\n")
	if !strings.HasPrefix(src, "=") {
		return nil, fmt.Errorf("%s: var json: no '=' after the name", FormatEURLex)
	}
	v, _, err := parseJSLiteral(src[1:])
	if err != nil {
		return nil, fmt.Errorf("%s: var json: %w", FormatEURLex, err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: var json: not an object", FormatEURLex)
	}
	list, ok := obj["events"].([]any)
	if !ok {
		return nil, fmt.Errorf("%s: var json: no 'events' list", FormatEURLex)
	}
	out := make([]eurlexEvent, 0, len(list))
	for i, item := range list {
		e, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: var json: events[%d] is not an object", FormatEURLex, i)
		}
		ev, err := eurlexScriptEvent(e)
		if err != nil {
			return nil, fmt.Errorf("%s: var json: events[%d] (%s): %w", FormatEURLex, i, jsString(e, "eid"), err)
		}
		out = append(out, ev)
	}
	return out, nil
}

// eurlexScriptEvent converts one object of the script's events list.
func eurlexScriptEvent(e map[string]any) (eurlexEvent, error) {
	raw := jsString(e, "startYear") + "-" + jsString(e, "startMonth") + "-" + jsString(e, "startDay")
	date, ok := isoDate(raw)
	if !ok || len(raw) != 10 {
		return eurlexEvent{}, fmt.Errorf("invalid date %q from startYear/startMonth/startDay", raw)
	}
	link := jsString(e, "link")
	ev := redline.DossierEvent{
		Date:        date,
		Institution: norm.Text(jsString(e, "actor")),
		Title:       norm.Text(jsString(e, "title")),
	}
	key := date + "_" + ev.Title
	if m := reEventKey.FindStringSubmatch(link); m != nil {
		if m[1] != date {
			return eurlexEvent{}, fmt.Errorf("link %q does not match date %s", link, date)
		}
		key, ev.Type = link, m[2]
	}
	if desc := jsString(e, "description"); desc != "" {
		frag, err := goquery.NewDocumentFromReader(strings.NewReader(desc))
		if err != nil {
			return eurlexEvent{}, fmt.Errorf("description: %w", err)
		}
		ev.Documents = linkDocs(frag.Find("a"), nil)
	}
	return eurlexEvent{key: key, ev: ev}, nil
}

// jsString returns the string property k of a parsed JS object, or "".
func jsString(obj map[string]any, k string) string {
	s, _ := obj[k].(string)
	return s
}

// eurlexRowEvents reads the div.eventRow rows of the steps list.
func eurlexRowEvents(page *goquery.Document) ([]eurlexEvent, error) {
	details := map[string]*goquery.Selection{}
	page.Find(".procedureTimeline div[id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		details[id] = s
	})
	var (
		out []eurlexEvent
		err error
	)
	page.Find("div.eventRow").EachWithBreak(func(i int, row *goquery.Selection) bool {
		var ev eurlexEvent
		ev, err = eurlexRowEvent(row, details)
		if err != nil {
			id, _ := row.Attr("id")
			err = fmt.Errorf("%s: div.eventRow %d (%s): %w", FormatEURLex, i+1, id, err)
			return false
		}
		out = append(out, ev)
		return true
	})
	return out, err
}

// eurlexRowEvent converts one div.eventRow and its collapsed details block.
func eurlexRowEvent(row *goquery.Selection, details map[string]*goquery.Selection) (eurlexEvent, error) {
	printed := norm.Text(row.Find(".eventDate").Text())
	date, ok := dmyDate(printed)
	if !ok {
		return eurlexEvent{}, fmt.Errorf("missing or invalid .eventDate %q", printed)
	}
	title := row.Find(".eventTitle .VMIMore").First()
	if title.Length() == 0 {
		title = row.Find(".eventTitle")
	}
	ev := redline.DossierEvent{
		Date:  date,
		Title: norm.Text(title.Text()),
		Institution: norm.Text(row.Closest(".cd-timeline__content").
			Find(".cd-timeline_title .VMILess").First().Text()),
	}
	id, _ := row.Attr("id")
	key := date + "_" + ev.Title
	if m := reEventKey.FindStringSubmatch(id); m != nil {
		if m[1] != date {
			return eurlexEvent{}, fmt.Errorf("id %q does not match .eventDate %s", id, date)
		}
		key, ev.Type = id, m[2]
	}
	// The details block lists the event's documents and its main CELEX
	// numbers; other entries (legal basis, rapporteur) are not documents
	// of the event.
	target, _ := row.Find(".eventTitle [data-target]").Attr("data-target")
	if d, ok := details[strings.TrimPrefix(target, "#")]; ok {
		d.Find("dt").Each(func(_ int, dt *goquery.Selection) {
			switch strings.TrimSuffix(norm.Text(dt.Text()), ":") {
			case "Documents", "CELEX number of the main document":
				ev.Documents = linkDocs(dt.NextFiltered("dd").Find("a"), ev.Documents)
			}
		})
	}
	ev.Documents = linkDocs(row.Find(".eventCelex a"), ev.Documents)
	return eurlexEvent{key: key, ev: ev}, nil
}

// linkDocs appends the identifiers named by links to docs, skipping links
// to other pages such as the Commission's internal procedure (".../PIN/...").
func linkDocs(links *goquery.Selection, docs []string) []string {
	links.Each(func(_ int, a *goquery.Selection) {
		if href, _ := a.Attr("href"); strings.Contains(href, "/PIN/") {
			return
		}
		docs = addDoc(docs, a.Text())
	})
	return docs
}
