// Package config reads redline's YAML configuration strictly: defaults come
// from DefaultConfig, the file overlays them, unknown keys are errors, and
// Validate reports every problem at once with its field path and line.
// Secrets never appear in the file; they are read from files or the
// environment and print as "<secret>".
package config

import (
	_ "embed" // the embedded default configuration
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/redline-watch/redline"
)

// DefaultUserAgent names redline and where to reach its maintainers, as
// EUR-Lex and the Publications Office ask of automated clients.
const DefaultUserAgent = "redline (+https://github.com/redline-watch/redline)"

// ChannelType says how a notification channel delivers.
type ChannelType string

// The notification channel types.
const (
	ChannelEmail   ChannelType = "email"
	ChannelWebhook ChannelType = "webhook"
)

// allEvents is what a channel receives when it lists no events.
var allEvents = []redline.EventType{
	redline.EventDocumentChanged,
	redline.EventCoverageChanged,
	redline.EventSourceFailing,
	redline.EventSourceRecovered,
	redline.EventDossierChanged,
}

// Config is the whole configuration of the redline daemon.
type Config struct {
	Storage   Storage   `yaml:"storage"`
	HTTP      HTTP      `yaml:"http"`
	Crawler   Crawler   `yaml:"crawler"`
	Scheduler Scheduler `yaml:"scheduler"`
	// SourceList holds the sources as configured; Sources converts them to domain values.
	SourceList []Source `yaml:"sources"`
	Demands    Demands  `yaml:"demands"`
	Notify     Notify   `yaml:"notify"`
	Report     Report   `yaml:"report"`
	Log        Log      `yaml:"log"`

	// file names the parsed file in messages; lines maps field paths to the
	// line they were read from; problems were found while reading.
	file     string
	lines    map[string]int
	problems []Problem
}

// Storage configures the bbolt database.
type Storage struct {
	// Path is the database file.
	Path string `yaml:"path"`
}

// HTTP configures the HTTP server (report page, JSON API, health, metrics).
type HTTP struct {
	// Listen is host:port.
	Listen string `yaml:"listen"`
}

// Crawler configures how sources are fetched.
type Crawler struct {
	// UserAgent must name redline and carry a contact URL.
	UserAgent string `yaml:"user_agent"`
	// Timeout bounds one request including the whole body.
	Timeout time.Duration `yaml:"timeout"`
	// MaxBodySize is the largest body accepted; a larger one is an error, never truncated.
	MaxBodySize ByteSize `yaml:"max_body_size"`
	// HostDelay is the minimum gap between two requests to one host.
	HostDelay time.Duration `yaml:"host_delay"`
	// RespectRobots makes the crawler obey robots.txt.
	RespectRobots bool `yaml:"respect_robots"`
	// Retries is the number of extra attempts on network errors, 429 and 5xx.
	Retries int `yaml:"retries"`
	// ShrinkRatio: a body smaller than this fraction of the last good one is
	// treated as a block page; 0 turns the guard off.
	ShrinkRatio float64 `yaml:"shrink_ratio"`
}

// Scheduler configures when and how many checks run.
type Scheduler struct {
	// Workers is the size of the worker pool.
	Workers int `yaml:"workers"`
	// Jitter is the largest random delay added to each scheduled run.
	Jitter time.Duration `yaml:"jitter"`
	// CheckTimeout is the deadline of one check.
	CheckTimeout time.Duration `yaml:"check_timeout"`
	// FailingAfter is the number of consecutive failures that mark a source failing.
	FailingAfter int `yaml:"failing_after"`
}

// Source is one watched document or register page as configured; see
// redline.Source for the meaning of each field.
type Source struct {
	ID   string             `yaml:"id"`
	Name string             `yaml:"name,omitempty"`
	URL  string             `yaml:"url"`
	Kind redline.SourceKind `yaml:"kind"`
	// Schedule is a five-field cron spec, optionally prefixed by CRON_TZ=Zone.
	Schedule  string            `yaml:"schedule"`
	Selector  string            `yaml:"selector,omitempty"`
	Marker    string            `yaml:"marker,omitempty"`
	Freshness time.Duration     `yaml:"freshness,omitempty"`
	Headers   map[string]string `yaml:"headers,omitempty"`
}

// Demands says where the red-line demands come from.
type Demands struct {
	// File is a YAML file of demands; empty means the embedded default set.
	File string `yaml:"file"`
}

// Notify lists the notification channels.
type Notify struct {
	Channels []Channel `yaml:"channels"`
}

// Channel is one notification channel. Type decides which of the other
// fields apply: URL and the secret for webhooks, the SMTP fields for email.
type Channel struct {
	// Name is unique, made of [a-z0-9-].
	Name string      `yaml:"name"`
	Type ChannelType `yaml:"type"`
	// Events are the event types delivered; a channel without the key gets all of them.
	Events []redline.EventType `yaml:"events,omitempty"`

	// URL is where a webhook posts.
	URL WebhookURL `yaml:"url,omitempty"`
	// SecretFile or SecretEnv name where the Standard Webhooks key
	// (whsec_…) is read from; Secret holds it once read.
	SecretFile string `yaml:"secret_file,omitempty"`
	SecretEnv  string `yaml:"secret_env,omitempty"`
	Secret     Secret `yaml:"secret,omitempty"`

	// SMTPHost and SMTPPort (default 587) name the mail server.
	SMTPHost string `yaml:"smtp_host,omitempty"`
	SMTPPort int    `yaml:"smtp_port,omitempty"`
	// Username is the SMTP login; PasswordFile or PasswordEnv name where
	// the password is read from; Password holds it once read.
	Username     string `yaml:"username,omitempty"`
	PasswordFile string `yaml:"password_file,omitempty"`
	PasswordEnv  string `yaml:"password_env,omitempty"`
	Password     Secret `yaml:"password,omitempty"`
	// From and To are mail addresses.
	From string   `yaml:"from,omitempty"`
	To   []string `yaml:"to,omitempty"`
	// StartTLS requires STARTTLS; nil (only possible for webhooks or a
	// Config built in code) means true. Use UseStartTLS.
	StartTLS *bool `yaml:"starttls,omitempty"`
}

// UseStartTLS reports whether an email channel must upgrade with STARTTLS.
func (ch *Channel) UseStartTLS() bool { return ch.StartTLS == nil || *ch.StartTLS }

// Wants reports whether the channel delivers events of type t.
func (ch *Channel) Wants(t redline.EventType) bool {
	if len(ch.Events) == 0 {
		return true
	}
	for _, e := range ch.Events {
		if e == t {
			return true
		}
	}
	return false
}

// Report configures the static HTML report.
type Report struct {
	// Path is the report file.
	Path string `yaml:"path"`
}

// Log configures logging.
type Log struct {
	// Level is debug, info, warn or error.
	Level string `yaml:"level"`
	// Format is text or json.
	Format string `yaml:"format"`
}

// DefaultConfig returns a configuration with every default and no sources.
// getenv (normally os.Getenv; nil means an empty environment) supplies
// STATE_DIRECTORY, which systemd sets for StateDirectory=: the database then
// goes there instead of the working directory.
func DefaultConfig(getenv func(string) string) *Config {
	getenv = orEmpty(getenv)
	dbPath := "./redline.db"
	// systemd joins several state directories with ':'; the first is ours.
	if dir, _, _ := strings.Cut(getenv("STATE_DIRECTORY"), ":"); dir != "" {
		dbPath = filepath.Join(dir, "redline.db")
	}
	return &Config{
		Storage: Storage{Path: dbPath},
		HTTP:    HTTP{Listen: "127.0.0.1:8080"},
		Crawler: Crawler{
			UserAgent:     DefaultUserAgent,
			Timeout:       60 * time.Second,
			MaxBodySize:   64 * MiB,
			HostDelay:     10 * time.Second,
			RespectRobots: true,
			Retries:       2,
			ShrinkRatio:   0.5,
		},
		Scheduler: Scheduler{
			Workers:      2,
			Jitter:       2 * time.Minute,
			CheckTimeout: 10 * time.Minute,
			FailingAfter: 3,
		},
		Report: Report{Path: "./redline-report.html"},
		Log:    Log{Level: "info", Format: "text"},
	}
}

// Load reads the YAML file at path and parses it with Parse.
func Load(path string, getenv func(string) string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config %q: %w", path, err)
	}
	return Parse(data, path, getenv)
}

//go:embed default.yaml
var defaultYAML []byte

// embeddedName names the embedded default configuration in messages.
const embeddedName = "embedded default.yaml"

// Embedded returns the embedded default configuration, which watches the
// AI Act dossier; redline uses it when it runs without -config.
func Embedded(getenv func(string) string) (*Config, error) {
	return Parse(defaultYAML, embeddedName, getenv)
}

// EmbeddedYAML returns the text of the embedded default configuration, a
// starting point for a configuration file of one's own.
func EmbeddedYAML() []byte { return append([]byte(nil), defaultYAML...) }

// Parse reads YAML configuration: DefaultConfig first, then the YAML
// overlays it, then secrets are read and everything is validated. name is the
// file name used in messages. Any problem, including unknown keys, is
// returned as a *ValidationError listing all of them.
func Parse(data []byte, name string, getenv func(string) string) (*Config, error) {
	getenv = orEmpty(getenv)
	c := DefaultConfig(getenv)
	c.file = name
	d := newDecoder()
	if fatal := d.decodeFile(data, c); fatal != nil {
		return nil, &ValidationError{File: name, Problems: []Problem{*fatal}}
	}
	c.lines = d.lines
	c.problems = d.problems
	c.applyChannelDefaults()
	c.readSecrets(getenv)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// applyChannelDefaults fills in what a channel left out. It runs after
// decoding because the defaults depend on the channel's type.
func (c *Config) applyChannelDefaults() {
	for i := range c.Notify.Channels {
		ch := &c.Notify.Channels[i]
		path := fmt.Sprintf("notify.channels[%d]", i)
		if _, ok := c.lines[path+".events"]; !ok {
			ch.Events = append([]redline.EventType(nil), allEvents...)
		}
		if ch.Type != ChannelEmail {
			continue
		}
		if _, ok := c.lines[path+".smtp_port"]; !ok {
			ch.SMTPPort = 587
		}
		if ch.StartTLS == nil {
			t := true
			ch.StartTLS = &t
		}
	}
}

// readSecrets fills every channel's secrets from their files or environment
// variables, recording a problem for each one that cannot be read.
func (c *Config) readSecrets(getenv func(string) string) {
	for i := range c.Notify.Channels {
		ch := &c.Notify.Channels[i]
		path := fmt.Sprintf("notify.channels[%d]", i)
		c.readSecret(getenv, path, "secret", ch.SecretFile, ch.SecretEnv, &ch.Secret)
		c.readSecret(getenv, path, "password", ch.PasswordFile, ch.PasswordEnv, &ch.Password)
	}
}

func (c *Config) readSecret(getenv func(string) string, path, key, file, env string, dst *Secret) {
	switch {
	case file != "" && env != "":
		// Validate reports the ambiguity.
	case file != "":
		p := path + "." + key + "_file"
		b, err := readSecretFile(file)
		if err != nil {
			c.addProblem(p, fmt.Sprintf("read %s: %v", key, err))
			return
		}
		v := strings.TrimRight(string(b), "\r\n")
		if v == "" {
			c.addProblem(p, fmt.Sprintf("%s file %q is empty", key, file))
			return
		}
		*dst = NewSecret(v)
	case env != "":
		p := path + "." + key + "_env"
		v := getenv(env)
		if v == "" {
			c.addProblem(p, fmt.Sprintf("environment variable %q is not set or empty", env))
			return
		}
		*dst = NewSecret(v)
	}
}

// maxSecretSize bounds a secret file: a key or password is short, and a
// path mistyped as /dev/zero must not eat the memory.
const maxSecretSize = 64 << 10

// readSecretFile reads a regular file of at most maxSecretSize bytes; a FIFO
// or device would block or never end.
func readSecretFile(name string) ([]byte, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%q is not a regular file", name)
	}
	if st.Size() > maxSecretSize {
		return nil, fmt.Errorf("%q is larger than %s", name, ByteSize(maxSecretSize))
	}
	return os.ReadFile(name)
}

// addProblem records a problem found while reading the file.
func (c *Config) addProblem(path, msg string) {
	c.problems = append(c.problems, Problem{Path: path, Line: c.lineOf(path), Msg: msg})
}

// Sources converts the configured sources to domain values, in file order.
func (c *Config) Sources() []redline.Source {
	out := make([]redline.Source, 0, len(c.SourceList))
	for _, s := range c.SourceList {
		name := s.Name
		if name == "" {
			name = s.ID
		}
		out = append(out, redline.Source{
			ID:        s.ID,
			Name:      name,
			URL:       s.URL,
			Kind:      s.Kind,
			Schedule:  s.Schedule,
			Selector:  s.Selector,
			Marker:    s.Marker,
			Freshness: s.Freshness,
			Headers:   maps.Clone(s.Headers),
		})
	}
	return out
}

// Redacted returns the effective configuration as YAML, with secrets as
// "<secret>" and webhook URLs cut to scheme://host/…, for check-config to show.
func (c *Config) Redacted() ([]byte, error) {
	b, err := yaml.MarshalWithOptions(c, yaml.Indent(2), yaml.IndentSequence(true),
		yaml.CustomMarshaler[time.Duration](func(d time.Duration) ([]byte, error) {
			return []byte(shortDuration(d)), nil
		}))
	if err != nil {
		return nil, fmt.Errorf("marshal config: %w", err)
	}
	return b, nil
}

// shortDuration prints 72h rather than time.Duration's 72h0m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// orEmpty makes a nil getenv an empty environment.
func orEmpty(getenv func(string) string) func(string) string {
	if getenv == nil {
		return func(string) string { return "" }
	}
	return getenv
}
