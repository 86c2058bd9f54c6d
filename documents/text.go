package documents

import (
	"embed"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
)

//go:embed fonts/*.ttf
var fontFiles embed.FS

// Font families as registered in every PDF.
const (
	familyLatin = "dejavu"
	familyThai  = "garuda"
)

var faces = []struct{ family, style, file string }{
	{familyLatin, "", "fonts/DejaVuSans.ttf"},
	{familyLatin, "B", "fonts/DejaVuSans-Bold.ttf"},
	{familyThai, "", "fonts/Garuda.ttf"},
	{familyThai, "B", "fonts/Garuda-Bold.ttf"},
}

// newPDF starts a document of w×h mm with the embedded fonts, no margins and no automatic page
// breaks (the renderers place everything themselves), stamped with printedAt for reproducible bytes.
func newPDF(w, h float64, printedAt time.Time) (*fpdf.Fpdf, error) {
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: fpdf.SizeType{Wd: w, Ht: h}})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCellMargin(0)
	if printedAt.IsZero() {
		printedAt = time.Unix(0, 0)
	}
	pdf.SetCreationDate(printedAt.UTC())
	pdf.SetModificationDate(printedAt.UTC())
	pdf.SetCatalogSort(true)
	pdf.SetProducer("Ordo", false)
	for _, f := range faces {
		b, err := fontFiles.ReadFile(f.file)
		if err != nil {
			return nil, fmt.Errorf("documents: font %s: %w", f.file, err)
		}
		pdf.AddUTF8FontFromBytes(f.family, f.style, b)
	}
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("documents: fonts: %w", err)
	}
	return pdf, nil
}

// guard turns a panic inside fpdf into an error: the library indexes tables with values taken from
// the text, and a document it cannot render must fail one request, not the process. The renderers
// clean text so that this does not happen; guard is for what that misses.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("documents: pdf renderer failed: %v", r)
	}
}

// output finishes a document into bytes.
func output(pdf *fpdf.Fpdf) ([]byte, error) {
	var b strings.Builder
	if err := pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("documents: pdf: %w", err)
	}
	return []byte(b.String()), nil
}

// style is a font size (pt) and weight; the family is chosen per run of script.
type style struct {
	size float64
	bold bool
}

func (s style) set(pdf *fpdf.Fpdf, thai bool) {
	fam := familyLatin
	if thai {
		fam = familyThai
	}
	st := ""
	if s.bold {
		st = "B"
	}
	pdf.SetFont(fam, st, s.size)
}

// lineHeight is the distance between baselines of s, in mm.
func (s style) lineHeight() float64 { return s.size * 0.3528 * 1.25 }

// run is a stretch of text set in one font.
type run struct {
	thai bool
	text string
}

func isThai(r rune) bool { return r >= 0x0E00 && r <= 0x0E7F }

// neutral runes (ASCII spaces, digits and punctuation) take the font of the run around them: both
// fonts carry them, and switching font on a space or a house number gains nothing.
func neutral(r rune) bool {
	return r < utf8.RuneSelf && !unicode.IsLetter(r)
}

// runs splits s into runs of Thai and of everything else. Neutral runes join the run before them,
// or at the start the first run after them.
func runs(s string) []run {
	var out []run
	var b strings.Builder
	cur, decided := false, false
	for _, r := range s {
		if !neutral(r) {
			t := isThai(r)
			if !decided {
				cur, decided = t, true
			} else if t != cur {
				out = append(out, run{cur, b.String()})
				b.Reset()
				cur = t
			}
		}
		b.WriteRune(r)
	}
	if b.Len() > 0 {
		out = append(out, run{cur, b.String()})
	}
	return out
}

// clean makes user text printable on one line: invalid UTF-8 and control characters (newlines
// included) become spaces, runs of spaces collapse, and runes beyond the Basic Multilingual Plane
// (emoji), which fpdf's font subsetting cannot index, become U+FFFD.
func clean(s string) string {
	s = strings.ToValidUTF8(s, " ")
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r) || unicode.IsSpace(r):
			return ' '
		case r > 0xFFFF:
			return utf8.RuneError
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// width is the printed width of s in st, in mm.
func width(pdf *fpdf.Fpdf, s string, st style) float64 {
	w := 0.0
	for _, r := range runs(clean(s)) {
		st.set(pdf, r.thai)
		w += pdf.GetStringWidth(r.text)
	}
	return w
}

// draw writes one line of s with its top-left at x, y, each run in its font.
func draw(pdf *fpdf.Fpdf, x, y float64, s string, st style) {
	h := st.lineHeight()
	for _, r := range runs(clean(s)) {
		st.set(pdf, r.thai)
		w := pdf.GetStringWidth(r.text)
		pdf.SetXY(x, y)
		pdf.CellFormat(w, h, r.text, "", 0, "L", false, 0, "")
		x += w
	}
}

// drawRight writes one line of s ending at x.
func drawRight(pdf *fpdf.Fpdf, right, y float64, s string, st style) {
	draw(pdf, right-width(pdf, s, st), y, s, st)
}

// block writes the paragraphs wrapped to w, at most max lines in all, from y down; it returns the y
// below the last line.
func block(pdf *fpdf.Fpdf, x, y, w float64, max int, st style, paragraphs ...string) float64 {
	for _, l := range wrapAll(pdf, w, max, st, paragraphs...) {
		draw(pdf, x, y, l, st)
		y += st.lineHeight()
	}
	return y
}

// wrapAll wraps each non-empty paragraph to w and keeps at most max lines, the last one cut with
// an ellipsis when text is left over.
func wrapAll(pdf *fpdf.Fpdf, w float64, max int, st style, paragraphs ...string) []string {
	var lines []string
	cut := false
	for _, p := range paragraphs {
		if p = clean(p); p == "" {
			continue
		}
		lines = append(lines, wrap(pdf, p, w, st)...)
		if len(lines) > max {
			cut = true
			break
		}
	}
	if max <= 0 {
		return nil
	}
	if cut || len(lines) > max {
		lines = lines[:max]
		lines[max-1] = ellipsize(pdf, lines[max-1], w, st)
	}
	return lines
}

// wrap breaks s into lines no wider than w: at spaces, and inside a word (Thai writes no spaces
// between words) between clusters, never before a combining mark.
func wrap(pdf *fpdf.Fpdf, s string, w float64, st style) []string {
	var lines []string
	line := ""
	for _, word := range strings.Split(s, " ") {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if width(pdf, try, st) <= w {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
			line = ""
		}
		for _, c := range clusters(word) {
			if line != "" && width(pdf, line+c, st) > w {
				lines = append(lines, line)
				line = ""
			}
			line += c
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// clusters splits s into a base rune followed by its combining marks (Thai vowels above and below,
// tone marks, Vietnamese diacritics in decomposed form).
func clusters(s string) []string {
	var out []string
	for _, r := range s {
		if len(out) > 0 && unicode.In(r, unicode.Mn, unicode.Me) {
			out[len(out)-1] += string(r)
			continue
		}
		out = append(out, string(r))
	}
	return out
}

// ellipsize shortens line until it and a trailing ellipsis fit in w.
func ellipsize(pdf *fpdf.Fpdf, line string, w float64, st style) string {
	cs := clusters(line)
	for len(cs) > 0 && width(pdf, strings.Join(cs, "")+"…", st) > w {
		cs = cs[:len(cs)-1]
	}
	return strings.TrimRight(strings.Join(cs, ""), " ") + "…"
}

// cityLine joins the city, region and postal code as most carriers print them.
func cityLine(a Address) string {
	var parts []string
	for _, p := range []string{a.City, a.Region, a.PostalCode} {
		if p = clean(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// addressLines are the lines of an address below its name.
func addressLines(a Address) []string {
	lines := append([]string{}, a.Lines...)
	return append(lines, cityLine(a), a.Country)
}
