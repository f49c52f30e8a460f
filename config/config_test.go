package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/config"
)

// env returns a getenv over a fixed map.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// repoRoot walks up from the working directory to the directory holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// want is an expected problem: its line, its path and a part of its message.
type want struct {
	line int
	path string
	msg  string
}

// checkProblems asserts that err is a *ValidationError holding exactly the
// wanted problems, in order.
func checkProblems(t *testing.T, err error, wants []want) {
	t.Helper()
	var ve *config.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v (%T), want a *config.ValidationError", err, err)
	}
	if len(ve.Problems) != len(wants) {
		t.Fatalf("got %d problems, want %d:\n%v", len(ve.Problems), len(wants), err)
	}
	for i, w := range wants {
		p := ve.Problems[i]
		if p.Line != w.line || p.Path != w.path || !strings.Contains(p.Msg, w.msg) {
			t.Errorf("problem %d = %d %q %q, want %d %q containing %q", i, p.Line, p.Path, p.Msg, w.line, w.path, w.msg)
		}
	}
}

// TestAllProblemsAtOnce is the acceptance criterion of the config issue: an
// unknown key, a bad cron spec and a missing URL come back as one error.
func TestAllProblemsAtOnce(t *testing.T) {
	const in = `crawler:
  timeout: 30s
  retrys: 3
sources:
  - id: ai-act
    url: http://publications.europa.eu/resource/celex/32024R1689
    kind: xhtml
    schedule: "CRON_TZ=Europe/Brussels 0 25 * * *"
  - id: omnibus
    kind: xhtml
    schedule: "@daily"
`
	cfg, err := config.Parse([]byte(in), "redline.yaml", env(nil))
	if cfg != nil {
		t.Errorf("Parse returned a config along with the error")
	}
	checkProblems(t, err, []want{
		{3, "crawler.retrys", `unknown key (did you mean "retries"?)`},
		{8, "sources[0].schedule", `invalid cron spec "CRON_TZ=Europe/Brussels 0 25 * * *": `},
		{9, "sources[1].url", "is required"},
	})
	lines := strings.Split(err.Error(), "\n")
	prefixes := []string{
		"redline.yaml:3: crawler.retrys: unknown key",
		`redline.yaml:8: sources[0].schedule: invalid cron spec "CRON_TZ=Europe/Brussels 0 25 * * *": `,
		"redline.yaml:9: sources[1].url: is required",
	}
	if len(lines) != len(prefixes) {
		t.Fatalf("error has %d lines, want %d:\n%s", len(lines), len(prefixes), err)
	}
	for i, p := range prefixes {
		if !strings.HasPrefix(lines[i], p) {
			t.Errorf("line %d = %q, want prefix %q", i+1, lines[i], p)
		}
	}
}

func TestDefaultConfig(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		dbPath string
	}{
		{"no state directory", nil, "./redline.db"},
		{"systemd state directory", map[string]string{"STATE_DIRECTORY": "/var/lib/redline"}, "/var/lib/redline/redline.db"},
		{"several state directories", map[string]string{"STATE_DIRECTORY": "/var/lib/redline:/var/lib/other"}, "/var/lib/redline/redline.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := config.DefaultConfig(env(tt.env))
			if c.Storage.Path != tt.dbPath {
				t.Errorf("storage path = %q, want %q", c.Storage.Path, tt.dbPath)
			}
			if err := c.Validate(); err != nil {
				t.Errorf("defaults do not validate: %v", err)
			}
			parsed, err := config.Parse(nil, "empty.yaml", env(tt.env))
			if err != nil {
				t.Fatalf("empty file: %v", err)
			}
			if got, want := redacted(t, parsed), redacted(t, c); got != want {
				t.Errorf("an empty file does not give the defaults:\n%s\nwant\n%s", got, want)
			}
		})
	}
	c := config.DefaultConfig(nil)
	checks := []struct {
		name      string
		got, want any
	}{
		{"http.listen", c.HTTP.Listen, "127.0.0.1:8080"},
		{"crawler.user_agent", c.Crawler.UserAgent, config.DefaultUserAgent},
		{"crawler.timeout", c.Crawler.Timeout, 60 * time.Second},
		{"crawler.max_body_size", c.Crawler.MaxBodySize, 64 * config.MiB},
		{"crawler.host_delay", c.Crawler.HostDelay, 10 * time.Second},
		{"crawler.respect_robots", c.Crawler.RespectRobots, true},
		{"crawler.retries", c.Crawler.Retries, 2},
		{"crawler.shrink_ratio", c.Crawler.ShrinkRatio, 0.5},
		{"scheduler.workers", c.Scheduler.Workers, 2},
		{"scheduler.jitter", c.Scheduler.Jitter, 2 * time.Minute},
		{"scheduler.check_timeout", c.Scheduler.CheckTimeout, 10 * time.Minute},
		{"scheduler.failing_after", c.Scheduler.FailingAfter, 3},
		{"report.path", c.Report.Path, "./redline-report.html"},
		{"log.level", c.Log.Level, "info"},
		{"log.format", c.Log.Format, "text"},
		{"sources", len(c.SourceList), 0},
		{"channels", len(c.Notify.Channels), 0},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("default %s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func redacted(t *testing.T, c *config.Config) string {
	t.Helper()
	b, err := c.Redacted()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseOverlaysDefaults(t *testing.T) {
	const in = `# only a few keys; the rest keeps its default
crawler:
  timeout: 90s
  max_body_size: 10MB
  respect_robots: false
scheduler:
  jitter: 0
sources:
  - id: ai-act
    url: https://example.org/act
    kind: html
    schedule: "CRON_TZ=Europe/Brussels 15 6 * * 1-5"
    selector: "div.eli-container > p.oj-normal"
    freshness: 36h
    headers: &h
      Accept-Language: eng
  - <<: [{kind: pdf, schedule: "@daily"}, {kind: html, marker: "%PDF"}]
    id: proposal
    url: https://example.org/proposal.pdf
    headers: *h
log: {level: debug, format: json}
`
	c, err := config.Parse([]byte(in), "overlay.yaml", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	def := config.DefaultConfig(nil)
	checks := []struct {
		name      string
		got, want any
	}{
		{"crawler.timeout", c.Crawler.Timeout, 90 * time.Second},
		{"crawler.max_body_size", c.Crawler.MaxBodySize, config.ByteSize(10_000_000)},
		{"crawler.respect_robots", c.Crawler.RespectRobots, false},
		{"crawler.host_delay kept", c.Crawler.HostDelay, def.Crawler.HostDelay},
		{"crawler.user_agent kept", c.Crawler.UserAgent, def.Crawler.UserAgent},
		{"scheduler.jitter", c.Scheduler.Jitter, time.Duration(0)},
		{"scheduler.workers kept", c.Scheduler.Workers, def.Scheduler.Workers},
		{"sources", len(c.SourceList), 2},
		{"log.level", c.Log.Level, "debug"},
		{"log.format", c.Log.Format, "json"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	got := c.Sources()
	wantSources := []redline.Source{
		{
			ID: "ai-act", Name: "ai-act", URL: "https://example.org/act", Kind: redline.KindHTML,
			Schedule: "CRON_TZ=Europe/Brussels 15 6 * * 1-5", Selector: "div.eli-container > p.oj-normal",
			Freshness: 36 * time.Hour, Headers: map[string]string{"Accept-Language": "eng"},
		},
		{
			ID: "proposal", Name: "proposal", URL: "https://example.org/proposal.pdf", Kind: redline.KindPDF,
			Schedule: "@daily", Marker: "%PDF", Headers: map[string]string{"Accept-Language": "eng"},
		},
	}
	if !reflect.DeepEqual(got, wantSources) {
		t.Errorf("Sources() =\n%#v\nwant\n%#v", got, wantSources)
	}
	got[0].Headers["Accept-Language"] = "changed"
	if c.SourceList[0].Headers["Accept-Language"] != "eng" {
		t.Errorf("Sources() shares its header maps with the Config")
	}
}

func TestProblems(t *testing.T) {
	const src = "sources:\n  - id: s\n    url: https://example.org/\n    kind: html\n    schedule: \"@daily\"\n"
	tests := []struct {
		name  string
		in    string
		wants []want
	}{
		{"syntax error alone", "crawler:\n  timeout: [1s\n", []want{
			{2, "", "invalid YAML: column"},
		}},
		{"duplicate key", "log:\n  level: info\n  level: debug\n", []want{
			{3, "", `invalid YAML: column 3: mapping key "level" already defined`},
		}},
		{"dangling alias", "log: *nowhere\n", []want{
			{1, "", `invalid YAML: column 7: could not find alias "nowhere"`},
		}},
		{"top level is a list", "- a\n- b\n", []want{
			{1, "", "want a mapping of keys to values, got a list"},
		}},
		{"two documents", "log: {level: info}\n---\nlog: {level: debug}\n", []want{
			{3, "", "more than one YAML document"},
		}},
		{"unknown keys everywhere", "storage: {paht: x}\nsourcs: []\n" + src + "    colour: red\n", []want{
			{1, "storage.paht", `unknown key (did you mean "path"?)`},
			{2, "sourcs", `unknown key (did you mean "sources"?)`},
			{8, "sources[0].colour", "unknown key"},
		}},
		{"type errors are all reported", "crawler:\n  retries: two\n  respect_robots: maybe\n  shrink_ratio: half\nsources: {a: 1}\n", []want{
			{2, "crawler.retries", "want an integer, got a string"},
			{3, "crawler.respect_robots", "want true or false, got a string"},
			{4, "crawler.shrink_ratio", "want a number, got a string"},
			{5, "sources", "want a list, got a mapping"},
		}},
		{"durations and sizes", "crawler:\n  timeout: 60\n  host_delay: 3d\n  max_body_size: 64 megs\nscheduler:\n  jitter: -1m\n", []want{
			{2, "crawler.timeout", `a duration needs a unit, e.g. "60s"`},
			{3, "crawler.host_delay", `invalid duration "3d"`},
			{4, "crawler.max_body_size", `unknown unit "megs"`},
			{6, "scheduler.jitter", "must not be negative, got -1m0s"},
		}},
		{"zero sizes and timeouts", "crawler:\n  timeout: 0s\n  max_body_size: 0\nscheduler:\n  check_timeout: 0s\n", []want{
			{2, "crawler.timeout", "must be greater than 0"},
			{3, "crawler.max_body_size", "must be greater than 0"},
			{5, "scheduler.check_timeout", "must be greater than 0"},
		}},
		{"ranges", "crawler:\n  retries: 11\n  shrink_ratio: 1\n  host_delay: -1s\nscheduler:\n  workers: 0\n  failing_after: 0\n", []want{
			{2, "crawler.retries", "must be from 0 to 10, got 11"},
			{3, "crawler.shrink_ratio", "below 1, got 1"},
			{4, "crawler.host_delay", "must not be negative"},
			{6, "scheduler.workers", "must be at least 1, got 0"},
			{7, "scheduler.failing_after", "must be at least 1, got 0"},
		}},
		{"user agent without redline", "crawler: {user_agent: \"Mozilla/5.0 (+https://example.org)\"}\n", []want{
			{1, "crawler.user_agent", "must name redline"},
		}},
		{"user agent without contact", "crawler: {user_agent: \"redline/1.0\"}\n", []want{
			{1, "crawler.user_agent", "must carry a contact URL"},
		}},
		{"listen, log, paths", "http: {listen: localhost}\nlog: {level: verbose, format: xml}\nstorage: {path: \"\"}\nreport: {path: \"\"}\ndemands: {file: /does/not/exist.yaml}\n", []want{
			{1, "http.listen", `want host:port such as 127.0.0.1:8080, got "localhost"`},
			{2, "log.level", `want debug, info, warn or error, got "verbose"`},
			{2, "log.format", `want text or json, got "xml"`},
			{3, "storage.path", "must not be empty"},
			{4, "report.path", "must not be empty"},
			{5, "demands.file", "no such file or directory"},
		}},
		{"listen port out of range", "http: {listen: \":70000\"}\n", []want{
			{1, "http.listen", `port "70000" is not a number from 0 to 65535`},
		}},
		{"duplicate ids", src + "  - id: s\n    url: https://example.org/2\n    kind: html\n    schedule: \"@daily\"\n", []want{
			{6, "sources[1].id", `duplicate id "s" (also sources[0].id)`},
		}},
		{"bad id, kind and url", "sources:\n  - id: Bad_ID\n    url: ftp://example.org/x\n    kind: docx\n    schedule: \"@daily\"\n", []want{
			{2, "sources[0].id", `"Bad_ID" is not a valid id`},
			{3, "sources[0].url", `want an absolute http or https URL, got "ftp://example.org/x"`},
			{4, "sources[0].kind", `want html, xhtml, pdf or register, got "docx"`},
		}},
		{"missing fields are reported at the item", "sources:\n  - name: nameless\n", []want{
			{2, "sources[0].id", "is required"},
			{2, "sources[0].url", "is required"},
			{2, "sources[0].kind", "is required"},
			{2, "sources[0].schedule", "is required"},
		}},
		{"bad selector", src + "    selector: \"div[\"\n", []want{
			{6, "sources[0].selector", `invalid CSS selector "div["`},
		}},
		{"selector on a pdf", "sources:\n  - id: s\n    url: https://example.org/x.pdf\n    kind: pdf\n    schedule: \"@daily\"\n    selector: body\n", []want{
			{6, "sources[0].selector", "only html and xhtml sources have a selector"},
		}},
		{"cron specs", "sources:\n" +
			"  - {id: a, url: \"https://e.org/\", kind: html, schedule: \"0 0 6 * * *\"}\n" +
			"  - {id: b, url: \"https://e.org/\", kind: html, schedule: \"CRON_TZ=Mars/Olympus 0 6 * * *\"}\n" +
			"  - {id: c, url: \"https://e.org/\", kind: html, schedule: \"CRON_TZ=Europe/Brussels\"}\n" +
			"  - {id: d, url: \"https://e.org/\", kind: html, schedule: \"every day\"}\n", []want{
			{2, "sources[0].schedule", "expected exactly 5 fields, found 6"},
			{3, "sources[1].schedule", "provided bad location Mars/Olympus"},
			{4, "sources[2].schedule", "want CRON_TZ=Zone followed by five fields"},
			{5, "sources[3].schedule", `invalid cron spec "every day"`},
		}},
		{"freshness and headers", src + "    freshness: -1h\n    headers:\n      Accept: text/html\n      \"Bad Name\": x\n      X-Ok: \"a\\nb\"\n", []want{
			{6, "sources[0].freshness", "must not be negative"},
			{9, `sources[0].headers["Bad Name"]`, "not a valid HTTP header name"},
			{10, "sources[0].headers.X-Ok", "characters not allowed in an HTTP header"},
		}},
		{"inline secret", "notify:\n  channels:\n    - name: hook\n      type: webhook\n      url: https://example.org/hook\n      secret: whsec_aGVsbG8=\n", []want{
			{3, "notify.channels[0].secret_file", "set secret_file or secret_env"},
			{6, "notify.channels[0].secret", "secrets cannot be written in the file; use secret_file or secret_env"},
		}},
		{"channels", "notify:\n  channels:\n" +
			"    - name: hook\n      type: webhook\n      url: \"not a url\"\n      secret_env: A\n      secret_file: /x\n      smtp_host: mail.example.org\n      events: [document.changed, source.exploded]\n" +
			"    - name: hook\n      type: pager\n" +
			"    - name: mail\n      type: email\n      password_env: PW\n      from: nobody\n      to: [ok@example.org, \"bad address\"]\n      url: https://example.org/\n      smtp_port: 0\n      events: []\n", []want{
			{5, "notify.channels[0].url", "want an absolute http or https URL"},
			{7, "notify.channels[0].secret_file", "set only one of secret_file and secret_env"},
			{8, "notify.channels[0].smtp_host", "only email channels have smtp_host"},
			{9, "notify.channels[0].events[1]", `unknown event type "source.exploded"`},
			{10, "notify.channels[1].name", `duplicate name "hook" (also notify.channels[0].name)`},
			{11, "notify.channels[1].type", `want email or webhook, got "pager"`},
			{12, "notify.channels[2].smtp_host", "is required for email"},
			{12, "notify.channels[2].username", "is required when a password is set"},
			{14, "notify.channels[2].password_env", `environment variable "PW" is not set or empty`},
			{15, "notify.channels[2].from", `invalid address "nobody"`},
			{16, "notify.channels[2].to[1]", `invalid address "bad address"`},
			{17, "notify.channels[2].url", "only webhook channels have url"},
			{18, "notify.channels[2].smtp_port", "must be from 1 to 65535, got 0"},
			{19, "notify.channels[2].events", "is empty; leave the key out"},
		}},
		{"missing secrets", "notify:\n  channels:\n" +
			"    - {name: a, type: webhook, url: \"https://example.org/h\", secret_env: NOT_SET}\n" +
			"    - {name: b, type: webhook, url: \"https://example.org/h\", secret_file: /does/not/exist}\n" +
			"    - {name: c, type: webhook, url: \"https://example.org/h\", secret_file: /dev/null}\n" +
			"    - {name: d, type: email, smtp_host: m.example.org, username: u, from: a@example.org, to: [b@example.org]}\n", []want{
			{3, "notify.channels[0].secret_env", `environment variable "NOT_SET" is not set or empty`},
			{4, "notify.channels[1].secret_file", "no such file or directory"},
			{5, "notify.channels[2].secret_file", "not a regular file"},
			{6, "notify.channels[3].password_file", "set password_file or password_env"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Parse([]byte(tt.in), "test.yaml", env(nil))
			if err == nil {
				t.Fatalf("no error; effective config:\n%s", redacted(t, cfg))
			}
			checkProblems(t, err, tt.wants)
			if !strings.HasPrefix(err.Error(), "test.yaml:") {
				t.Errorf("error does not start with the file name: %v", err)
			}
		})
	}
}

func TestValidateWithoutFile(t *testing.T) {
	c := config.DefaultConfig(nil)
	c.Crawler.Retries = -1
	c.SourceList = []config.Source{{ID: "x", URL: "https://example.org/", Kind: redline.KindHTML, Schedule: "@hourly"}}
	c.Notify.Channels = []config.Channel{{Name: "hook", Type: config.ChannelWebhook, URL: config.NewWebhookURL("https://example.org/h"), SecretEnv: "X"}}
	err := c.Validate()
	checkProblems(t, err, []want{
		{0, "crawler.retries", "must be from 0 to 10, got -1"},
		{0, "notify.channels[0].secret_env", "has not been read"},
	})
	const text = "crawler.retries: must be from 0 to 10, got -1\n"
	if !strings.HasPrefix(err.Error(), text) {
		t.Errorf("error = %q, want it to start with %q", err, text)
	}
	c.Crawler.Retries = 0
	c.Notify.Channels[0].Secret = config.NewSecret("whsec_aGVsbG8=")
	if err := c.Validate(); err != nil {
		t.Errorf("fixed config: %v", err)
	}
}

func TestLoad(t *testing.T) {
	c, err := config.Load(filepath.Join("testdata", "minimal.yaml"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.SourceList) != 1 || c.SourceList[0].ID != "ai-act" {
		t.Errorf("sources = %+v, want the one ai-act source", c.SourceList)
	}
	_, err = config.Load(filepath.Join("testdata", "missing.yaml"), env(nil))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: error = %v, want one naming the file and wrapping os.ErrNotExist", err)
	}
	_, err = config.Load(filepath.Join("testdata", "problems.yaml"), env(nil))
	var ve *config.ValidationError
	if !errors.As(err, &ve) || ve.File != filepath.Join("testdata", "problems.yaml") {
		t.Errorf("bad file: error = %v, want a ValidationError naming the file", err)
	}
}

// TestExampleFile keeps config.example.yaml loadable and complete.
func TestExampleFile(t *testing.T) {
	path := filepath.Join(repoRoot(t), "config.example.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The example's secret_file is relative to the working directory.
	t.Chdir(t.TempDir())
	if err := os.WriteFile("webhook-secret.txt", []byte("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := config.Parse(data, path, env(map[string]string{"REDLINE_SMTP_PASSWORD": "example-password"}))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.SourceList); n < 2 || n > 3 {
		t.Errorf("the example has %d sources, want 2 or 3", n)
	}
	types := map[config.ChannelType]bool{}
	for _, ch := range c.Notify.Channels {
		types[ch.Type] = true
	}
	if !types[config.ChannelEmail] || !types[config.ChannelWebhook] {
		t.Errorf("the example's channels have types %v, want one email and one webhook", types)
	}
	documented := map[string]bool{}
	for _, m := range documentedKey.FindAllSubmatch(data, -1) {
		documented[string(m[1])] = true
	}
	for _, key := range yamlKeys(reflect.TypeFor[config.Config]()) {
		if !documented[key] {
			t.Errorf("config.example.yaml does not document the key %q", key)
		}
	}
}

// documentedKey finds a key in the example, set or shown in a comment.
var documentedKey = regexp.MustCompile(`(?m)^\s*(?:#\s*)?(?:- )?([a-z_]+):`)

// yamlKeys lists the keys of a struct type and its nested structs, without
// the secret-valued fields that cannot be written in a file.
func yamlKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "" || name == "-" || f.Type == reflect.TypeFor[config.Secret]() {
			continue
		}
		keys = append(keys, name)
		ft := f.Type
		if ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft.PkgPath() == t.PkgPath() && ft != reflect.TypeFor[config.WebhookURL]() {
			keys = append(keys, yamlKeys(ft)...)
		}
	}
	return keys
}
