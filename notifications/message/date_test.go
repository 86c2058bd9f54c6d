package message

import (
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	bangkok, hcm := ZoneOfCountry("TH"), ZoneOfCountry("VN")
	dec7 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	lateDec6 := time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC) // already Dec 7 east of UTC+0:30
	newYear := time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC)  // midnight in Bangkok: 1 Jan 2027
	cases := []struct {
		name string
		l    Locale
		t    time.Time
		zone *time.Location
		want string
	}{
		{"english", English, dec7, time.UTC, "7 December 2026"},
		{"thai: Thai month, Buddhist year", Thai, dec7, bangkok, "7 ธันวาคม 2569"},
		{"vietnamese", Vietnamese, dec7, hcm, "7 tháng 12, 2026"},
		{"indonesian", Indonesian, dec7, ZoneOfCountry("ID"), "7 Desember 2026"},
		{"malay", Malay, dec7, ZoneOfCountry("MY"), "7 Disember 2026"},
		{"the day in the zone, not in UTC", English, lateDec6, bangkok, "7 December 2026"},
		{"the same instant in UTC", English, lateDec6, time.UTC, "6 December 2026"},
		{"nil zone is UTC", English, lateDec6, nil, "6 December 2026"},
		{"thai new year in the zone", Thai, newYear, bangkok, "1 มกราคม 2570"},
		{"malay month spelled its way", Malay, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), nil, "1 Mac 2026"},
		{"indonesian august", Indonesian, time.Date(2026, 8, 17, 0, 0, 0, 0, time.UTC), nil, "17 Agustus 2026"},
		{"unsupported locale writes English", Locale("fr"), dec7, nil, "7 December 2026"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Date(tc.l, tc.t, tc.zone); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
