package register

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jsMaxDepth bounds nesting so hostile input cannot exhaust the stack.
const jsMaxDepth = 64

// jsLiteral reads one JavaScript object/array/string literal, the subset
// EUR-Lex uses for its embedded timeline: single- or double-quoted strings,
// quoted or bare keys, trailing commas and comments. Objects become
// map[string]any, arrays []any, strings string, and other tokens (numbers,
// true, null) their source text.
type jsLiteral struct {
	s   string
	pos int
}

// parseJSLiteral parses the literal at the start of s (after white space) and
// returns it with the number of bytes consumed.
func parseJSLiteral(s string) (any, int, error) {
	p := &jsLiteral{s: s}
	v, err := p.value(0)
	if err != nil {
		return nil, p.pos, err
	}
	return v, p.pos, nil
}

func (p *jsLiteral) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

// skip moves past white space and comments.
func (p *jsLiteral) skip() {
	for p.pos < len(p.s) {
		switch c := p.s[p.pos]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.pos++
		case strings.HasPrefix(p.s[p.pos:], "//"):
			end := strings.IndexByte(p.s[p.pos:], '\n')
			if end < 0 {
				p.pos = len(p.s)
				return
			}
			p.pos += end + 1
		case strings.HasPrefix(p.s[p.pos:], "/*"):
			end := strings.Index(p.s[p.pos+2:], "*/")
			if end < 0 {
				p.pos = len(p.s)
				return
			}
			p.pos += end + 4
		default:
			return
		}
	}
}

func (p *jsLiteral) value(depth int) (any, error) {
	if depth > jsMaxDepth {
		return nil, p.errorf("nested deeper than %d", jsMaxDepth)
	}
	p.skip()
	if p.pos >= len(p.s) {
		return nil, p.errorf("unexpected end of input")
	}
	switch c := p.s[p.pos]; c {
	case '{':
		return p.object(depth)
	case '[':
		return p.array(depth)
	case '\'', '"':
		return p.str()
	default:
		tok := p.bare()
		if tok == "" {
			return nil, p.errorf("unexpected %q", c)
		}
		return tok, nil
	}
}

// bare reads an identifier or number token.
func (p *jsLiteral) bare() string {
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '_' || c == '$' || c == '.' || c == '+' || c == '-' ||
			'0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			p.pos++
			continue
		}
		break
	}
	return p.s[start:p.pos]
}

func (p *jsLiteral) object(depth int) (map[string]any, error) {
	p.pos++ // '{'
	obj := map[string]any{}
	for {
		p.skip()
		if p.pos >= len(p.s) {
			return nil, p.errorf("unterminated object")
		}
		if p.s[p.pos] == '}' {
			p.pos++
			return obj, nil
		}
		var key string
		if c := p.s[p.pos]; c == '\'' || c == '"' {
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			key = k
		} else if key = p.bare(); key == "" {
			return nil, p.errorf("expected a key, found %q", c)
		}
		p.skip()
		if p.pos >= len(p.s) || p.s[p.pos] != ':' {
			return nil, p.errorf("expected ':' after key %q", key)
		}
		p.pos++
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		obj[key] = v
		p.skip()
		if p.pos < len(p.s) && p.s[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.s) && p.s[p.pos] == '}' {
			p.pos++
			return obj, nil
		}
		return nil, p.errorf("expected ',' or '}' after value of %q", key)
	}
}

func (p *jsLiteral) array(depth int) ([]any, error) {
	p.pos++ // '['
	var arr []any
	for {
		p.skip()
		if p.pos >= len(p.s) {
			return nil, p.errorf("unterminated array")
		}
		if p.s[p.pos] == ']' {
			p.pos++
			return arr, nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		p.skip()
		if p.pos < len(p.s) && p.s[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.s) && p.s[p.pos] == ']' {
			p.pos++
			return arr, nil
		}
		return nil, p.errorf("expected ',' or ']' in array")
	}
}

// str reads a quoted string and resolves its escapes.
func (p *jsLiteral) str() (string, error) {
	quote := p.s[p.pos]
	p.pos++
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == quote:
			p.pos++
			return b.String(), nil
		case c == '\\' && p.pos+1 < len(p.s):
			p.pos++
			if err := p.escape(&b); err != nil {
				return "", err
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", p.errorf("unterminated string")
}

// escape decodes the escape sequence whose letter is at p.pos.
func (p *jsLiteral) escape(b *strings.Builder) error {
	c := p.s[p.pos]
	p.pos++
	switch c {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case 'b', 'f', 'v':
		b.WriteByte(' ')
	case '\n':
		// a line continuation adds nothing
	case 'u', 'x':
		n := 4
		if c == 'x' {
			n = 2
		}
		if p.pos+n > len(p.s) {
			return p.errorf("short \\%c escape", c)
		}
		r, err := strconv.ParseUint(p.s[p.pos:p.pos+n], 16, 32)
		if err != nil {
			return p.errorf("bad \\%c escape %q", c, p.s[p.pos:p.pos+n])
		}
		p.pos += n
		if !utf8.ValidRune(rune(r)) {
			r = utf8.RuneError
		}
		b.WriteRune(rune(r))
	default:
		// \' \" \\ \/ and any other escaped character stand for themselves.
		b.WriteByte(c)
	}
	return nil
}
