package norm

import "testing"

func TestText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"nbsp", "Article\u00a05", "Article 5"},
		{"paragraph number", "1.\u00a0\u00a0\u00a0The following", "1. The following"},
		{"ligature", "ef\ufb01cient", "efficient"},
		{"collapse", "  a \t\n b  ", "a b"},
		{"soft hyphen", "bio\u00admetric", "biometric"},
		{"invalid utf8", "a\xffb", "a\ufffdb"},
		{"narrow nbsp", "10\u202f000", "10 000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Text(c.in); got != c.want {
				t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestLines(t *testing.T) {
	got := Lines("a\n\n  \n b\u00a0c \n")
	if len(got) != 2 || got[0] != "a" || got[1] != "b c" {
		t.Errorf("Lines = %q", got)
	}
}
