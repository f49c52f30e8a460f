package config

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// decoder overlays a YAML document onto a Config by walking the AST against
// the struct's yaml tags. Walking by hand, rather than decoding with
// yaml.Strict(), lets it collect every unknown key and type error with its
// field path and line instead of stopping at the first one.
type decoder struct {
	// dec has seen the whole document, so it resolves aliases inside leaf values.
	dec *yaml.Decoder
	// anchors resolves aliases where the walk expects a mapping or a sequence.
	anchors  map[string]ast.Node
	lines    map[string]int
	problems []Problem
	// steps counts mappings and lists walked; merge keys over aliases can
	// refer to themselves or blow up exponentially, so the walk has a budget.
	steps int
}

// maxSteps is far more mappings and lists than any real configuration has.
const maxSteps = 10000

func newDecoder() *decoder {
	return &decoder{
		dec:     yaml.NewDecoder(bytes.NewReader(nil)),
		anchors: map[string]ast.Node{},
		lines:   map[string]int{},
	}
}

var (
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	durationType        = reflect.TypeFor[time.Duration]()
	secretType          = reflect.TypeFor[Secret]()
)

// decodeFile parses data and overlays it onto c. A file that cannot be read
// as YAML at all yields one fatal problem; everything else is collected in
// d.problems.
func (d *decoder) decodeFile(data []byte, c *Config) *Problem {
	var file *ast.File
	err := safely(func() (err error) {
		file, err = parser.ParseBytes(data, 0)
		return err
	})
	if err != nil {
		p := yamlProblem("", 0, err)
		p.Msg = "invalid YAML: " + p.Msg
		return &p
	}
	var bodies []ast.Node
	for _, doc := range file.Docs {
		if doc != nil && doc.Body != nil {
			bodies = append(bodies, doc.Body)
		}
	}
	if len(bodies) == 0 {
		return nil // an empty file keeps every default
	}
	if len(bodies) > 1 {
		return &Problem{Line: lineOf(bodies[1]), Msg: "the file holds more than one YAML document; keep one"}
	}
	body := bodies[0]
	ast.Walk(visitFunc(func(n ast.Node) {
		if a, ok := n.(*ast.AnchorNode); ok && a.Name != nil {
			d.anchors[a.Name.GetToken().Value] = a.Value
		}
	}), body)
	// Decoding the whole document once registers its anchors in d.dec and
	// finds dangling aliases and duplicate keys before the walk.
	var all any
	if err := safely(func() error { return d.dec.DecodeFromNode(body, &all) }); err != nil {
		p := yamlProblem("", lineOf(body), err)
		p.Msg = "invalid YAML: " + p.Msg
		return &p
	}
	d.mapping("", body, reflect.ValueOf(c).Elem())
	return nil
}

// visitFunc adapts a function to ast.Visitor.
type visitFunc func(ast.Node)

// Visit implements ast.Visitor.
func (f visitFunc) Visit(n ast.Node) ast.Visitor {
	if n != nil {
		f(n)
	}
	return f
}

// resolve looks through anchors, aliases and tags to the node that holds a value.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for range 100 { // an alias cycle must not loop forever
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			target, ok := d.anchors[aliasName(v)]
			if !ok || target == nil {
				return v
			}
			n = target
		default:
			return n
		}
	}
	return n
}

func aliasName(a *ast.AliasNode) string {
	if a.Value == nil {
		return ""
	}
	return a.Value.GetToken().Value
}

// spend takes one step of the budget and reports whether the walk may go on.
func (d *decoder) spend(path string, n ast.Node) bool {
	d.steps++
	if d.steps == maxSteps {
		d.problem(path, lineOf(n), "too many nested aliases and merge keys; write the values out")
	}
	return d.steps < maxSteps
}

// mapping overlays a YAML mapping onto the struct v.
func (d *decoder) mapping(path string, n ast.Node, v reflect.Value) {
	if !d.spend(path, n) {
		return
	}
	n = d.resolve(n)
	if n == nil || n.Type() == ast.NullType {
		return // "crawler:" with nothing under it keeps the defaults
	}
	m, ok := n.(ast.MapNode)
	if !ok {
		d.problem(path, lineOf(n), "want a mapping of keys to values, got %s", describe(n))
		return
	}
	fields := yamlFields(v.Type())
	var explicit []*ast.MappingValueNode
	it := m.MapRange()
	for it.Next() {
		kv := it.KeyValue()
		if kv.Key != nil && kv.Key.IsMergeKey() {
			// "<<: *defaults": merged keys come first so explicit keys win.
			d.merge(path, kv.Value, v)
			continue
		}
		explicit = append(explicit, kv)
	}
	for _, kv := range explicit {
		key := keyText(kv.Key)
		p := joinPath(path, key)
		line := lineOf(kv.Key)
		i, ok := fields[key]
		if !ok {
			d.problem(p, line, "unknown key%s", suggest(key, fields))
			continue
		}
		d.lines[p] = line
		f := v.Field(i)
		switch {
		case f.Type() == secretType:
			d.problem(p, line, "secrets cannot be written in the file; use %s_file or %s_env", key, key)
		case isStruct(f.Type()):
			d.mapping(p, kv.Value, f)
		case f.Kind() == reflect.Slice && isStruct(f.Type().Elem()):
			d.sequence(p, kv.Value, f)
		default:
			d.leaf(p, line, kv.Value, f)
		}
	}
}

// merge applies a "<<" merge key: one mapping or a sequence of mappings,
// of which the earlier ones win, as the YAML merge-key spec says.
func (d *decoder) merge(path string, n ast.Node, v reflect.Value) {
	n = d.resolve(n)
	if s, ok := n.(*ast.SequenceNode); ok {
		for _, item := range slices.Backward(s.Values) {
			d.mapping(path, item, v)
		}
		return
	}
	d.mapping(path, n, v)
}

// sequence decodes a YAML sequence into the slice of structs v, replacing it.
func (d *decoder) sequence(path string, n ast.Node, v reflect.Value) {
	if !d.spend(path, n) {
		return
	}
	n = d.resolve(n)
	v.SetZero()
	if n == nil || n.Type() == ast.NullType {
		return
	}
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		d.problem(path, lineOf(n), "want a list, got %s", describe(n))
		return
	}
	out := reflect.MakeSlice(v.Type(), 0, len(s.Values))
	for i, item := range s.Values {
		p := fmt.Sprintf("%s[%d]", path, i)
		d.lines[p] = lineOf(item)
		elem := reflect.New(v.Type().Elem()).Elem()
		d.mapping(p, item, elem)
		out = reflect.Append(out, elem)
	}
	v.Set(out)
}

// leaf decodes a scalar, list or map value into f, replacing what was there.
func (d *decoder) leaf(path string, line int, n ast.Node, f reflect.Value) {
	r := d.resolve(n)
	if r == nil || r.Type() == ast.NullType {
		f.SetZero()
		return
	}
	if f.Type() == durationType {
		d.duration(path, line, r, f)
		return
	}
	// goccy expands aliases into text for TextUnmarshalers; only a scalar
	// may reach it, or a nest of aliases could grow without bound.
	if reflect.PointerTo(f.Type()).Implements(textUnmarshalerType) && !isScalar(r) {
		d.problem(path, line, "want a string, got %s", describe(r))
		return
	}
	tmp := reflect.New(f.Type())
	if err := safely(func() error { return d.dec.DecodeFromNode(n, tmp.Interface()) }); err != nil {
		var te *yaml.TypeError
		var ue *yaml.UnexpectedNodeTypeError
		if errors.As(err, &te) || errors.As(err, &ue) {
			d.problem(path, line, "want %s, got %s", want(f.Type()), describe(r))
			return
		}
		d.problem(path, line, "%s", yamlMessage(err))
		return
	}
	f.Set(tmp.Elem())
	// Keys reached through an alias keep the line of the alias, where they are used.
	if _, alias := n.(*ast.AliasNode); alias {
		return
	}
	if m, ok := r.(ast.MapNode); ok {
		it := m.MapRange()
		for it.Next() {
			d.lines[joinPath(path, keyText(it.Key()))] = lineOf(it.Key())
		}
	}
}

// duration reads Go duration syntax ("90s", "72h"). A bare number is refused
// because "timeout: 60" would otherwise silently mean 60 nanoseconds.
func (d *decoder) duration(path string, line int, n ast.Node, f reflect.Value) {
	var s string
	switch v := n.(type) {
	case *ast.StringNode:
		s = v.Value
	case *ast.IntegerNode:
		if fmt.Sprint(v.Value) == "0" {
			f.SetInt(0)
			return
		}
		d.problem(path, line, "a duration needs a unit, e.g. \"%vs\" or \"%vm\"", v.Value, v.Value)
		return
	default:
		d.problem(path, line, "want a duration such as \"90s\" or \"72h\", got %s", describe(n))
		return
	}
	v, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		d.problem(path, line, "invalid duration %q: use a number with a unit h, m, s or ms, e.g. \"72h\" or \"90s\"", s)
		return
	}
	f.SetInt(int64(v))
}

func (d *decoder) problem(path string, line int, format string, args ...any) {
	d.problems = append(d.problems, Problem{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func isScalar(n ast.Node) bool {
	_, ok := n.(ast.ScalarNode)
	return ok
}

// isStruct reports whether t is decoded key by key rather than as one value.
func isStruct(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && !reflect.PointerTo(t).Implements(textUnmarshalerType)
}

// yamlFields maps yaml key names to field indexes of struct type t.
func yamlFields(t reflect.Type) map[string]int {
	out := map[string]int{}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if !sf.IsExported() || name == "" || name == "-" {
			continue
		}
		out[name] = i
	}
	return out
}

// keyText returns the text of a mapping key without quotes.
func keyText(k ast.MapKeyNode) string {
	if k == nil {
		return ""
	}
	switch v := k.(type) {
	case *ast.StringNode:
		return v.Value
	case *ast.MappingKeyNode:
		if v.Value != nil {
			return v.Value.GetToken().Value
		}
	}
	if tk := k.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

// simpleKey is a key that needs no quoting in a field path.
var simpleKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// joinPath appends key to a field path: "crawler" + "timeout" is
// "crawler.timeout"; an odd key is quoted: headers["X Y"].
func joinPath(path, key string) string {
	if !simpleKey.MatchString(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func lineOf(n ast.Node) int {
	if n == nil {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// describe names the kind of a YAML node for messages, without its value.
func describe(n ast.Node) string {
	switch n.Type() {
	case ast.MappingType, ast.MappingValueType:
		return "a mapping"
	case ast.SequenceType:
		return "a list"
	case ast.StringType, ast.LiteralType:
		return "a string"
	case ast.IntegerType:
		return "an integer"
	case ast.FloatType, ast.InfinityType, ast.NanType:
		return "a number"
	case ast.BoolType:
		return "a boolean"
	case ast.AliasType:
		return "an alias"
	}
	return strings.ToLower(n.Type().String())
}

// want names what a Go type expects in YAML.
func want(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(strings.TrimPrefix(want(t.Elem()), "a "), "an ") + "s"
	case reflect.Map:
		return "a mapping of names to " + strings.TrimPrefix(want(t.Elem()), "a ") + "s"
	case reflect.Pointer:
		return want(t.Elem())
	}
	return "a string"
}

// suggest proposes the known key closest to an unknown one.
func suggest(key string, fields map[string]int) string {
	best, bestDist := "", 3
	for name := range fields {
		if dist := editDistance(key, name); dist < bestDist || dist == bestDist && name < best {
			best, bestDist = name, dist
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// yamlProblem turns a goccy error into a problem. It uses the bare message:
// goccy's Error() quotes the surrounding source lines, which may hold
// secrets of another program's config pasted in by mistake.
func yamlProblem(path string, line int, err error) Problem {
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			return Problem{Path: path, Line: tk.Position.Line,
				Msg: fmt.Sprintf("column %d: %s", tk.Position.Column, ye.GetMessage())}
		}
	}
	return Problem{Path: path, Line: line, Msg: yamlMessage(err)}
}

// yamlMessage is err's message without source snippets.
func yamlMessage(err error) string {
	var ye yaml.Error
	if errors.As(err, &ye) {
		return ye.GetMessage()
	}
	return err.Error()
}

// safely runs f, turning a panic into an error: goccy/go-yaml has had
// panics on malformed input, and a config file must never crash redline.
func safely(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("YAML library failed on this input: %v", r)
		}
	}()
	return f()
}
