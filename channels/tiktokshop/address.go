package tiktokshop

import (
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// levels says which of recipient_address.district_info's levels are a country's region and city.
// TikTok Shop documents the levels only as codes, L0 (the country) to L4, "the administrative
// division that can be used by seller for ship", named per address in address_level_name; what
// each code is depends on the country's divisions, so one level is not the city everywhere.
type levels struct {
	// region is the state, province or county; city the town the parcel goes to.
	region, city string
	// below are the divisions beneath the city (district, subdistrict, ward, barangay): kept on
	// the second address line, where a courier reads them.
	below []string
}

// countryLevels maps each market TikTok Shop sells in to its levels, from the markets' divisions as
// TikTok's address forms ask for them:
//
//	US  L1 state, L2 county, L3 city
//	GB  L1 nation, L2 county, L3 post town
//	ID  L1 provinsi, L2 kota/kabupaten, L3 kecamatan, L4 kelurahan/desa
//	MY  L1 state, L2 city, L3 post area
//	TH  L1 changwat (province), L2 amphoe/khet, L3 tambon/khwaeng
//	VN  L1 tỉnh/thành phố, L2 quận/huyện, L3 phường/xã
//	PH  L1 region, L2 province, L3 city/municipality, L4 barangay
//	SG  L1 (when sent) Singapore: a city state
//
// A country not listed keeps the general reading: region L1, city the deepest of L3 and L2.
var countryLevels = map[string]levels{
	"US": {region: "L1", city: "L3"},
	"GB": {region: "L2", city: "L3"},
	"ID": {region: "L1", city: "L2", below: []string{"L3", "L4"}},
	"MY": {region: "L1", city: "L2", below: []string{"L3"}},
	"TH": {region: "L1", city: "L2", below: []string{"L3"}},
	"VN": {region: "L1", city: "L2", below: []string{"L3"}},
	"PH": {region: "L2", city: "L3", below: []string{"L4"}},
	"SG": {city: "L1"},
}

// place reads a country's region, city and the divisions below the city from district_info's
// names by level code (L0…L4). It is pure.
func place(country string, named map[string]string) (region, city string, below []string) {
	lv, ok := countryLevels[strings.ToUpper(strings.TrimSpace(country))]
	if !ok {
		city = named["L3"]
		if city == "" {
			city = named["L2"]
		}
		return named["L1"], city, nil
	}
	region, city = named[lv.region], named[lv.city]
	if city == "" && strings.EqualFold(country, "SG") {
		city = named["L0"]
	}
	for _, l := range lv.below {
		if n := named[l]; n != "" {
			below = append(below, n)
		}
	}
	return region, city, below
}

// shippingAddress maps recipient_address. Line2 joins address_line2 to 4, address_detail and the
// divisions below the city; the region and the city are the levels of district_info that are the
// region and the city in the address's country (see countryLevels).
func shippingAddress(a address) channels.Address {
	name := a.Name.String()
	if name == "" {
		name = joinNonEmpty(" ", a.FirstName.String(), a.LastName.String())
	}
	named := map[string]string{}
	for _, d := range a.DistrictInfo {
		named[strings.ToUpper(d.AddressLevel.String())] = d.AddressName.String()
	}
	country := strings.ToUpper(a.RegionCode.String())
	region, city, below := place(country, named)
	line2 := append([]string{a.AddressLine2.String(), a.AddressLine3.String(), a.AddressLine4.String(), a.AddressDetail.String()}, below...)
	return channels.Address{
		Name:        name,
		Phone:       a.PhoneNumber.String(),
		Line1:       a.AddressLine1.String(),
		Line2:       joinNonEmpty(", ", line2...),
		City:        city,
		Region:      region,
		PostalCode:  a.PostalCode.String(),
		CountryCode: country,
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
