package config_test

import (
	"strings"
	"testing"

	"github.com/redline-watch/redline/config"
)

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want config.ByteSize
		err  string
	}{
		{"plain bytes", "1048576", 1 << 20, ""},
		{"mebibytes", "64MiB", 64 << 20, ""},
		{"megabytes", "10MB", 10_000_000, ""},
		{"kibibytes with space", "512 KiB", 512 << 10, ""},
		{"lower case unit", "2gib", 2 << 30, ""},
		{"fraction", "1.5KiB", 1536, ""},
		{"bytes unit", "100B", 100, ""},
		{"tebibytes", "1TiB", 1 << 40, ""},
		{"zero", "0", 0, ""},
		{"fraction of a byte", "1.5B", 0, "not a whole number of bytes"},
		{"negative", "-1MiB", 0, "want a number of bytes"},
		{"exponent", "1e9", 0, "want a number of bytes"},
		{"unknown unit", "5 megs", 0, `unknown unit "megs"`},
		{"ambiguous unit", "5M", 0, `unknown unit "M"`},
		{"empty", "", 0, "want a number of bytes"},
		{"too large", "9000000TiB", 0, "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := config.ParseByteSize(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseByteSize(%q) = %v, %v; want an error containing %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseByteSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestByteSizeString(t *testing.T) {
	tests := []struct {
		in   config.ByteSize
		want string
	}{
		{0, "0B"},
		{64 * config.MiB, "64MiB"},
		{1536, "1536B"},
		{10_000_000, "10MB"},
		{1000, "1KB"},
		{1023, "1023B"},
		{3 * config.GiB, "3GiB"},
	}
	for _, tt := range tests {
		got := tt.in.String()
		if got != tt.want {
			t.Errorf("ByteSize(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
		}
		back, err := config.ParseByteSize(got)
		if err != nil || back != tt.in {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", got, back, err, tt.in)
		}
	}
}
