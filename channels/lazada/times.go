package lazada

import (
	"strconv"
	"strings"
	"time"
)

// ventureZones is the UTC offset of each Lazada venture, by currency, for the one format that
// carries no offset ("2017-03-24 16:09:22" in promised_shipping_times). Indonesia is read as WIB.
var ventureZones = map[string]int{
	"SGD": 8, "MYR": 8, "PHP": 8,
	"THB": 7, "VND": 7, "IDR": 7,
}

// parseTime reads any of Lazada's time formats into UTC: RFC 3339 ("2018-02-09T22:44:30+08:00"),
// "2014-10-15 18:36:05 +0800", a bare "2017-03-24 16:09:22" in the venture's zone, and epoch
// milliseconds (or seconds) as digits. It returns false for empty, "null" or unreadable values
// (the docs samples carry placeholders such as "s" and "shipping_time").
func parseTime(s, currency string) (time.Time, bool) {
	t := strings.TrimSpace(s)
	if t == "" || t == "null" || t == "0" {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		if n <= 0 {
			return time.Time{}, false
		}
		if n >= 100_000_000_000 { // milliseconds: 1e11 ms is 1973, 1e11 s is year 5138
			return time.UnixMilli(n).UTC(), true
		}
		return time.Unix(n, 0).UTC(), true
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 -07:00"} {
		if v, err := time.Parse(layout, t); err == nil {
			return v.UTC(), true
		}
	}
	if h, ok := ventureZones[strings.ToUpper(currency)]; ok {
		zone := time.FixedZone("", h*3600)
		if v, err := time.ParseInLocation("2006-01-02 15:04:05", t, zone); err == nil {
			return v.UTC(), true
		}
	}
	return time.Time{}, false
}
