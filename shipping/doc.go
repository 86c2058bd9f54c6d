// Package shipping owns what a parcel's journey costs and how far it goes: geography (points,
// great-circle distance, the centroid table for addresses without coordinates), zones (the one
// rule deciding how far a trip travels, shared by routing's cost and the delivery promise), rate
// cards (per carrier and service, by zone and weight band, with dimensional weight) and parcel
// pricing over a packing plan. It also holds the carrier contract (carrier.go, tracking.go):
// rates and services, labels, tracking.
//
// It is pure: no database, clock or I/O. Rate cards are plain data that marshal to JSON, so that
// an operator's cards can be stored and edited; Validate says what is wrong with one read from
// configuration, and DefaultRateCards stands in until any is configured.
//
// Zone rule (ZoneOf): a trip between two countries, or with either country missing, is
// INTERNATIONAL. Within a country, when both ends have coordinates and distance bands are given,
// the great-circle distance decides (default: up to 40 km SAME_CITY, up to 300 km SAME_REGION,
// farther SAME_COUNTRY): it measures what the carrier drives, while names are free text.
// Otherwise names decide, compared without case, spaces, punctuation or Vietnamese accents: the
// same city (with the same region, or a region missing on either side) is SAME_CITY, the same
// region SAME_REGION, anything else SAME_COUNTRY. Centroids never decide a zone: they are a
// city-level guess, good for ranking by distance, too coarse for a 40 km band.
//
// Pricing (RateCard.Quote): a parcel is billed on the greater of its actual weight and its
// dimensional weight, length × width × height in cm³ over DimDivisor (cm³ per kg), at the
// narrowest weight band of its zone that holds it; past the zone's last band, its Extra per
// started kilogram is added, and without one the card does not carry the parcel.
package shipping
