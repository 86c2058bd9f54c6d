package carriersim

import (
	"bytes"
	"fmt"
	"strings"
)

// pdf returns a one-page PDF (A6) whose page shows the lines, with a correct cross-reference
// table, so that the documents the simulator serves are real PDFs that name their tracking numbers.
func pdf(lines ...string) []byte {
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf 20 380 Td 14 TL\n")
	for _, l := range lines {
		l = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l)
		fmt.Fprintf(&content, "(%s) Tj T*\n", l)
	}
	content.WriteString("ET")
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// zpl returns a 4×6 in thermal label naming the tracking number, as Code128.
func zpl(tracking string, lines ...string) []byte {
	var b strings.Builder
	b.WriteString("^XA^CI28\n")
	for i, l := range lines {
		fmt.Fprintf(&b, "^FO40,%d^A0N,30,30^FD%s^FS\n", 40+40*i, l)
	}
	fmt.Fprintf(&b, "^FO40,%d^BCN,120,Y,N,N^FD%s^FS\n^XZ\n", 80+40*len(lines), tracking)
	return []byte(b.String())
}
