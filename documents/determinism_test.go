package documents

import (
	"bytes"
	"testing"
)

// TestReproducible: the same input gives the same bytes, so a stored document can be compared
// with a re-rendered one and caching by content works.
func TestReproducible(t *testing.T) {
	for name, render := range map[string]func() ([]byte, error){
		"label 4x6": func() ([]byte, error) { return Label(thaiLabel(), PDF4x6) },
		"label A6":  func() ([]byte, error) { return Label(vietLabel(), PDFA6) },
		"slip":      func() ([]byte, error) { return PackingSlip(sampleSlip()) },
	} {
		a, err := render()
		if err != nil {
			t.Fatal(err)
		}
		b, err := render()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders differ", name)
		}
	}
}
