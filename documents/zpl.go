package documents

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/qr"
)

// ZPL label geometry: 4×6 in at 203 dpi (8 dots per mm), 32-dot margins.
const (
	zplWidth  = 812
	zplHeight = 1218
	zplMargin = 32
	zplInner  = zplWidth - 2*zplMargin
)

// zplTemplate lays a label out like the PDF. Every user text field is preceded by ^FH, so its
// ^ ~ _ arrive hex-escaped (zplText), and set in an ^FB block, which wraps it, caps its lines and
// makes \& a line break. Barcode data is checked to letters, digits and . / - (checkCode). Text
// uses the printer's scalable font 0; Thai needs a printer font with Thai glyphs (^CW).
var zplTemplate = template.Must(template.New("label").Parse(`^XA
^CI28
^PW{{.W}}
^LL{{.H}}
^LH0,0
^FO32,28^FB470,1,0,L^A0N,44,40^FH^FD{{.Carrier}}^FS
^FO510,40^FB270,1,0,R^A0N,26,24^FH^FD{{.Service}}^FS
^FO32,84^GB{{.Inner}},3,3^FS
^FO32,96^A0N,20,20^FDFROM^FS
^FO32,120^FB{{.Inner}},4,2,L^A0N,24,22^FH^FD{{.From}}^FS
^FO32,232^GB{{.Inner}},3,3^FS
^FO32,244^A0N,20,20^FDTO^FS
^FO32,270^FB{{.Inner}},2,4,L^A0N,44,40^FH^FD{{.ToName}}^FS
^FO32,366^FB{{.Inner}},{{.ToLines}},4,L^A0N,34,30^FH^FD{{.To}}^FS
^FO32,{{.CODTop}}^GB{{.Inner}},2,2^FS
{{- if .COD}}
^FO32,{{.CODBox}}^GB{{.Inner}},64,64^FS
^FO32,{{.CODText}}^FB{{.Inner}},1,0,C^A0N,46,44^FR^FD{{.COD}}^FS
{{- end}}
^FO32,692^FB470,1,0,L^A0N,28,26^FH^FD{{.Order}}^FS
^FO510,692^FB270,1,0,R^A0N,28,26^FD{{.Parcel}}^FS
^FO32,728^FB470,1,0,L^A0N,28,26^FD{{.Weight}}^FS
^FO510,728^FB270,1,0,R^A0N,28,26^FD{{.ShipBy}}^FS
^FO32,766^GB{{.Inner}},3,3^FS
^FO{{.BarsX}},790^BY{{.Module}}^BCN,150,Y,N,N,A^FD{{.Tracking}}^FS
^FO32,1010^A0N,20,20^FDTRACKING^FS
^FO32,1034^FB500,1,0,L^A0N,30,28^FD{{.Tracking}}^FS
^FO32,1080^A0N,20,20^FDSHIPMENT^FS
^FO32,1104^FB500,1,0,L^A0N,30,28^FH^FD{{.Ref}}^FS
{{- if .QR}}
^FO{{.QRX}},990^BQN,2,{{.QRMag}}^FH^FDMA,{{.QR}}^FS
{{- end}}
^XZ
`))

// zplFields are the template's values: user text escaped by zplText, the rest (numbers, dates,
// the COD amount, checked barcode data) made by this package.
type zplFields struct {
	W, H, Inner                   int
	Carrier, Service, From        string
	ToName, To                    string
	ToLines                       int
	COD                           string
	CODTop, CODBox, CODText       int
	Order, Parcel, Weight, ShipBy string
	Tracking, Ref, QR             string
	BarsX, Module, QRX, QRMag     int
}

func labelZPL(l label) ([]byte, error) {
	bc, err := code128.Encode(l.TrackingNumber)
	if err != nil {
		return nil, fmt.Errorf("%w: code 128 %q: %w", ErrInvalid, l.TrackingNumber, err)
	}
	modules := bc.Bounds().Dx()
	module := min(3, max(1, zplInner/modules))
	f := zplFields{
		W: zplWidth, H: zplHeight, Inner: zplInner,
		Carrier:  zplText(l.Carrier, 60),
		Service:  zplText(l.Service, 60),
		From:     zplLines(append([]string{joinNonEmpty(", ", l.From.Name, l.From.Phone)}, addressLines(l.From)...)...),
		ToName:   zplText(l.To.Name, 120),
		To:       zplLines(append([]string{l.To.Phone}, addressLines(l.To)...)...),
		ToLines:  7,
		CODTop:   676,
		Order:    zplText(orderText(l.OrderNumber), 60),
		Parcel:   l.parcel,
		Weight:   l.weight,
		ShipBy:   l.shipBy,
		Tracking: l.TrackingNumber,
		Ref:      zplText(l.ShipmentRef, 64),
		BarsX:    max(zplMargin, (zplWidth-modules*module)/2),
		Module:   module,
	}
	if l.cod != "" {
		// The COD box takes the recipient's last line.
		f.ToLines = 6
		f.COD, f.CODTop, f.CODBox, f.CODText = l.cod, 600, 606, 616
	}
	if l.QRURL != "" {
		// Magnification so the symbol stays about 200 dots (25 mm) wide.
		sym, err := qr.Encode(l.QRURL, qr.M, qr.Auto)
		if err != nil {
			return nil, fmt.Errorf("%w: QR %q: %w", ErrInvalid, l.QRURL, err)
		}
		qrc := sym.Bounds().Dx()
		f.QRMag = min(8, max(2, 200/qrc))
		f.QR = zplEscape(l.QRURL)
		f.QRX = zplWidth - zplMargin - qrc*f.QRMag - 10
	}
	var b bytes.Buffer
	if err := zplTemplate.Execute(&b, f); err != nil {
		return nil, fmt.Errorf("documents: zpl: %w", err)
	}
	return b.Bytes(), nil
}

// zplText makes user text safe in a ^FH ^FB field: one line, at most max runes, with ^ ~ _ as hex
// escapes (so no command prefix survives) and \ doubled (so it cannot spell ^FB's \& line break).
func zplText(s string, max int) string {
	s = clean(s)
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max-3]) + "..." // ASCII: the printer's font may lack U+2026
	}
	return zplEscape(s)
}

// zplEscape hex-escapes the characters ZPL would read as commands or escapes.
func zplEscape(s string) string {
	return strings.NewReplacer(
		"_", "_5F",
		"^", "_5E",
		"~", "_7E",
		`\`, `\\`,
	).Replace(s)
}

// zplLines joins the non-empty lines with ^FB's line break.
func zplLines(lines ...string) string {
	var out []string
	for _, l := range lines {
		if l = zplText(l, 120); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, `\&`)
}
