package config

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
)

// redacted is what a Secret prints as, whatever the verb or encoder.
const redacted = "<secret>"

// Secret is a credential read from a file or the environment. It prints,
// logs and marshals as "<secret>"; only Reveal gives the value. It is a
// struct rather than a string so that no fmt verb can print the value by
// reflection.
type Secret struct{ value string }

// NewSecret wraps a value, for callers that build a Config in code.
func NewSecret(value string) Secret { return Secret{value: value} }

// Reveal returns the secret value, for the code that must send it.
func (s Secret) Reveal() string { return s.value }

// IsZero reports whether the secret is empty; YAML encoders use it for omitempty.
func (s Secret) IsZero() bool { return s.value == "" }

// String implements fmt.Stringer.
func (s Secret) String() string { return redacted }

// GoString implements fmt.GoStringer.
func (s Secret) GoString() string { return redacted }

// Format implements fmt.Formatter, so that %d, %x and friends cannot print the value either.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText implements encoding.TextMarshaler.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// MarshalJSON implements json.Marshaler.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalYAML implements yaml.InterfaceMarshaler.
func (s Secret) MarshalYAML() (any, error) { return redacted, nil }

// WebhookURL is the endpoint of a webhook. Chat and push services put an
// access token in the path or query, so it prints, logs and marshals as
// scheme://host/… only; Reveal gives the whole URL to the code that posts.
type WebhookURL struct{ raw string }

// NewWebhookURL wraps a URL, for callers that build a Config in code.
func NewWebhookURL(raw string) WebhookURL { return WebhookURL{raw: raw} }

// Reveal returns the whole URL.
func (u WebhookURL) Reveal() string { return u.raw }

// IsZero reports whether the URL is empty.
func (u WebhookURL) IsZero() bool { return u.raw == "" }

// String returns scheme://host/… for a URL that parses, "<invalid url>" otherwise.
func (u WebhookURL) String() string {
	if u.raw == "" {
		return ""
	}
	p, err := url.Parse(u.raw)
	if err != nil || p.Scheme == "" || p.Host == "" {
		return "<invalid url>"
	}
	return p.Scheme + "://" + p.Host + "/…"
}

// GoString implements fmt.GoStringer.
func (u WebhookURL) GoString() string { return u.String() }

// Format implements fmt.Formatter, so that no verb prints the whole URL.
func (u WebhookURL) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, u.String()) }

// LogValue implements slog.LogValuer.
func (u WebhookURL) LogValue() slog.Value { return slog.StringValue(u.String()) }

// MarshalText implements encoding.TextMarshaler with the shortened form.
func (u WebhookURL) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// MarshalJSON implements json.Marshaler with the shortened form.
func (u WebhookURL) MarshalJSON() ([]byte, error) { return json.Marshal(u.String()) }

// MarshalYAML implements yaml.InterfaceMarshaler with the shortened form.
func (u WebhookURL) MarshalYAML() (any, error) { return u.String(), nil }

// UnmarshalText implements encoding.TextUnmarshaler; the URL is checked by Validate.
func (u *WebhookURL) UnmarshalText(text []byte) error {
	u.raw = string(text)
	return nil
}
