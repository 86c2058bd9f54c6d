package lazada

import (
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// countries maps the country names Lazada writes in addresses to ISO 3166 codes.
var countries = map[string]string{
	"singapore": "SG", "malaysia": "MY", "thailand": "TH",
	"vietnam": "VN", "viet nam": "VN", "indonesia": "ID", "philippines": "PH",
}

// shippingAddress maps address_shipping; address2 to address5 are joined into Line2 (their meaning
// varies by country), either spelling of the district is the Region.
func shippingAddress(a address) channels.Address {
	country := a.Country.String()
	code := countries[strings.ToLower(country)]
	if code == "" && len(country) == 2 {
		code = strings.ToUpper(country)
	}
	district := a.District.String()
	if district == "" {
		district = a.Dsitrict.String()
	}
	return channels.Address{
		Name:        joinNonEmpty(" ", a.FirstName.String(), a.LastName.String()),
		Phone:       a.Phone.String(),
		Line1:       a.Address1.String(),
		Line2:       joinNonEmpty(", ", a.Address2.String(), a.Address3.String(), a.Address4.String(), a.Address5.String()),
		City:        a.City.String(),
		Region:      district,
		PostalCode:  a.PostCode.String(),
		CountryCode: code,
	}
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
