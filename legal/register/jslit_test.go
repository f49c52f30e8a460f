package register

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseJSLiteral(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want any
	}{
		{"single quotes", `{'a':'x'}`, map[string]any{"a": "x"}},
		{"double quotes and bare key", `{"a": "x", b: 'y'}`, map[string]any{"a": "x", "b": "y"}},
		{"escapes", `'EP\'s \"x\" a\/b \u2013 \x41\n'`, "EP's \"x\" a/b – A\n"},
		{"trailing commas", `{'l':[1, 2,],}`, map[string]any{"l": []any{"1", "2"}}},
		{"comments", "{ // note\n 'a' /* c */ : true }", map[string]any{"a": "true"}},
		{"empty", `{'events':[]}`, map[string]any{"events": []any(nil)}},
		{"html in string", `'<a href="x">y</a>'`, `<a href="x">y</a>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _, err := parseJSLiteral(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %#v, want %#v", got, c.want)
			}
		})
	}
}

func TestParseJSLiteralErrors(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"unterminated string", `{'a':'x`, "offset 7: unterminated string"},
		{"unterminated object", `{'a':'x',`, "unterminated object"},
		{"missing colon", `{'a' 'x'}`, `expected ':' after key "a"`},
		{"missing comma", `['a' 'b']`, "expected ',' or ']' in array"},
		{"bad key", `{;}`, `expected a key, found ';'`},
		{"bad unicode escape", `'\uZZZZ'`, `bad \u escape "ZZZZ"`},
		{"short escape", `'\u12`, `short \u escape`},
		{"too deep", strings.Repeat("[", jsMaxDepth+2), "nested deeper than 64"},
		{"nothing", "  ", "unexpected end of input"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := parseJSLiteral(c.in)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}
