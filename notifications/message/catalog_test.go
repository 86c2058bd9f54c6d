package message

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// TestCatalogComplete: every locale has exactly English's keys, none empty, each with the same
// placeholders, so that no customer reads an English sentence in a Thai message or a literal
// "{date}".
func TestCatalogComplete(t *testing.T) {
	if len(catalog) != len(locales) {
		t.Fatalf("catalogue has %d locales, %d are supported", len(catalog), len(locales))
	}
	for _, l := range locales {
		texts, ok := catalog[l]
		if !ok {
			t.Fatalf("no texts for %s", l)
		}
		for key, en := range english {
			s, ok := texts[key]
			if !ok {
				t.Errorf("%s lacks %q", l, key)
				continue
			}
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s %q is empty", l, key)
			}
			want, got := placeholder.FindAllString(en, -1), placeholder.FindAllString(s, -1)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s %q fills %v, English %v", l, key, got, want)
			}
		}
		for key := range texts {
			if _, ok := english[key]; !ok {
				t.Errorf("%s has %q, which English lacks (unused?)", l, key)
			}
		}
	}
}

// TestCatalogTranslated: a locale's text equal to English's is a key someone forgot to translate
// (the labels that are the same word in both languages are listed).
func TestCatalogTranslated(t *testing.T) {
	same := map[Locale][]string{Indonesian: {"label.total"}, Malay: {"label.item"}}
	for _, l := range locales[1:] {
		for key, en := range english {
			if catalog[l][key] == en && !slices.Contains(same[l], key) {
				t.Errorf("%s %q is English: %q", l, key, en)
			}
		}
	}
}

func TestText(t *testing.T) {
	got, err := text(Vietnamese, "delayed.previous", "previous", "7 tháng 12, 2026")
	if err != nil || got != "Ngày dự kiến trước đây là 7 tháng 12, 2026." {
		t.Fatalf("got %q, %v", got, err)
	}
	if got, err := text(Locale("fr"), "label.order"); err != nil || got != "Order" {
		t.Fatalf("unsupported locale: got %q, %v; want English", got, err)
	}
	if _, err := text(Thai, "no.such.key"); err == nil {
		t.Fatal("a missing key rendered")
	}
}
