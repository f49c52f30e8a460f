package register

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/norm"
)

// reDoceo finds the document id in a link to an EP document
// (".../doceo/document/PV-10-2025-03-11-VOT_EN.html"); OEIL prints some
// such links without text.
var reDoceo = regexp.MustCompile(`/doceo/document/([A-Z0-9][A-Za-z0-9-]*)_[A-Z]{2}\.`)

// An OEIL procedure file lists the procedure's key events in #section3
// (Date | Event | Reference | Summary) and its documents per institution in
// the "Documentation gateway" (#erplAccordionDocGateway). Both become events:
// key events without an institution (the table does not name one), gateway
// documents with the institution of their tab.

func parseOEIL(data []byte) (*redline.Document, error) {
	page, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: read html: %w", FormatOEIL, err)
	}
	doc := &redline.Document{Format: FormatOEIL}
	if ref, ok := procedureRef(norm.Text(page.Find("h2.es_title-h1").First().Text())); ok {
		doc.Identifiers = []string{ref}
	}
	page.Find("h2.es_title-h2").EachWithBreak(func(_ int, h *goquery.Selection) bool {
		if h.Closest(".erpl-product-content").Length() == 0 {
			doc.Title = norm.Text(h.Text())
			return false
		}
		return true
	})
	table := page.Find("#section3 table").First()
	if table.Length() == 0 {
		return nil, fmt.Errorf("%s: no key events table in #section3", FormatOEIL)
	}
	events, err := oeilTable(table, "", "#section3")
	if err != nil {
		return nil, err
	}
	doc.Events = events
	var gwErr error
	page.Find("#erplAccordionDocGateway .es_accordion-item").EachWithBreak(func(_ int, item *goquery.Selection) bool {
		inst := norm.Text(item.Find(".es_accordion-item-title .t-x").First().Text())
		item.Find("table").EachWithBreak(func(_ int, t *goquery.Selection) bool {
			var ev []redline.DossierEvent
			ev, gwErr = oeilTable(t, inst, "documentation gateway "+inst)
			doc.Events = append(doc.Events, ev...)
			return gwErr == nil
		})
		return gwErr == nil
	})
	if gwErr != nil {
		return nil, gwErr
	}
	return doc, nil
}

// oeilTable reads the rows of a key events or documentation gateway table,
// finding its columns by their headers. where names the table in errors.
func oeilTable(table *goquery.Selection, inst, where string) ([]redline.DossierEvent, error) {
	col := map[string]int{}
	table.Find("thead th").Each(func(i int, th *goquery.Selection) {
		col[norm.Text(th.Text())] = i
	})
	dateCol, okDate := col["Date"]
	labelCol, okLabel := col["Event"]
	if !okLabel {
		labelCol, okLabel = col["Document type"]
	}
	if !okDate || !okLabel {
		return nil, fmt.Errorf("%s: %s table: no Date and Event/Document type columns", FormatOEIL, where)
	}
	refCol, okRef := col["Reference"]
	bodyCol, okBody := col["Committee"]
	if !okBody {
		bodyCol, okBody = col["Parliament/Chamber"]
	}
	var (
		out []redline.DossierEvent
		err error
	)
	table.Find("tbody tr").EachWithBreak(func(i int, tr *goquery.Selection) bool {
		cells := tr.Children().Filter("td, th")
		cell := func(c int) *goquery.Selection { return cells.Eq(c) }
		printed := norm.Text(cell(dateCol).Text())
		date, ok := dmyDate(printed)
		if !ok {
			err = fmt.Errorf("%s: %s table row %d: missing or invalid date %q", FormatOEIL, where, i+1, printed)
			return false
		}
		label := norm.Text(cell(labelCol).Text())
		ev := redline.DossierEvent{Date: date, Institution: inst, Type: label, Title: label}
		if okBody {
			if body := norm.Text(cell(bodyCol).Text()); body != "" {
				ev.Title += " (" + body + ")"
			}
		}
		if okRef {
			ev.Documents = oeilRefs(cell(refCol))
		}
		out = append(out, ev)
		return true
	})
	return out, err
}

// oeilRefs returns the document numbers of a Reference cell: link texts
// (or, for links without text, the id in a doceo URL) and plain spans.
func oeilRefs(cell *goquery.Selection) []string {
	var docs []string
	cell.Find("a, span").Each(func(_ int, s *goquery.Selection) {
		if goquery.NodeName(s) == "span" && s.Find("a").Length() > 0 {
			return
		}
		text := norm.Text(s.Text())
		if text == "" && goquery.NodeName(s) == "a" {
			href, _ := s.Attr("href")
			if m := reDoceo.FindStringSubmatch(href); m != nil {
				text = m[1]
			}
		}
		docs = addDoc(docs, text)
	})
	if len(docs) == 0 {
		docs = addDoc(docs, strings.TrimSpace(cell.Text()))
	}
	return docs
}
