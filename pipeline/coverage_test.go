package pipeline_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/coverage"
	"github.com/redline-watch/redline/pipeline"
)

// banParser builds Article 5(1) "shall be prohibited:" with the body as point (a).
var banParser = pipeline.ParserFunc(func(ctx context.Context, src redline.Source, res *redline.FetchResult) (*redline.Document, error) {
	return &redline.Document{Kind: redline.DocAct, Format: "test", Provisions: []redline.Provision{
		{Path: "Article 5", Kind: redline.ProvArticle, Label: "5", Heading: "Prohibited practices", Parent: -1},
		{Path: "Article 5(1)", Kind: redline.ProvParagraph, Label: "1", Text: "The following practices shall be prohibited:", Parent: 0, Depth: 1},
		{Path: "Article 5(1)(a)", Kind: redline.ProvPoint, Label: "a", Text: string(res.Body), Parent: 1, Depth: 2},
	}}, nil
})

const forecastDemand = `demands:
  - id: crime-forecasting
    title: Crime forecasting
    ask: prohibition
    quote: predictive policing must be prohibited
    rules:
      - name: crime forecasting
        groups:
          - [crime forecasting]
`

func demands(t *testing.T, yaml string) *coverage.Set {
	t.Helper()
	set, err := coverage.ParseDemands([]byte(yaml), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func TestCoverageChangedEvent(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	f := &scriptedFetcher{answers: []answer{
		{body: "the use of AI systems for crime forecasting;"},
		{body: "the use of AI systems for crime forecasting, unless a judicial authority has authorised it;"},
		{body: "the use of AI systems for crime forecasting, unless a judge has authorised it;"},
	}}
	p := pipeline.New(f, st, banParser)
	p.Demands = demands(t, forecastDemand)

	r, err := p.Check(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if r.Snapshot.CoverageHash == "" || len(r.Events) != 0 {
		t.Fatalf("baseline: coverage %q, events %v", r.Snapshot.CoverageHash, r.Events)
	}
	var stored struct {
		Report coverage.Report `json:"report"`
	}
	blob, err := st.Blob(ctx, r.Snapshot.CoverageHash)
	if err != nil || json.Unmarshal(blob, &stored) != nil {
		t.Fatalf("coverage blob: %v", err)
	}
	if res, _ := stored.Report.Result("crime-forecasting"); res.Level != coverage.Prohibited {
		t.Fatalf("stored level = %q, want prohibited", res.Level)
	}

	r, err = p.Check(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	var cov []redline.Event
	for _, e := range r.Events {
		if e.Type == redline.EventCoverageChanged {
			cov = append(cov, e)
		}
	}
	if len(cov) != 1 {
		t.Fatalf("events = %+v, want one coverage.changed", r.Events)
	}
	e := cov[0]
	if want := "The act lost ground on crime-forecasting: prohibited -> prohibited_with_exceptions (Article 5(1)(a))"; e.Summary != want {
		t.Errorf("summary = %q, want %q", e.Summary, want)
	}
	if e.Details["provision"] != "Article 5(1)(a)" || !strings.Contains(e.Details["exceptions"], "unless") || e.SnapshotSeq != 2 {
		t.Errorf("details = %v, snapshot %d", e.Details, e.SnapshotSeq)
	}

	// A new demand file is not a change of the text.
	p.Demands = demands(t, strings.Replace(forecastDemand, "title: Crime forecasting", "title: Forecasting crime", 1))
	r, err = p.Check(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range r.Events {
		if e.Type == redline.EventCoverageChanged {
			t.Errorf("coverage event after a demand set change: %+v", e)
		}
	}
}
