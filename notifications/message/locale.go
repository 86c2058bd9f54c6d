package message

import (
	"strings"
	"time"

	_ "time/tzdata" // zones load on hosts without a zoneinfo database (scratch images, Windows)
)

// locales are the supported locales, English first: the one every other falls back to.
var locales = []Locale{English, Thai, Vietnamese, Indonesian, Malay}

// Supported resolves a language tag ("th", "th-TH", "vi_VN", "EN") to a supported locale; ok is
// false when none matches.
func Supported(tag string) (l Locale, ok bool) {
	lang, _, _ := strings.Cut(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"), "-")
	lang = strings.ToLower(lang)
	if lang == "in" { // Indonesian's tag before ISO 639 renamed it; old Java and Android systems still send it
		lang = "id"
	}
	for _, l := range locales {
		if string(l) == lang {
			return l, true
		}
	}
	return "", false
}

// OfCountry is the locale of an ISO 3166-1 alpha-2 country (TH th, VN vi, ID id, MY ms, else en).
func OfCountry(country string) Locale {
	switch strings.ToUpper(strings.TrimSpace(country)) {
	case "TH":
		return Thai
	case "VN":
		return Vietnamese
	case "ID":
		return Indonesian
	case "MY":
		return Malay
	}
	return English
}

// countryZones are the zones of ZoneOfCountry, loaded once from the embedded database (a name
// that does not load is a bug caught by the first test, hence the panic).
var countryZones = func() map[string]*time.Location {
	names := map[string]string{
		"TH": "Asia/Bangkok", "VN": "Asia/Ho_Chi_Minh", "ID": "Asia/Jakarta",
		"MY": "Asia/Kuala_Lumpur", "SG": "Asia/Singapore", "PH": "Asia/Manila",
	}
	zones := make(map[string]*time.Location, len(names))
	for country, name := range names {
		z, err := time.LoadLocation(name)
		if err != nil {
			panic("message: " + err.Error())
		}
		zones[country] = z
	}
	return zones
}()

// ZoneOfCountry is the time zone messages to a country are dated in (TH Asia/Bangkok, VN
// Asia/Ho_Chi_Minh, ID Asia/Jakarta, MY Asia/Kuala_Lumpur, SG Asia/Singapore, PH Asia/Manila, else
// UTC). Indonesia spans three zones; Jakarta's is where most of its customers live.
func ZoneOfCountry(country string) *time.Location {
	if z, ok := countryZones[strings.ToUpper(strings.TrimSpace(country))]; ok {
		return z
	}
	return time.UTC
}
