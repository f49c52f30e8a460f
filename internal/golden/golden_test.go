package golden

import "testing"

func TestFirstDiff(t *testing.T) {
	cases := []struct{ got, want, diff string }{
		{"a\nb\n", "a\nc\n", "line 2:\n got: b\nwant: c"},
		{"a\n", "a\nb\n", "line 2:\n got: \nwant: b"},
		{"a", "a", "no difference"},
	}
	for _, c := range cases {
		if d := FirstDiff(c.got, c.want); d != c.diff {
			t.Errorf("FirstDiff(%q, %q) = %q, want %q", c.got, c.want, d, c.diff)
		}
	}
}
