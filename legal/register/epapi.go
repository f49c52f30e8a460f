package register

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/legal/internal/norm"
)

// epProcedure is the part of GET /api/v2/procedures/{id} that Parse reads.
type epProcedure struct {
	Data []struct {
		ID           string            `json:"id"`
		Label        string            `json:"label"`
		ProcessTitle map[string]string `json:"process_title"`
		ConsistsOf   []epActivity      `json:"consists_of"`
	} `json:"data"`
}

// epActivity is one event of a procedure.
type epActivity struct {
	ID              string            `json:"id"`
	ActivityDate    string            `json:"activity_date"`
	HadActivityType string            `json:"had_activity_type"`
	ActivityLabel   map[string]string `json:"activity_label"`
	BasedOn         oneOrMany         `json:"based_on_a_realization_of"`
	DecidedOn       oneOrMany         `json:"decided_on_a_realization_of"`
	DocumentedBy    oneOrMany         `json:"documented_by_a_realization_of"`
	RecordedIn      oneOrMany         `json:"recorded_in_a_realization_of"`
}

// oneOrMany accepts a JSON string or array of strings: JSON-LD compaction
// writes a single value without the array.
type oneOrMany []string

// UnmarshalJSON implements json.Unmarshaler.
func (o *oneOrMany) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*o = oneOrMany{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("want a string or an array of strings: %w", err)
	}
	*o = many
	return nil
}

func parseEPAPI(data []byte) (*redline.Document, error) {
	var p epProcedure
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", FormatEPAPI, err)
	}
	if len(p.Data) == 0 {
		return nil, fmt.Errorf("%s: no procedure in data[0]", FormatEPAPI)
	}
	proc := p.Data[0]
	doc := &redline.Document{Format: FormatEPAPI, Title: norm.Text(proc.ProcessTitle["en"])}
	if ref := norm.Text(proc.Label); ref != "" {
		doc.Identifiers = []string{ref}
	}
	type keyed struct {
		id string
		ev redline.DossierEvent
	}
	events := make([]keyed, 0, len(proc.ConsistsOf))
	for i, a := range proc.ConsistsOf {
		date, ok := isoDate(a.ActivityDate)
		if !ok {
			return nil, fmt.Errorf("%s: data[0].consists_of[%d] (%s): missing or invalid activity_date %q", FormatEPAPI, i, a.ID, a.ActivityDate)
		}
		typ := a.HadActivityType[strings.LastIndexByte(a.HadActivityType, '/')+1:]
		if typ == "" {
			return nil, fmt.Errorf("%s: data[0].consists_of[%d] (%s): missing had_activity_type", FormatEPAPI, i, a.ID)
		}
		ev := redline.DossierEvent{
			Date:        date,
			Institution: "European Parliament",
			Type:        typ,
			Title:       cmp.Or(norm.Text(a.ActivityLabel["en"]), words(typ)),
		}
		for _, list := range [][]string{a.BasedOn, a.DecidedOn, a.DocumentedBy, a.RecordedIn} {
			for _, id := range list {
				ev.Documents = addDoc(ev.Documents, strings.TrimPrefix(id, "eli/dl/doc/"))
			}
		}
		slices.Sort(ev.Documents)
		events = append(events, keyed{a.ID, ev})
	}
	// JSON-LD arrays are sets: the API lists events and their documents in
	// no stable order, so order both by id lest a re-ordered response look
	// like a change.
	slices.SortStableFunc(events, func(a, b keyed) int { return cmp.Compare(a.id, b.id) })
	for _, k := range events {
		doc.Events = append(doc.Events, k.ev)
	}
	return doc, nil
}

// words turns an activity code such as "COMMITTEE_ADOPTING_REPORT" into
// "Committee adopting report" for responses without an activity_label.
func words(code string) string {
	s := strings.ToLower(strings.ReplaceAll(code, "_", " "))
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}
