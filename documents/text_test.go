package documents

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestRuns(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []run
	}{
		{"", nil},
		{"Nguyễn Văn A", []run{{false, "Nguyễn Văn A"}}},
		{"กรุงเทพมหานคร 10110", []run{{true, "กรุงเทพมหานคร 10110"}}},
		{"123/45 ถนนสุขุมวิท Sukhumvit", []run{{true, "123/45 ถนนสุขุมวิท "}, {false, "Sukhumvit"}}},
		{"Soi 22 ซอย", []run{{false, "Soi 22 "}, {true, "ซอย"}}},
		{"-- 10", []run{{false, "-- 10"}}},
		{"ผู้ใหญ่·Đà", []run{{true, "ผู้ใหญ่"}, {false, "·Đà"}}},
	} {
		if got := runs(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("runs(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"  a \t b\r\nc  ": "a b c",
		"x\x00y":          "x y",
		"bad\xffutf8":     "bad utf8",
		"smile 😀":         "smile \uFFFD",
		"ถนน\u0E31":       "ถนน\u0E31",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	pdf, err := newPDF(100, 100, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	st := style{10, false}
	for _, tc := range []struct {
		name  string
		in    string
		w     float64
		max   int
		lines int
		last  string // suffix of the last line
	}{
		{"fits", "Nguyễn Văn A", 80, 3, 1, "Văn A"},
		{"at spaces", "Thành phố Hồ Chí Minh", 25, 5, 2, "Chí Minh"},
		{"Thai without spaces breaks between clusters", strings.Repeat("กรุงเทพมหานคร", 6), 40, 10, 0, ""},
		{"cut with an ellipsis", strings.Repeat("word ", 50), 30, 2, 2, "…"},
		{"no room", "anything", 30, 0, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := wrapAll(pdf, tc.w, tc.max, st, tc.in)
			if tc.lines > 0 && len(got) != tc.lines {
				t.Fatalf("%d lines %q, want %d", len(got), got, tc.lines)
			}
			if tc.max == 0 && len(got) != 0 {
				t.Fatalf("lines %q with max 0", got)
			}
			for _, l := range got {
				if w := width(pdf, l, st); w > tc.w+1e-9 {
					t.Errorf("line %q is %.1f mm, wider than %.1f", l, w, tc.w)
				}
				if !utf8.ValidString(l) {
					t.Errorf("line %q is not UTF-8", l)
				}
				if r, _ := utf8.DecodeRuneInString(l); isThai(r) && strings.ContainsRune("\u0E31\u0E34\u0E35\u0E36\u0E37\u0E38\u0E39\u0E47\u0E48\u0E49\u0E4A\u0E4B\u0E4C", r) {
					t.Errorf("line %q starts with a combining mark", l)
				}
			}
			if tc.last != "" && !strings.HasSuffix(got[len(got)-1], tc.last) {
				t.Errorf("last line %q, want it to end %q", got[len(got)-1], tc.last)
			}
			if tc.name == "Thai without spaces breaks between clusters" {
				if strings.Join(got, "") != tc.in || len(got) < 2 {
					t.Errorf("lines %q do not rejoin to the input", got)
				}
			}
		})
	}
}
