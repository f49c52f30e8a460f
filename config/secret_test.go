package config_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redline-watch/redline/config"
)

// The values a rendering of the config must never contain.
const (
	password   = "hunter2-smtp-password"
	pathToken  = "T0KEN-IN-PATH"
	queryToken = "T0KEN-IN-QUERY"
)

var webhookKey = "whsec_" + base64.StdEncoding.EncodeToString([]byte("very-secret-signing-key"))

func secretConfig(t *testing.T) *config.Config {
	t.Helper()
	secretFile := filepath.Join(t.TempDir(), "webhook.key")
	if err := os.WriteFile(secretFile, []byte(webhookKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	in := fmt.Sprintf(`notify:
  channels:
    - name: hook
      type: webhook
      url: https://hooks.example.org/services/%s?key=%s
      secret_file: %q
    - name: mail
      type: email
      smtp_host: smtp.example.org
      username: redline@example.org
      password_env: SMTP_PASSWORD
      from: redline@example.org
      to: [team@example.org]
`, pathToken, queryToken, secretFile)
	c, err := config.Parse([]byte(in), "secrets.yaml", env(map[string]string{"SMTP_PASSWORD": password}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSecretsAreRead(t *testing.T) {
	c := secretConfig(t)
	hook, mail := c.Notify.Channels[0], c.Notify.Channels[1]
	if got := hook.Secret.Reveal(); got != webhookKey {
		t.Errorf("webhook secret = %q, want the file's content without the newline", got)
	}
	if got := mail.Password.Reveal(); got != password {
		t.Errorf("password = %q, want the environment variable's value", got)
	}
	if got, want := hook.URL.Reveal(), "https://hooks.example.org/services/"+pathToken+"?key="+queryToken; got != want {
		t.Errorf("webhook URL = %q, want %q", got, want)
	}
	if !mail.UseStartTLS() || mail.SMTPPort != 587 {
		t.Errorf("email defaults: starttls %v, port %d; want true, 587", mail.UseStartTLS(), mail.SMTPPort)
	}
	if hook.StartTLS != nil || hook.SMTPPort != 0 {
		t.Errorf("a webhook got email defaults: starttls %v, port %d", hook.StartTLS, hook.SMTPPort)
	}
	if len(hook.Events) != 5 || !hook.Wants("dossier.changed") {
		t.Errorf("events = %v, want all five by default", hook.Events)
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	c := secretConfig(t)
	hook := c.Notify.Channels[0]
	red, err := c.Redacted()
	if err != nil {
		t.Fatal(err)
	}
	jsonText, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var textLog, jsonLog bytes.Buffer
	slog.New(slog.NewTextHandler(&textLog, nil)).Info("loaded", "config", c, "channel", hook, "secret", hook.Secret, "url", hook.URL)
	slog.New(slog.NewJSONHandler(&jsonLog, nil)).Info("loaded", "config", c, "channel", hook, "secret", hook.Secret, "url", hook.URL)
	renderings := map[string]string{
		"fmt config":  fmt.Sprintf("%v %+v %#v", c, c, c),
		"fmt channel": fmt.Sprintf("%v %+v %#v", hook, hook, hook),
		"fmt secret":  fmt.Sprintf("%v %+v %#v %s %q %x %X %d %10s", hook.Secret, hook.Secret, hook.Secret, hook.Secret, hook.Secret, hook.Secret, hook.Secret, hook.Secret, hook.Secret),
		"fmt url":     fmt.Sprintf("%v %+v %#v %s %q %x %d", hook.URL, hook.URL, hook.URL, hook.URL, hook.URL, hook.URL, hook.URL),
		"redacted":    string(red),
		"json":        string(jsonText),
		"slog text":   textLog.String(),
		"slog json":   jsonLog.String(),
	}
	for name, text := range renderings {
		for _, secret := range []string{password, webhookKey, pathToken, queryToken} {
			if strings.Contains(text, secret) {
				t.Errorf("%s shows %q:\n%s", name, secret, text)
			}
		}
	}
	for _, want := range []string{"secret: <secret>", "password: <secret>", "url: https://hooks.example.org/…", "secret_file:", "password_env: SMTP_PASSWORD"} {
		if !strings.Contains(string(red), want) {
			t.Errorf("Redacted() lacks %q:\n%s", want, red)
		}
	}
}

func TestSecretsNotInErrors(t *testing.T) {
	const badKey = "not-a-standard-webhooks-key"
	in := fmt.Sprintf(`notify:
  channels:
    - name: hook
      type: webhook
      url: "https://hooks.example.org/%s/%%zz"
      secret_env: HOOK_KEY
`, pathToken)
	_, err := config.Parse([]byte(in), "secrets.yaml", env(map[string]string{"HOOK_KEY": badKey}))
	checkProblems(t, err, []want{
		{5, "notify.channels[0].url", "want an absolute http or https URL"},
		{6, "notify.channels[0].secret_env", "not a Standard Webhooks key"},
	})
	for _, secret := range []string{badKey, pathToken} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error shows %q:\n%v", secret, err)
		}
	}
}

func TestWebhookURLString(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"path and query hidden", "https://hooks.example.org/services/abc?token=x", "https://hooks.example.org/…"},
		{"user info hidden", "https://user:pw@hooks.example.org:8443/x", "https://hooks.example.org:8443/…"},
		{"invalid", "https://hooks.example.org/%zz", "<invalid url>"},
		{"relative", "/just/a/path", "<invalid url>"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := config.NewWebhookURL(tt.raw).String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
