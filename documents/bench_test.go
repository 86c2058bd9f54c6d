package documents

import "testing"

func BenchmarkLabelPDF(b *testing.B) {
	d := thaiLabel()
	for b.Loop() {
		if _, err := Label(d, PDF4x6); err != nil {
			b.Fatal(err)
		}
	}
}
