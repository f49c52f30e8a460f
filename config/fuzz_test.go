package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/redline-watch/redline/config"
)

// FuzzParse feeds arbitrary bytes to Parse: it must never panic, and it
// must return either a config that can be printed or a *ValidationError.
func FuzzParse(f *testing.F) {
	f.Add(config.EmbeddedYAML())
	if b, err := os.ReadFile(filepath.Join("..", "config.example.yaml")); err == nil {
		f.Add(b)
	}
	for _, s := range []string{
		"",
		"crawler: {timeout: 60}\n",
		"sources:\n  - <<: *a\n",
		"a: &a {b: *a}\nlog: *a\n",
		"sources: [&s {id: x, url: \"https://e.org\", kind: html, schedule: \"@daily\"}, *s]\n",
		"crawler:\n  max_body_size: &x [*x]\n",
		"notify: {channels: [{name: n, type: webhook, secret: x}]}\n",
		"sources: [{id: a, schedule: \"CRON_TZ=\"}]\n",
		"? [a]\n: b\n",
		"--- !!map\n!!str log: {level: !!binary aW5mbw==}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := config.Parse(data, "fuzz.yaml", nil)
		if err != nil {
			var ve *config.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("error %v (%T) is not a ValidationError with problems", err, err)
			}
			return
		}
		if _, err := c.Redacted(); err != nil {
			t.Fatalf("a valid config cannot be printed: %v", err)
		}
	})
}
