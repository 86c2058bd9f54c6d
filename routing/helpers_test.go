package routing

import (
	"time"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

var now = time.Date(2025, 11, 11, 3, 0, 0, 0, time.UTC)

func fp(x float64) *float64 { return &x }

func locID(code string) pulid.ID  { return pulid.ID("loc_" + code) }
func varID(code string) pulid.ID  { return pulid.ID("var_" + code) }
func lineID(code string) pulid.ID { return pulid.ID("oli_" + code) }

// places used across tests
var (
	addrBangkok = Address{Lat: fp(13.7466), Lng: fp(100.5393), CountryCode: "TH", Region: "Bangkok", City: "Bangkok", PostalCode: "10330"}
	addrJakarta = Address{Lat: fp(-6.1944), Lng: fp(106.8229), CountryCode: "ID", Region: "DKI Jakarta", City: "Jakarta", PostalCode: "10310"}
)

// warehouse is an active warehouse at a place, shipping to its own country.
func warehouse(code string, lat, lng float64, country, region, city string) Location {
	return Location{ID: locID(code), Code: code, Kind: KindWarehouse, Active: true, Lat: fp(lat), Lng: fp(lng),
		CountryCode: country, Region: region, City: city}
}

func bkkWH() Location  { return warehouse("BKK", 13.7200, 100.5200, "TH", "Bangkok", "Bangkok") }
func bkk2WH() Location { return warehouse("BKK2", 13.7000, 100.6000, "TH", "Bangkok", "Bangkok") }
func cnxWH() Location  { return warehouse("CNX", 18.7883, 98.9853, "TH", "Chiang Mai", "Chiang Mai") }
func hktWH() Location  { return warehouse("HKT", 7.8804, 98.3923, "TH", "Phuket", "Phuket") }
func jktWH() Location {
	l := warehouse("JKT", -6.2088, 106.8456, "ID", "DKI Jakarta", "Jakarta")
	l.ShipsTo = []string{"ID", "TH", "MY", "SG", "VN", "PH"}
	return l
}

func plainLine(code, variant string, qty int64) Line {
	return Line{ID: lineID(code), VariantID: varID(variant), SKU: variant, Quantity: qty, WeightGrams: 300}
}

func bangkokOrder(lines ...Line) Order {
	return Order{ID: "ord_1", Destination: addrBangkok, PlacedAt: now.Add(-time.Hour), Lines: lines}
}

// stock builds Stock from (variant, location, units) triples.
func stock(rows ...any) Stock {
	s := Stock{}
	for i := 0; i+2 < len(rows); i += 3 {
		v, l, n := varID(rows[i].(string)), locID(rows[i+1].(string)), int64(rows[i+2].(int))
		if s[v] == nil {
			s[v] = map[pulid.ID]int64{}
		}
		s[v][l] = n
	}
	return s
}

// locations returns the shipping locations of a decision in plan order.
func locations(d Decision) []pulid.ID {
	var ids []pulid.ID
	for _, s := range d.Shipments {
		ids = append(ids, s.LocationID)
	}
	return ids
}

// rejected returns the order-level rejection reason of a location, or "".
func rejected(d Decision, id pulid.ID) Reason {
	for _, r := range d.Trace.Rejected {
		if r.LocationID == id {
			return r.Reason
		}
	}
	return ""
}

func lineRejected(d Decision, line, loc pulid.ID) Reason {
	for _, lt := range d.Trace.Lines {
		if lt.LineID != line {
			continue
		}
		for _, r := range lt.Rejected {
			if r.LocationID == loc {
				return r.Reason
			}
		}
	}
	return ""
}
