package catalog

// The products CSV: one row per variant (SKU), in the format that ExportCSV writes and the products
// import reads, so that a catalogue can be bulk-edited by export → fix → import.
//
//	sku,name,product,brand,barcode,options,price,currency,weight_g,length_mm,width_mm,height_mm,hs_code,country_of_origin,returnable,components
//
//   - sku (required): the key. A known SKU is updated in place, an unknown one created.
//   - name: the variant's name. Required for a new SKU.
//   - product: the product the variant belongs to, by name; a new name creates the product. A new SKU
//     without one becomes a product of its own, named like the variant.
//   - brand: the product's brand.
//   - barcode: GTIN/EAN/UPC/ISBN as printed (digits, letters, dashes).
//   - options: the variant's option values, "Color=Red;Size=M".
//   - price and currency: a decimal amount in the currency ("19.90 USD", "48000 VND"); it must fit the
//     currency's minor unit (2 decimals for most, 0 for JPY, VND, IDR…, 3 for KWD…). All the variants
//     of one product in the file share a currency.
//   - weight_g, length_mm, width_mm, height_mm: whole grams and millimetres, 0 or more.
//   - hs_code: the customs tariff code, 6 to 10 digits (dots allowed). country_of_origin: ISO 3166
//     alpha-2 (TH, VN…).
//   - returnable: true or false (also yes/no, 1/0).
//   - components: makes the SKU a bundle, "SKU-A*2|SKU-B" (a missing quantity is 1). Components are
//     SKUs of the same file or already in the catalogue, and are not bundles themselves.
//
// Columns come in any order; an unknown column refuses the whole file. A column left out, or a cell
// left empty, keeps what is there (a new SKU gets the default); "-" clears an optional text column
// (brand, barcode, options, hs_code, country_of_origin) and, in components, makes a bundle a plain
// SKU again. UTF-8 with or without a byte-order mark; CRLF line ends are fine. Errors name the row
// (the header is row 1; the line a row begins on) and the column.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent/schema"
)

// The products CSV's columns, in the order ExportCSV writes them.
const (
	ColSKU        = "sku"
	ColName       = "name"
	ColProduct    = "product"
	ColBrand      = "brand"
	ColBarcode    = "barcode"
	ColOptions    = "options"
	ColPrice      = "price"
	ColCurrency   = "currency"
	ColWeight     = "weight_g"
	ColLength     = "length_mm"
	ColWidth      = "width_mm"
	ColHeight     = "height_mm"
	ColHSCode     = "hs_code"
	ColOrigin     = "country_of_origin"
	ColReturnable = "returnable"
	ColComponents = "components"
)

// ProductColumns are the products CSV's columns in their written order.
var ProductColumns = []string{ColSKU, ColName, ColProduct, ColBrand, ColBarcode, ColOptions, ColPrice, ColCurrency,
	ColWeight, ColLength, ColWidth, ColHeight, ColHSCode, ColOrigin, ColReturnable, ColComponents}

// Limits of one products file: what a request may cost.
const (
	// MaxCSVRows is the most data rows a file may have.
	MaxCSVRows = 100_000
	// MaxCellBytes bounds one cell.
	MaxCellBytes = 1024
	// MaxComponents bounds a bundle's components.
	MaxComponents = 50
	// MaxOptions bounds a variant's options.
	MaxOptions = 20
)

// clearCell is the cell that empties an optional column.
const clearCell = "-"

// formulaStart are the first characters that make a spreadsheet read a cell as a formula.
const formulaStart = "=+-@\t\r"

// EscapeCell keeps a spreadsheet from running a cell as a formula (a product name from a
// marketplace such as "=HYPERLINK(…)"): a cell that starts like one gets a leading apostrophe,
// which the import takes off again, so an export imports back unchanged.
func EscapeCell(s string) string {
	if s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}

// unescapeCell undoes EscapeCell.
func unescapeCell(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune(formulaStart, rune(s[1])) {
		return s[1:]
	}
	return s
}

// RowError is one refused row (the header is row 1), its column and why.
type RowError = schema.ImportRowError

// Template is the products CSV's header and two example rows: a T-shirt variant and a bundle of it.
func Template() string {
	return strings.Join(ProductColumns, ",") + "\r\n" +
		`TEE-RED-M,Tee Red M,Classic Tee,Ordo Basics,8850000000017,Color=Red;Size=M,19.90,USD,180,300,250,20,6109.10,TH,true,` + "\r\n" +
		`TEE-PACK-2,Tee two-pack,Classic Tee,Ordo Basics,,,35.00,USD,370,300,250,40,6109.10,TH,false,TEE-RED-M*2` + "\r\n"
}

// ProductFile is a parsed products CSV's good rows (a column left out keeps what is there, so the
// rows say all).
type ProductFile struct {
	Rows []ProductRow
	// Total is the data rows read, good and bad.
	Total int
}

// ProductRow is one parsed row. A nil pointer or an empty string is "keep what is there" (see
// Clear for the columns a "-" emptied).
type ProductRow struct {
	Row                     int
	SKU                     string
	Name, Product, Brand    string
	Barcode, HSCode, Origin string
	Options                 map[string]string
	Price                   string // the decimal as written: its minor units need the currency
	Currency                string
	Weight, Length, Width   *int
	Height                  *int
	Returnable              *bool
	Components              []Component
	// Clear lists the optional columns the row empties ("-").
	Clear map[string]bool
	// SetComponents is true when the row says what the SKU's components are (a list, or "-" for none).
	SetComponents bool
}

// Bundle reports whether the row makes its SKU a bundle.
func (r ProductRow) Bundle() bool { return len(r.Components) > 0 }

// ErrFile is wrapped by the errors that refuse a whole file (not one row): not CSV, no sku column,
// an unknown or repeated column, too many rows.
var ErrFile = errors.New("products file")

var (
	hsCode    = regexp.MustCompile(`^[0-9]{4}(\.?[0-9]{2}){1,3}$`)
	barcodeRe = regexp.MustCompile(`^[0-9A-Za-z-]{4,48}$`)
)

// ParseProducts reads a products CSV and checks each row on its own (no store): numbers, codes,
// options, components and duplicate SKUs. Rows with errors are left out of the file's rows.
func ParseProducts(r io.Reader) (ProductFile, []RowError, error) {
	cr, idx, err := OpenCSV(r, ProductColumns, ColSKU)
	if err != nil {
		return ProductFile{}, nil, err
	}
	var f ProductFile
	var errs []RowError
	first := map[string]int{} // SKU → the row that first named it
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return ProductFile{}, nil, fmt.Errorf("%w: %v", ErrFile, err)
		}
		if blank(rec) {
			continue
		}
		if f.Total++; f.Total > MaxCSVRows {
			return ProductFile{}, nil, fmt.Errorf("%w: more than %d rows; split it", ErrFile, MaxCSVRows)
		}
		n := RowNumber(cr)
		row, rerrs := parseProductRow(n, rec, idx)
		if row.SKU != "" {
			if at, dup := first[row.SKU]; dup {
				rerrs = append(rerrs, RowError{Row: n, Field: ColSKU, Message: fmt.Sprintf("%s is already on row %d", row.SKU, at)})
			} else {
				first[row.SKU] = n
			}
		}
		if len(rerrs) > 0 {
			errs = append(errs, rerrs...)
			continue
		}
		f.Rows = append(f.Rows, row)
	}
	return f, errs, nil
}

// OpenCSV reads the header of a UTF-8 CSV (a byte-order mark skipped; CRLF or LF) whose columns
// must be among known and include required, and returns the reader at the first data row with each
// column's index. An unknown or repeated column refuses the file (ErrFile).
func OpenCSV(r io.Reader, known []string, required ...string) (*csv.Reader, map[string]int, error) {
	cr, err := newReader(r)
	if err != nil {
		return nil, nil, err
	}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, fmt.Errorf("%w: empty; the first row names the columns: %s", ErrFile, strings.Join(known, ","))
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrFile, err)
	}
	idx, err := columns(header, known, required...)
	if err != nil {
		return nil, nil, err
	}
	return cr, idx, nil
}

// newReader reads UTF-8 CSV, skipping a byte-order mark; encoding/csv takes CRLF as it takes LF.
func newReader(r io.Reader) (*csv.Reader, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read file: %w", err)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("%w: not UTF-8 text; save it as CSV UTF-8", ErrFile)
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	return cr, nil
}

// RowNumber is the row number of the record cr read last: the line it begins on, so the header is
// row 1 and blank lines count, as in a spreadsheet or an editor (a cell of several lines makes the
// next rows' numbers those of an editor).
func RowNumber(cr *csv.Reader) int {
	line, _ := cr.FieldPos(0)
	return line
}

// Blank reports whether a CSV record has no content (a spreadsheet's empty row): readers skip it.
func Blank(rec []string) bool { return blank(rec) }

// RejectsCSV is the rows of a CSV that errs refuse, under the file's header with an "error" column
// added (each row's messages, "column: message; …"), for a partial import to hand back. Row
// numbers are RowNumber's.
func RejectsCSV(content []byte, errs []RowError) ([]byte, error) {
	if len(errs) == 0 {
		return nil, nil
	}
	msgs := map[int][]string{}
	for _, e := range errs {
		m := e.Message
		if e.Field != "" {
			m = e.Field + ": " + m
		}
		msgs[e.Row] = append(msgs[e.Row], m)
	}
	cr, err := newReader(bytes.NewReader(content))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	cw := csv.NewWriter(&out)
	cw.UseCRLF = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFile, err)
	}
	width := len(header)
	if err := cw.Write(append(slices.Clone(header), "error")); err != nil {
		return nil, err
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrFile, err)
		}
		if m, ok := msgs[RowNumber(cr)]; ok {
			row := make([]string, width, width+1)
			copy(row, rec)
			if err := cw.Write(append(row, strings.Join(m, "; "))); err != nil {
				return nil, err
			}
		}
	}
	cw.Flush()
	return out.Bytes(), cw.Error()
}

// columns maps a header to its column indexes; an unknown, repeated or missing required column
// refuses the file.
func columns(header, known []string, required ...string) (map[string]int, error) {
	idx := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if !slices.Contains(known, h) {
			return nil, fmt.Errorf("%w: unknown column %q; the columns are %s", ErrFile, header[i], strings.Join(known, ","))
		}
		if _, dup := idx[h]; dup {
			return nil, fmt.Errorf("%w: column %q appears twice", ErrFile, h)
		}
		idx[h] = i
	}
	for _, c := range required {
		if _, ok := idx[c]; !ok {
			return nil, fmt.Errorf("%w: no %q column", ErrFile, c)
		}
	}
	return idx, nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// parseProductRow reads one row; its errors name the row and the column.
func parseProductRow(n int, rec []string, idx map[string]int) (ProductRow, []RowError) {
	row := ProductRow{Row: n, Clear: map[string]bool{}}
	var errs []RowError
	fail := func(col, format string, args ...any) {
		errs = append(errs, RowError{Row: n, Field: col, Message: fmt.Sprintf(format, args...)})
	}
	raw := func(col string) string {
		i, ok := idx[col]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	cell := func(col string) string {
		v := raw(col)
		if len(v) > MaxCellBytes {
			fail(col, "longer than %d bytes", MaxCellBytes)
			return ""
		}
		return unescapeCell(v)
	}
	if len(rec) > len(idx) && !blank(rec[len(idx):]) {
		fail("", "%d cells, but the header has %d columns", len(rec), len(idx))
	}
	row.SKU = cell(ColSKU)
	if row.SKU == "" {
		fail(ColSKU, "empty; every row needs its SKU")
	} else if strings.ContainsAny(row.SKU, "*|;=, ") {
		fail(ColSKU, "%q has a space or one of * | ; = ,", row.SKU)
	}
	row.Name, row.Product = cell(ColName), cell(ColProduct)
	text := func(col string, dst *string, valid func(string) string) {
		v := cell(col)
		switch {
		case raw(col) == clearCell:
			row.Clear[col] = true
		case v != "" && valid != nil:
			if msg := valid(v); msg != "" {
				fail(col, "%s", msg)
				return
			}
			*dst = v
		default:
			*dst = v
		}
	}
	text(ColBrand, &row.Brand, nil)
	text(ColBarcode, &row.Barcode, func(v string) string {
		if !barcodeRe.MatchString(v) {
			return fmt.Sprintf("%q is not a barcode (4 to 48 digits, letters or dashes: a GTIN, EAN, UPC or ISBN)", v)
		}
		return ""
	})
	text(ColHSCode, &row.HSCode, func(v string) string {
		if !hsCode.MatchString(v) {
			return fmt.Sprintf("%q is not an HS code of 6 to 10 digits", v)
		}
		return ""
	})
	var origin string
	text(ColOrigin, &origin, func(v string) string {
		if !countryCode.MatchString(strings.ToUpper(v)) {
			return fmt.Sprintf("%q is not an ISO 3166 country code like TH", v)
		}
		return ""
	})
	row.Origin = strings.ToUpper(origin)
	if v := cell(ColOptions); raw(ColOptions) == clearCell {
		row.Clear[ColOptions] = true
	} else if v != "" {
		opts, err := ParseOptions(v)
		if err != nil {
			fail(ColOptions, "%v", err)
		}
		row.Options = opts
	}
	if v := cell(ColCurrency); v != "" {
		c := strings.ToUpper(v)
		if _, err := channels.Exponent(c); err != nil {
			fail(ColCurrency, "%q is not a currency code like USD", v)
		} else {
			row.Currency = c
		}
	}
	if v := cell(ColPrice); v != "" {
		// The exponent is checked against the currency later (it may be the stored one); the
		// largest one is enough to refuse what is not a decimal here.
		if p, err := channels.ParseMinor(v, 3); err != nil || strings.ContainsAny(v, "+eE") {
			fail(ColPrice, "%q is not a decimal amount like 19.90", v)
		} else if p < 0 {
			fail(ColPrice, "must not be negative")
		} else {
			row.Price = v
		}
	}
	whole := func(col, unit string) *int {
		v := cell(col)
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 10_000_000 {
			fail(col, "%q is not a whole number of %s", v, unit)
			return nil
		}
		return &n
	}
	row.Weight = whole(ColWeight, "grams")
	row.Length = whole(ColLength, "millimetres")
	row.Width = whole(ColWidth, "millimetres")
	row.Height = whole(ColHeight, "millimetres")
	if v := cell(ColReturnable); v != "" {
		b, ok := parseBool(v)
		if !ok {
			fail(ColReturnable, "%q is not true or false", v)
		} else {
			row.Returnable = &b
		}
	}
	if v := cell(ColComponents); raw(ColComponents) == clearCell {
		row.SetComponents = true
	} else if v != "" {
		comps, err := ParseComponents(v)
		if err != nil {
			fail(ColComponents, "%v", err)
		} else {
			row.SetComponents, row.Components = true, comps
			for _, c := range comps {
				if c.SKU == row.SKU {
					fail(ColComponents, "a bundle cannot contain itself")
				}
			}
		}
	}
	return row, errs
}

func parseBool(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "true", "yes", "y", "1":
		return true, true
	case "false", "no", "n", "0":
		return false, true
	}
	return false, false
}

// ParseOptions reads "Color=Red;Size=M".
func ParseOptions(s string) (map[string]string, error) {
	out := map[string]string{}
	for part := range strings.SplitSeq(s, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("%q is not Name=Value (options look like Color=Red;Size=M)", part)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("option %q is given twice", k)
		}
		out[k] = v
	}
	if len(out) > MaxOptions {
		return nil, fmt.Errorf("more than %d options", MaxOptions)
	}
	return out, nil
}

// FormatOptions writes options as ParseOptions reads them, sorted by name.
func FormatOptions(opts map[string]string) string {
	var b strings.Builder
	for i, k := range slices.Sorted(maps.Keys(opts)) {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(k + "=" + opts[k])
	}
	return b.String()
}

// ParseComponents reads "SKU-A*2|SKU-B" (a missing quantity is 1).
func ParseComponents(s string) ([]Component, error) {
	var out []Component
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, "|") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		sku, q, hasQ := strings.Cut(part, "*")
		sku = strings.TrimSpace(sku)
		qty := 1
		if hasQ {
			n, err := strconv.Atoi(strings.TrimSpace(q))
			if err != nil || n <= 0 || n > 10_000 {
				return nil, fmt.Errorf("%q: the quantity must be a whole number from 1 (components look like SKU-A*2|SKU-B)", part)
			}
			qty = n
		}
		if sku == "" {
			return nil, fmt.Errorf("%q has no SKU", part)
		}
		if seen[sku] {
			return nil, fmt.Errorf("%s is listed twice", sku)
		}
		seen[sku] = true
		out = append(out, Component{SKU: sku, Quantity: qty})
	}
	if len(out) > MaxComponents {
		return nil, fmt.Errorf("more than %d components", MaxComponents)
	}
	return out, nil
}

// FormatComponents writes components as ParseComponents reads them, sorted by SKU.
func FormatComponents(comps []Component) string {
	comps = slices.SortedFunc(slices.Values(comps), func(a, b Component) int { return strings.Compare(a.SKU, b.SKU) })
	parts := make([]string, len(comps))
	for i, c := range comps {
		parts[i] = fmt.Sprintf("%s*%d", c.SKU, c.Quantity)
	}
	return strings.Join(parts, "|")
}

// PriceMinor reads a price written in currency into its minor units; an amount the currency
// cannot hold (19.999 USD, 10.5 JPY) is an error.
func PriceMinor(price, currency string) (int64, error) {
	exp, err := channels.Exponent(currency)
	if err != nil {
		return 0, err
	}
	n, err := channels.ParseMinor(price, exp)
	if err != nil {
		return 0, fmt.Errorf("%q has more decimals than %s has (%d)", price, currency, exp)
	}
	return n, nil
}

// FormatPrice writes minor units as a decimal in currency, as PriceMinor reads it.
func FormatPrice(minor int64, currency string) string {
	exp, err := channels.Exponent(currency)
	if err != nil || exp == 0 {
		return strconv.FormatInt(minor, 10)
	}
	s := fmt.Sprintf("%0*d", exp+1, minor)
	return s[:len(s)-exp] + "." + s[len(s)-exp:]
}
