package message

import "testing"

func TestSupported(t *testing.T) {
	cases := []struct {
		tag  string
		want Locale
		ok   bool
	}{
		{"th", Thai, true},
		{"th-TH", Thai, true},
		{"vi_VN", Vietnamese, true},
		{"EN", English, true},
		{"en-GB", English, true},
		{" ms-MY ", Malay, true},
		{"id", Indonesian, true},
		{"in-ID", Indonesian, true},
		{"fr-FR", "", false},
		{"", "", false},
		{"thai", "", false},
	}
	for _, tc := range cases {
		if got, ok := Supported(tc.tag); got != tc.want || ok != tc.ok {
			t.Errorf("Supported(%q) = %q, %v; want %q, %v", tc.tag, got, ok, tc.want, tc.ok)
		}
	}
}

func TestOfCountry(t *testing.T) {
	cases := map[string]Locale{"TH": Thai, "vn": Vietnamese, "ID": Indonesian, "MY": Malay, "SG": English, "PH": English, "": English}
	for country, want := range cases {
		if got := OfCountry(country); got != want {
			t.Errorf("OfCountry(%q) = %q, want %q", country, got, want)
		}
	}
}

func TestZoneOfCountry(t *testing.T) {
	cases := map[string]string{
		"TH": "Asia/Bangkok", "VN": "Asia/Ho_Chi_Minh", "id": "Asia/Jakarta", "MY": "Asia/Kuala_Lumpur",
		"SG": "Asia/Singapore", "PH": "Asia/Manila", "US": "UTC", "": "UTC",
	}
	for country, want := range cases {
		if got := ZoneOfCountry(country).String(); got != want {
			t.Errorf("ZoneOfCountry(%q) = %s, want %s", country, got, want)
		}
	}
}
