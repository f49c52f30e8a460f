package config

import (
	"encoding/base64"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/andybalholm/cascadia"
	"github.com/robfig/cron/v3"
	"golang.org/x/net/http/httpguts"

	"github.com/redline-watch/redline"

	_ "time/tzdata" // CRON_TZ zones must load on hosts without /usr/share/zoneinfo
)

// Problem is one thing wrong with a configuration.
type Problem struct {
	// Path is the field path, e.g. "sources[2].schedule"; empty for the file as a whole.
	Path string
	// Line is the line in the file the value came from; 0 when it came from the defaults.
	Line int
	// Msg says what is wrong and never quotes a secret.
	Msg string
}

// String formats the problem as "line: path: msg" without the file name.
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "%d: ", p.Line)
	}
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// ValidationError lists every problem found in a configuration.
type ValidationError struct {
	// File names the file in messages; empty for a Config built in code.
	File     string
	Problems []Problem
}

// Error lists one problem per line as "file:line: path: message".
func (e *ValidationError) Error() string {
	lines := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		switch {
		case e.File != "" && p.Line > 0:
			lines = append(lines, e.File+":"+p.String())
		case e.File != "":
			lines = append(lines, e.File+": "+p.String())
		default:
			lines = append(lines, p.String())
		}
	}
	return strings.Join(lines, "\n")
}

// userAgentURL finds the contact URL a User-Agent must carry.
var userAgentURL = regexp.MustCompile(`https?://[^\s()<>;]+`)

// Validate checks the configuration and returns every problem at once as a
// *ValidationError, or nil. Problems found while reading the file (unknown
// keys, type errors, unreadable secrets) are part of the result.
func (c *Config) Validate() error {
	v := &validator{c: c, problems: slices.Clone(c.problems)}
	v.general()
	v.sources()
	v.channels()
	if len(v.problems) == 0 {
		return nil
	}
	// File order reads best; problems without a line (defaults) go last.
	slices.SortStableFunc(v.problems, func(a, b Problem) int {
		return sortLine(a.Line) - sortLine(b.Line)
	})
	return &ValidationError{File: c.file, Problems: slices.Compact(v.problems)}
}

func sortLine(l int) int {
	if l == 0 {
		return int(^uint(0) >> 2)
	}
	return l
}

type validator struct {
	c        *Config
	problems []Problem
}

// add records a problem unless reading the file already found one at the
// same path: "want a string, got a list" needs no "is required" after it.
func (v *validator) add(path, format string, args ...any) {
	if v.c.hasProblem(path) {
		return
	}
	v.problems = append(v.problems, Problem{Path: path, Line: v.c.lineOf(path), Msg: fmt.Sprintf(format, args...)})
}

// lineOf finds the line of path, or of its nearest parent that has one: a
// missing key is reported where its mapping starts.
func (c *Config) lineOf(path string) int {
	for path != "" {
		if l, ok := c.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// hasProblem reports whether reading the file already found a problem at path.
func (c *Config) hasProblem(path string) bool {
	return slices.ContainsFunc(c.problems, func(p Problem) bool { return p.Path == path })
}

func (v *validator) general() {
	c := v.c
	if strings.TrimSpace(c.Storage.Path) == "" {
		v.add("storage.path", "must not be empty")
	}
	if strings.TrimSpace(c.Report.Path) == "" {
		v.add("report.path", "must not be empty")
	}
	if host, port, err := net.SplitHostPort(c.HTTP.Listen); err != nil {
		v.add("http.listen", "want host:port such as 127.0.0.1:8080, got %q", c.HTTP.Listen)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		// Port 0 asks the kernel for a free port (the daemon logs which).
		v.add("http.listen", "port %q is not a number from 0 to 65535", port)
	} else if strings.ContainsAny(host, " /") {
		v.add("http.listen", "invalid host %q", host)
	}

	cr := c.Crawler
	ua := cr.UserAgent
	switch {
	case !strings.Contains(strings.ToLower(ua), "redline"):
		v.add("crawler.user_agent", "must name redline, e.g. %q", DefaultUserAgent)
	case !hasHTTPURL(ua):
		v.add("crawler.user_agent", "must carry a contact URL (http or https), e.g. %q", DefaultUserAgent)
	case !httpguts.ValidHeaderFieldValue(ua):
		v.add("crawler.user_agent", "contains characters not allowed in an HTTP header")
	}
	if cr.Timeout <= 0 {
		v.add("crawler.timeout", "must be greater than 0, got %s", cr.Timeout)
	}
	if cr.MaxBodySize <= 0 {
		v.add("crawler.max_body_size", "must be greater than 0, got %s", cr.MaxBodySize)
	}
	if cr.HostDelay < 0 {
		v.add("crawler.host_delay", "must not be negative, got %s", cr.HostDelay)
	}
	if cr.Retries < 0 || cr.Retries > 10 {
		v.add("crawler.retries", "must be from 0 to 10, got %d", cr.Retries)
	}
	if !(cr.ShrinkRatio >= 0 && cr.ShrinkRatio < 1) {
		v.add("crawler.shrink_ratio", "must be at least 0 and below 1, got %v", cr.ShrinkRatio)
	}

	s := c.Scheduler
	if s.Workers < 1 {
		v.add("scheduler.workers", "must be at least 1, got %d", s.Workers)
	}
	if s.Jitter < 0 {
		v.add("scheduler.jitter", "must not be negative, got %s", s.Jitter)
	}
	if s.CheckTimeout <= 0 {
		v.add("scheduler.check_timeout", "must be greater than 0, got %s", s.CheckTimeout)
	}
	if s.FailingAfter < 1 {
		v.add("scheduler.failing_after", "must be at least 1, got %d", s.FailingAfter)
	}

	if f := c.Demands.File; f != "" {
		if st, err := os.Stat(f); err != nil {
			v.add("demands.file", "%v", err)
		} else if !st.Mode().IsRegular() {
			v.add("demands.file", "%q is not a regular file", f)
		}
	}

	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		v.add("log.level", "want debug, info, warn or error, got %q", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		v.add("log.format", "want text or json, got %q", c.Log.Format)
	}
}

func hasHTTPURL(s string) bool {
	for _, m := range userAgentURL.FindAllString(s, -1) {
		if u, err := url.Parse(m); err == nil && u.Host != "" {
			return true
		}
	}
	return false
}

func (v *validator) sources() {
	seen := map[string]string{}
	for i, s := range v.c.SourceList {
		p := fmt.Sprintf("sources[%d]", i)
		switch {
		case s.ID == "":
			v.add(p+".id", "is required")
		case !redline.ValidSourceID(s.ID):
			v.add(p+".id", "%q is not a valid id: use lowercase letters, digits and '-', starting with a letter or digit", s.ID)
		case seen[s.ID] != "":
			v.add(p+".id", "duplicate id %q (also %s)", s.ID, seen[s.ID])
		default:
			seen[s.ID] = p + ".id"
		}
		if msg := checkURL(s.URL); msg != "" {
			v.add(p+".url", "%s", msg)
		}
		switch {
		case s.Kind == "":
			v.add(p+".kind", "is required: html, xhtml, pdf or register")
		case !s.Kind.Valid():
			v.add(p+".kind", "want html, xhtml, pdf or register, got %q", s.Kind)
		}
		if s.Schedule == "" {
			v.add(p+".schedule", "is required, e.g. \"CRON_TZ=Europe/Brussels 15 6 * * *\"")
		} else if err := checkSchedule(s.Schedule); err != nil {
			v.add(p+".schedule", "invalid cron spec %q: %v", s.Schedule, err)
		}
		if s.Selector != "" {
			if s.Kind == redline.KindPDF || s.Kind == redline.KindRegister {
				v.add(p+".selector", "only html and xhtml sources have a selector")
			} else if _, err := cascadia.Compile(s.Selector); err != nil {
				v.add(p+".selector", "invalid CSS selector %q: %v", s.Selector, err)
			}
		}
		if s.Freshness < 0 {
			v.add(p+".freshness", "must not be negative, got %s", s.Freshness)
		}
		for _, name := range sortedKeys(s.Headers) {
			hp := joinPath(p+".headers", name)
			if !httpguts.ValidHeaderFieldName(name) {
				v.add(hp, "%q is not a valid HTTP header name", name)
			} else if !httpguts.ValidHeaderFieldValue(s.Headers[name]) {
				v.add(hp, "the value contains characters not allowed in an HTTP header")
			}
		}
	}
}

// checkURL returns what is wrong with a source URL, or "".
func checkURL(raw string) string {
	if raw == "" {
		return "is required"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Sprintf("invalid URL %q", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Sprintf("want an absolute http or https URL, got %q", raw)
	}
	return ""
}

// checkSchedule parses a cron spec. robfig/cron panics on some malformed
// TZ prefixes ("CRON_TZ=Europe/Brussels" with no fields), hence the recover.
func checkSchedule(spec string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("want CRON_TZ=Zone followed by five fields")
		}
	}()
	_, err = cron.ParseStandard(spec)
	return err
}

func (v *validator) channels() {
	seen := map[string]string{}
	for i := range v.c.Notify.Channels {
		ch := &v.c.Notify.Channels[i]
		p := fmt.Sprintf("notify.channels[%d]", i)
		switch {
		case ch.Name == "":
			v.add(p+".name", "is required")
		case !redline.ValidSourceID(ch.Name):
			v.add(p+".name", "%q is not a valid name: use lowercase letters, digits and '-'", ch.Name)
		case seen[ch.Name] != "":
			v.add(p+".name", "duplicate name %q (also %s)", ch.Name, seen[ch.Name])
		default:
			seen[ch.Name] = p + ".name"
		}
		if _, ok := v.c.lines[p+".events"]; ok && len(ch.Events) == 0 {
			v.add(p+".events", "is empty; leave the key out to receive every event")
		}
		for j, e := range ch.Events {
			if !slices.Contains(allEvents, e) {
				v.add(fmt.Sprintf("%s.events[%d]", p, j), "unknown event type %q; want one of %s", e, eventList())
			}
		}
		switch ch.Type {
		case ChannelWebhook:
			v.webhook(p, ch)
		case ChannelEmail:
			v.email(p, ch)
		case "":
			v.add(p+".type", "is required: email or webhook")
		default:
			v.add(p+".type", "want email or webhook, got %q", ch.Type)
		}
	}
}

func eventList() string {
	names := make([]string, len(allEvents))
	for i, e := range allEvents {
		names[i] = string(e)
	}
	return strings.Join(names, ", ")
}

func (v *validator) webhook(p string, ch *Channel) {
	// The URL may carry a token, so messages never quote it.
	raw := ch.URL.Reveal()
	if raw == "" {
		v.add(p+".url", "is required for a webhook")
	} else if u, err := url.Parse(raw); err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		v.add(p+".url", "want an absolute http or https URL")
	}
	if v.secretSource(p, "secret", ch.SecretFile, ch.SecretEnv, ch.Secret) && !ch.Secret.IsZero() {
		key, ok := strings.CutPrefix(ch.Secret.Reveal(), "whsec_")
		if b, err := base64.StdEncoding.DecodeString(key); !ok || err != nil || len(b) == 0 {
			v.add(p+".secret_"+secretFrom(ch.SecretFile), "the secret is not a Standard Webhooks key (whsec_ followed by base64)")
		}
	}
	foreign := map[string]bool{
		"smtp_host": ch.SMTPHost != "", "smtp_port": ch.SMTPPort != 0, "username": ch.Username != "",
		"password_file": ch.PasswordFile != "", "password_env": ch.PasswordEnv != "",
		"from": ch.From != "", "to": len(ch.To) > 0, "starttls": ch.StartTLS != nil,
	}
	for _, k := range sortedKeys(foreign) {
		if foreign[k] {
			v.add(p+"."+k, "only email channels have %s", k)
		}
	}
}

func (v *validator) email(p string, ch *Channel) {
	if ch.SMTPHost == "" {
		v.add(p+".smtp_host", "is required for email")
	}
	if ch.SMTPPort < 1 || ch.SMTPPort > 65535 {
		v.add(p+".smtp_port", "must be from 1 to 65535, got %d", ch.SMTPPort)
	}
	if ch.From == "" {
		v.add(p+".from", "is required for email")
	} else if _, err := mail.ParseAddress(ch.From); err != nil {
		v.add(p+".from", "invalid address %q: %v", ch.From, err)
	}
	if len(ch.To) == 0 {
		v.add(p+".to", "needs at least one address")
	}
	for j, to := range ch.To {
		if _, err := mail.ParseAddress(to); err != nil {
			v.add(fmt.Sprintf("%s.to[%d]", p, j), "invalid address %q: %v", to, err)
		}
	}
	hasPassword := ch.PasswordFile != "" || ch.PasswordEnv != ""
	switch {
	case ch.Username != "":
		v.secretSource(p, "password", ch.PasswordFile, ch.PasswordEnv, ch.Password)
	case hasPassword:
		v.add(p+".username", "is required when a password is set")
	}
	foreign := map[string]bool{
		"url": !ch.URL.IsZero(), "secret_file": ch.SecretFile != "", "secret_env": ch.SecretEnv != "",
	}
	for _, k := range sortedKeys(foreign) {
		if foreign[k] {
			v.add(p+"."+k, "only webhook channels have %s", k)
		}
	}
}

// secretSource checks that exactly one of KEY_file and KEY_env is set and
// that the secret was read. It reports whether the secret can be checked
// further.
func (v *validator) secretSource(p, key, file, env string, s Secret) bool {
	switch {
	case file != "" && env != "":
		v.add(p+"."+key+"_file", "set only one of %s_file and %s_env", key, key)
		return false
	case file == "" && env == "":
		v.add(p+"."+key+"_file", "set %s_file or %s_env", key, key)
		return false
	}
	path := p + "." + key + "_" + secretFrom(file)
	if s.IsZero() {
		if !v.c.hasProblem(path) {
			v.add(path, "the %s has not been read; load the configuration with Load or Parse", key)
		}
		return false
	}
	return true
}

// secretFrom names the key suffix a secret was read through.
func secretFrom(file string) string {
	if file != "" {
		return "file"
	}
	return "env"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
