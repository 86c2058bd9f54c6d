package tiktokshop

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPlace(t *testing.T) {
	l := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, tc := range []struct {
		country      string
		named        map[string]string
		region, city string
		below        []string
	}{
		{"US", l("L0", "United States", "L1", "California", "L2", "Santa Clara", "L3", "San Jose"), "California", "San Jose", nil},
		{"GB", l("L0", "United Kingdom", "L1", "England", "L2", "Lancashire", "L3", "Preston"), "Lancashire", "Preston", nil},
		{"ID", l("L0", "Indonesia", "L1", "DKI Jakarta", "L2", "Kota Jakarta Selatan", "L3", "Kebayoran Baru", "L4", "Senayan"),
			"DKI Jakarta", "Kota Jakarta Selatan", []string{"Kebayoran Baru", "Senayan"}},
		{"MY", l("L0", "Malaysia", "L1", "Selangor", "L2", "Petaling Jaya", "L3", "Damansara"), "Selangor", "Petaling Jaya", []string{"Damansara"}},
		{"TH", l("L0", "Thailand", "L1", "Bangkok", "L2", "Khlong Toei", "L3", "Khlong Tan"), "Bangkok", "Khlong Toei", []string{"Khlong Tan"}},
		{"VN", l("L0", "Vietnam", "L1", "Hồ Chí Minh", "L2", "Quận 1", "L3", "Phường Bến Nghé"), "Hồ Chí Minh", "Quận 1", []string{"Phường Bến Nghé"}},
		{"PH", l("L0", "Philippines", "L1", "Metro Manila", "L2", "Metro Manila", "L3", "Makati City", "L4", "Poblacion"), "Metro Manila", "Makati City", []string{"Poblacion"}},
		{"SG", l("L0", "Singapore"), "", "Singapore", nil},
		{"vn", l("L1", "Hà Nội", "L2", "Ba Đình"), "Hà Nội", "Ba Đình", nil},
		{"ID", l("L1", "Jawa Barat"), "Jawa Barat", "", nil},
		{"BR", l("L1", "São Paulo", "L2", "São Paulo", "L3", "Pinheiros"), "São Paulo", "Pinheiros", nil},
		{"", l("L1", "X", "L2", "Y"), "X", "Y", nil},
	} {
		t.Run(tc.country+"/"+tc.city, func(t *testing.T) {
			region, city, below := place(tc.country, tc.named)
			require.Equal(t, tc.region, region)
			require.Equal(t, tc.city, city)
			require.Equal(t, tc.below, below)
		})
	}
}
