package schema

// Address is a postal address with optional coordinates, kept as one JSON value on an order
// (the ship-to) or a location. Coordinates feed routing; they are nil when unknown.
type Address struct {
	Name        string   `json:"name,omitempty"`
	Phone       string   `json:"phone,omitempty"`
	Line1       string   `json:"line1,omitempty"`
	Line2       string   `json:"line2,omitempty"`
	City        string   `json:"city,omitempty"`
	Region      string   `json:"region,omitempty"`
	PostalCode  string   `json:"postalCode,omitempty"`
	CountryCode string   `json:"countryCode,omitempty"`
	Latitude    *float64 `json:"latitude,omitempty"`
	Longitude   *float64 `json:"longitude,omitempty"`
}
