package pdftext

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/ledongthuc/pdf"
)

// run is the text of one show operation (a Tj, or one string of a TJ
// array), placed in page space: points, origin at the bottom left of the
// page as displayed (after /Rotate), y growing upwards.
type run struct {
	x0, y0 float64 // start of the baseline
	x1     float64 // end of the baseline (x0 + advance)
	size   float64 // font size in page space
	text   string
	// slanted runs (rotated margin notes, stamps) are never merged with others.
	slanted bool
}

// matrix is a PDF transformation matrix [a b c d e f]; a point (x, y) maps
// to (a·x + c·y + e, b·x + d·y + f).
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m×n: the transformation that applies m, then n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

// textState is the part of the graphics state that q/Q save and restore.
type textState struct {
	ctm            matrix
	tc, tw, th, tl float64
	tfs, rise      float64
	font           *fontInfo
}

// fontInfo is what the interpreter needs from a font: how to decode its
// codes and how far each code advances.
type fontInfo struct {
	enc     pdf.TextEncoding
	twoByte bool // composite (Type0) font with 2-byte codes, e.g. Identity-H
	first   int
	widths  []float64       // simple fonts, indexed by code-first
	cid     map[int]float64 // composite fonts, by CID
	missing float64         // width of codes without an entry
	scale   float64         // glyph space to text space: 1/1000, or Type3 FontMatrix
}

// maxFormDepth bounds nested form XObjects, which a malicious file can make cyclic.
const maxFormDepth = 8

// interp collects the runs of one page.
type interp struct {
	runs   []run
	fonts  map[string]*fontInfo // by scope and resource name
	scopes int                  // resource dictionaries seen: the page and each form
}

// pageRuns interprets the content stream of page p (1-based number n).
func pageRuns(ctx context.Context, p pdf.Page, n int) (runs []run, err error) {
	defer func() {
		if r := recover(); r != nil {
			runs, err = nil, fmt.Errorf("page %d: malformed content: %v", n, r)
		}
	}()
	if p.V.IsNull() {
		return nil, fmt.Errorf("page %d: missing from page tree", n)
	}
	it := &interp{fonts: map[string]*fontInfo{}}
	st := textState{ctm: pageMatrix(p), th: 1}
	it.interpret(ctx, p.V.Key("Contents"), p.Resources(), st, 0)
	return it.runs, ctx.Err()
}

// inherited looks a page attribute up the page tree (Rotate, MediaBox).
func inherited(p pdf.Page, key string) pdf.Value {
	v := p.V
	for i := 0; i < 32 && !v.IsNull(); i++ {
		if r := v.Key(key); !r.IsNull() {
			return r
		}
		v = v.Key("Parent")
	}
	return pdf.Value{}
}

// pageMatrix maps user space to the page as displayed, so that rotated
// (landscape) pages read left to right like the others.
func pageMatrix(p pdf.Page) matrix {
	box := inherited(p, "MediaBox")
	llx, lly, urx, ury := box.Index(0).Float64(), box.Index(1).Float64(), box.Index(2).Float64(), box.Index(3).Float64()
	switch ((inherited(p, "Rotate").Int64() % 360) + 360) % 360 {
	case 90:
		return matrix{0, -1, 1, 0, -lly, urx}
	case 180:
		return matrix{-1, 0, 0, -1, urx, ury}
	case 270:
		return matrix{0, 1, -1, 0, ury, -llx}
	}
	return identity
}

func (it *interp) interpret(ctx context.Context, contents, res pdf.Value, st textState, depth int) {
	var (
		stack    []textState
		tm, tlm  = identity, identity
		args     []pdf.Value
		fontsKey = fmt.Sprintf("%d:", it.scopes) // forms reuse resource names for other fonts
	)
	it.scopes++
	show := func(raw string) {
		f := st.font
		if f == nil {
			f = it.font(fontsKey, pdf.Value{})
		}
		adv := f.advance(raw, st.tfs, st.tc, st.tw, st.th)
		m := tm.mul(st.ctm)
		x0, y0 := m.apply(0, st.rise)
		x1, y1 := m.apply(adv, st.rise)
		size := st.tfs * math.Hypot(m[2], m[3])
		if text := f.enc.Decode(raw); strings.TrimSpace(text) != "" {
			dx, dy := x1-x0, y1-y0
			slanted := dx < 0 || math.Abs(dy) > 0.1*math.Abs(dx) || (dx == 0 && (m[0] <= 0 || math.Abs(m[1]) > 0.1*m[0]))
			it.runs = append(it.runs, run{x0: x0, y0: y0, x1: max(x1, x0), size: size, text: text, slanted: slanted})
		}
		tm = matrix{1, 0, 0, 1, adv, 0}.mul(tm)
	}
	nextLine := func() {
		tlm = matrix{1, 0, 0, 1, 0, -st.tl}.mul(tlm)
		tm = tlm
	}
	num := func(i int) float64 {
		if i < len(args) {
			return args[i].Float64()
		}
		return 0
	}
	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		args = args[:0]
		for stk.Len() > 0 {
			args = append(args, stk.Pop())
		}
		for i, j := 0, len(args)-1; i < j; i, j = i+1, j-1 {
			args[i], args[j] = args[j], args[i]
		}
		switch op {
		case "q":
			stack = append(stack, st)
		case "Q":
			if n := len(stack); n > 0 {
				st, stack = stack[n-1], stack[:n-1]
			}
		case "cm":
			st.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(st.ctm)
		case "BT":
			tm, tlm = identity, identity
		case "Tc":
			st.tc = num(0)
		case "Tw":
			st.tw = num(0)
		case "Tz":
			st.th = num(0) / 100
		case "TL":
			st.tl = num(0)
		case "Ts":
			st.rise = num(0)
		case "Tf":
			if len(args) > 0 {
				st.font = it.font(fontsKey+args[0].Name(), res.Key("Font").Key(args[0].Name()))
			}
			st.tfs = num(1)
		case "Td":
			tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(tlm)
			tm = tlm
		case "TD":
			st.tl = -num(1)
			tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(tlm)
			tm = tlm
		case "Tm":
			tm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
			tlm = tm
		case "T*":
			nextLine()
		case "Tj":
			if len(args) > 0 {
				show(args[0].RawString())
			}
		case "'":
			nextLine()
			if len(args) > 0 {
				show(args[0].RawString())
			}
		case "\"":
			st.tw, st.tc = num(0), num(1)
			nextLine()
			if len(args) > 2 {
				show(args[2].RawString())
			}
		case "TJ":
			if len(args) == 0 {
				return
			}
			a := args[0]
			for i := 0; i < a.Len(); i++ {
				v := a.Index(i)
				if v.Kind() == pdf.String {
					show(v.RawString())
					continue
				}
				tx := -v.Float64() / 1000 * st.tfs * st.th
				tm = matrix{1, 0, 0, 1, tx, 0}.mul(tm)
			}
		case "Do":
			if len(args) == 0 || depth >= maxFormDepth || ctx.Err() != nil {
				return
			}
			xo := res.Key("XObject").Key(args[0].Name())
			if xo.Key("Subtype").Name() != "Form" || xo.Kind() != pdf.Stream {
				return
			}
			inner := st
			if m := xo.Key("Matrix"); m.Len() == 6 {
				inner.ctm = matrix{m.Index(0).Float64(), m.Index(1).Float64(), m.Index(2).Float64(), m.Index(3).Float64(), m.Index(4).Float64(), m.Index(5).Float64()}.mul(st.ctm)
			}
			r := xo.Key("Resources")
			if r.IsNull() {
				r = res
			}
			it.interpret(ctx, xo, r, inner, depth+1)
		}
	})
}

// font returns the decoder and metrics of font dictionary v, cached under key.
func (it *interp) font(key string, v pdf.Value) *fontInfo {
	if f, ok := it.fonts[key]; ok {
		return f
	}
	pf := pdf.Font{V: v}
	f := &fontInfo{enc: pf.Encoder(), scale: 0.001, missing: 500}
	switch v.Key("Subtype").Name() {
	case "Type0":
		f.twoByte = true
		d := v.Key("DescendantFonts").Index(0)
		f.missing = 1000
		if dw := d.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
			f.missing = dw.Float64()
		}
		f.cid = cidWidths(d.Key("W"))
	case "Type3":
		if m := v.Key("FontMatrix"); m.Len() == 6 {
			f.scale = m.Index(0).Float64()
		}
		fallthrough
	default:
		f.first = int(v.Key("FirstChar").Int64())
		w := v.Key("Widths")
		f.widths = make([]float64, w.Len())
		for i := range f.widths {
			f.widths[i] = w.Index(i).Float64()
		}
		if mw := v.Key("FontDescriptor").Key("MissingWidth"); mw.Kind() == pdf.Integer || mw.Kind() == pdf.Real {
			f.missing = mw.Float64()
		}
	}
	if f.enc == nil {
		var none pdf.Font
		f.enc = none.Encoder()
	}
	it.fonts[key] = f
	return f
}

// cidWidths reads a composite font's W array: "c [w1 w2 ...]" and "c1 c2 w" entries.
func cidWidths(w pdf.Value) map[int]float64 {
	out := map[int]float64{}
	for i := 0; i+1 < w.Len(); {
		c := int(w.Index(i).Int64())
		if next := w.Index(i + 1); next.Kind() == pdf.Array {
			for j := 0; j < next.Len() && j < 1<<16; j++ {
				out[c+j] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= w.Len() {
			break
		}
		last, width := int(w.Index(i+1).Int64()), w.Index(i+2).Float64()
		for c2 := c; c2 <= last && c2-c < 1<<16; c2++ {
			out[c2] = width
		}
		i += 3
	}
	return out
}

// advance returns how far raw moves the text position, in unscaled text space.
func (f *fontInfo) advance(raw string, tfs, tc, tw, th float64) float64 {
	var total float64
	if f.twoByte {
		for i := 0; i+1 < len(raw); i += 2 {
			w, ok := f.cid[int(raw[i])<<8|int(raw[i+1])]
			if !ok {
				w = f.missing
			}
			total += (w*f.scale*tfs + tc) * th
		}
		return total
	}
	for i := 0; i < len(raw); i++ {
		c := int(raw[i])
		w := f.missing
		if j := c - f.first; j >= 0 && j < len(f.widths) {
			w = f.widths[j]
		}
		adv := w*f.scale*tfs + tc
		if c == ' ' {
			adv += tw
		}
		total += adv * th
	}
	return total
}

// sortRows orders runs top to bottom, then left to right.
func sortRows(runs []run) {
	sort.SliceStable(runs, func(i, j int) bool {
		if runs[i].y0 != runs[j].y0 {
			return runs[i].y0 > runs[j].y0
		}
		return runs[i].x0 < runs[j].x0
	})
}
