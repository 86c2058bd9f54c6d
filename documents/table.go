package documents

import "codeberg.org/go-pdf/fpdf"

// column is one column of a table: its title, width in mm, how many wrapped lines a cell may use,
// and whether it is right-aligned (numbers).
type column struct {
	title    string
	width    float64
	maxLines int
	right    bool
}

// table draws rows under a header and starts a new page, header repeated, when a row would cross
// bottom. page adds a page and returns the y the table continues at.
type table struct {
	pdf    *fpdf.Fpdf
	x      float64
	cols   []column
	bottom float64
	body   style
	head   style
	page   func() float64
}

const cellPad = 1.2

// header draws the column titles on a grey band at y and returns the y below it.
func (t *table) header(y float64) float64 {
	h := t.head.lineHeight() + 2*cellPad
	t.pdf.SetFillColor(225, 225, 225)
	t.pdf.Rect(t.x, y, t.total(), h, "F")
	x := t.x
	for _, c := range t.cols {
		t.cell(x, y+cellPad, c, c.title, t.head)
		x += c.width
	}
	return y + h
}

// row draws one row at y, or on a new page if it does not fit; it returns the row's top and the y
// below it.
func (t *table) row(y float64, cells ...string) (top, next float64) {
	lines := make([][]string, len(t.cols))
	n := 1
	for i, c := range t.cols {
		lines[i] = wrapAll(t.pdf, c.width-2*cellPad, c.maxLines, t.body, cells[i])
		n = max(n, len(lines[i]))
	}
	h := float64(n)*t.body.lineHeight() + 2*cellPad
	if y+h > t.bottom {
		y = t.header(t.page())
	}
	x := t.x
	for i, c := range t.cols {
		ly := y + cellPad
		for _, l := range lines[i] {
			t.cell(x, ly, c, l, t.body)
			ly += t.body.lineHeight()
		}
		x += c.width
	}
	t.pdf.SetLineWidth(0.2)
	t.pdf.Line(t.x, y+h, t.x+t.total(), y+h)
	return y, y + h
}

func (t *table) cell(x, y float64, c column, s string, st style) {
	if c.right {
		drawRight(t.pdf, x+c.width-cellPad, y, s, st)
		return
	}
	draw(t.pdf, x+cellPad, y, s, st)
}

func (t *table) total() float64 {
	w := 0.0
	for _, c := range t.cols {
		w += c.width
	}
	return w
}
