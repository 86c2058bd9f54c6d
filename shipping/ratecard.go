package shipping

import (
	"cmp"
	"errors"
	"fmt"

	"github.com/ordo-oms/ordo/money"
)

// MaxBillableGrams is the heaviest billable weight a rate card prices (10 tonnes): beyond it a
// parcel is freight, and bounding it keeps every price within int64.
const MaxBillableGrams = 10_000_000

// maxDimDivisor bounds DimDivisor (cm³ per kg); carriers use 4000 to 6000.
const maxDimDivisor = 1_000_000

// ErrNoRate means a rate card has no band for the parcel's zone: the service does not go there.
var ErrNoRate = errors.New("shipping: no rate for the zone")

// ErrTooHeavy means a parcel's billable weight is past the card's last band for its zone and
// the card has no extra per kilogram for it (or past MaxBillableGrams).
var ErrTooHeavy = errors.New("shipping: parcel too heavy for the rate card")

// RateCard prices parcels of one carrier's service, by zone and weight band. It is plain data
// (its JSON is the stored form); amounts are in minor units of Currency.
type RateCard struct {
	Carrier  string `json:"carrier"`
	Service  string `json:"service"`
	Currency string `json:"currency"`
	// DimDivisor turns a parcel's volume into its dimensional weight, in cm³ per kg (5000: a
	// 50×40×30 cm box weighs at least 12 kg). Zero: the actual weight only.
	DimDivisor int `json:"dimDivisor"`
	// Bands price a parcel by zone up to a billable weight: per zone, in ascending MaxGrams.
	Bands []RateBand `json:"bands"`
	// Extra prices what is past a zone's last band, per started kilogram; at most one per zone.
	Extra []RateExtra `json:"extra,omitempty"`
}

// RateBand is the price of a parcel of a zone up to MaxGrams billable grams.
type RateBand struct {
	Zone     Zone  `json:"zone"`
	MaxGrams int   `json:"maxGrams"`
	Amount   int64 `json:"amount"`
}

// RateExtra is added per started kilogram past a zone's last band.
type RateExtra struct {
	Zone  Zone  `json:"zone"`
	PerKg int64 `json:"perKg"`
}

// Measure is a parcel as a rate card sees it: its gross weight and outer dimensions. A dimension
// of zero means unknown: no dimensional weight.
type Measure struct {
	WeightGrams int `json:"weightGrams"`
	LengthMM    int `json:"lengthMm"`
	WidthMM     int `json:"widthMm"`
	HeightMM    int `json:"heightMm"`
}

// DefaultRateCards is the rate card Ordo prices with until an operator configures carriers' real
// ones: a plausible Southeast Asian parcel service in satang (THB), with the common courier
// divisor of 5000 cm³ per kg.
func DefaultRateCards() []RateCard {
	bands := []int{500, 1000, 2000, 5000, 10000, 20000}
	prices := []struct {
		zone   Zone
		amount []int64
		perKg  int64
	}{
		{SameCity, []int64{3500, 4000, 5000, 7000, 10000, 15000}, 500},
		{SameRegion, []int64{4500, 5000, 6500, 9000, 13000, 20000}, 700},
		{SameCountry, []int64{5500, 6500, 8000, 11000, 16000, 25000}, 900},
		{International, []int64{35000, 50000, 80000, 150000, 260000, 480000}, 22000},
	}
	c := RateCard{Carrier: "DEFAULT", Service: "STANDARD", Currency: "THB", DimDivisor: 5000}
	for _, p := range prices {
		for i, max := range bands {
			c.Bands = append(c.Bands, RateBand{Zone: p.zone, MaxGrams: max, Amount: p.amount[i]})
		}
		c.Extra = append(c.Extra, RateExtra{Zone: p.zone, PerKg: p.perKg})
	}
	return []RateCard{c}
}

// Validate reports what is wrong with a card read from configuration: a missing carrier, service
// or currency, a negative divisor, unknown zones, bands not ascending within their zone or not
// positive, negative amounts, a price that falls as weight rises, two extras for one zone or one
// without bands, or a price at MaxBillableGrams past int64.
func (c RateCard) Validate() error {
	var errs []error
	if c.Carrier == "" || c.Service == "" {
		errs = append(errs, errors.New("shipping: a rate card names its carrier and service"))
	}
	if len(c.Currency) != 3 {
		errs = append(errs, fmt.Errorf("shipping: currency %q is not an ISO 4217 code", c.Currency))
	}
	if c.DimDivisor < 0 || c.DimDivisor > maxDimDivisor {
		errs = append(errs, fmt.Errorf("shipping: dimensional divisor %d out of range 0-%d", c.DimDivisor, maxDimDivisor))
	}
	last := map[Zone]RateBand{}
	for i, b := range c.Bands {
		switch prev, seen := last[b.Zone]; {
		case !b.Zone.Known():
			errs = append(errs, fmt.Errorf("shipping: band %d: unknown zone %q", i, b.Zone))
		case b.MaxGrams <= 0 || b.MaxGrams > MaxBillableGrams:
			errs = append(errs, fmt.Errorf("shipping: band %d (%s): weight %d g out of range 1-%d", i, b.Zone, b.MaxGrams, MaxBillableGrams))
		case b.Amount < 0:
			errs = append(errs, fmt.Errorf("shipping: band %d (%s): negative amount", i, b.Zone))
		case seen && b.MaxGrams <= prev.MaxGrams:
			errs = append(errs, fmt.Errorf("shipping: band %d (%s): %d g after %d g; bands ascend", i, b.Zone, b.MaxGrams, prev.MaxGrams))
		case seen && b.Amount < prev.Amount:
			errs = append(errs, fmt.Errorf("shipping: band %d (%s): a heavier band costs less", i, b.Zone))
		default:
			last[b.Zone] = b
		}
	}
	extra := map[Zone]bool{}
	for _, e := range c.Extra {
		lb, ok := last[e.Zone]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("shipping: extra for zone %q, which has no bands", e.Zone))
		case extra[e.Zone]:
			errs = append(errs, fmt.Errorf("shipping: two extras for zone %s", e.Zone))
		case e.PerKg < 0:
			errs = append(errs, fmt.Errorf("shipping: extra for zone %s: negative amount", e.Zone))
		default:
			if _, err := extraPrice(lb, e.PerKg, MaxBillableGrams); err != nil {
				errs = append(errs, fmt.Errorf("shipping: extra for zone %s: %w", e.Zone, err))
			}
		}
		extra[e.Zone] = true
	}
	return errors.Join(errs...)
}

// BillableGrams is what the card bills a parcel on: the greater of its weight and its
// dimensional weight (volume over DimDivisor), rounded up to the gram.
func (c RateCard) BillableGrams(m Measure) int {
	billable := max(m.WeightGrams, 0)
	if c.DimDivisor <= 0 || m.LengthMM <= 0 || m.WidthMM <= 0 || m.HeightMM <= 0 {
		return billable
	}
	// mm³ over cm³-per-kg is grams; sides are capped so that the product stays within int64.
	side := func(mm int) int64 { return int64(min(mm, 1_000_000)) }
	volume := side(m.LengthMM) * side(m.WidthMM) * side(m.HeightMM)
	dim := (volume + int64(c.DimDivisor) - 1) / int64(c.DimDivisor)
	if dim > int64(billable) {
		return int(min(dim, MaxBillableGrams+1))
	}
	return billable
}

// Quote prices one parcel in a zone: the amount and the billable grams it was priced on. It
// fails with ErrNoRate when the card does not serve the zone, ErrTooHeavy when the parcel is
// past its bands with no extra for the zone, and on a negative measure. The card need not be
// valid: bands are matched in any order, and an overflow is an error.
func (c RateCard) Quote(z Zone, m Measure) (amount int64, billableGrams int, err error) {
	if m.WeightGrams < 0 || m.LengthMM < 0 || m.WidthMM < 0 || m.HeightMM < 0 {
		return 0, 0, fmt.Errorf("shipping: negative parcel measure %+v", m)
	}
	billable := c.BillableGrams(m)
	if billable > MaxBillableGrams {
		return 0, billable, fmt.Errorf("%w: %d g billable", ErrTooHeavy, billable)
	}
	var fit, top *RateBand
	for i := range c.Bands {
		b := &c.Bands[i]
		if b.Zone != z {
			continue
		}
		if billable <= b.MaxGrams && (fit == nil || b.MaxGrams < fit.MaxGrams) {
			fit = b
		}
		if top == nil || b.MaxGrams > top.MaxGrams {
			top = b
		}
	}
	switch {
	case top == nil:
		return 0, billable, fmt.Errorf("%w %s (%s %s)", ErrNoRate, z, c.Carrier, c.Service)
	case fit != nil:
		return fit.Amount, billable, nil
	}
	for _, e := range c.Extra {
		if e.Zone == z {
			amount, err := extraPrice(*top, e.PerKg, billable)
			return amount, billable, err
		}
	}
	return 0, billable, fmt.Errorf("%w: %d g billable, %s %s goes to %d g in zone %s", ErrTooHeavy, billable, c.Carrier, c.Service, top.MaxGrams, z)
}

// extraPrice is the last band's amount plus perKg for every started kilogram of grams past it.
func extraPrice(last RateBand, perKg int64, grams int) (int64, error) {
	kgs := int64((grams - last.MaxGrams + 999) / 1000)
	extra, err := money.Mul(perKg, kgs)
	if err != nil {
		return 0, err
	}
	return money.Add(last.Amount, extra)
}

// Price is a parcel's quote from one card.
type Price struct {
	Carrier       string `json:"carrier"`
	Service       string `json:"service"`
	Currency      string `json:"currency"`
	Amount        int64  `json:"amount"`
	BillableGrams int    `json:"billableGrams"`
}

// Cheapest is the lowest quote for a parcel among cards that carry it (ties: carrier, then
// service, in order). Every card must be in the same currency. It fails when no card quotes the
// parcel, with the reason of the first card's refusal.
func Cheapest(cards []RateCard, z Zone, m Measure) (Price, error) {
	var (
		best  Price
		found bool
		first error
	)
	for _, c := range cards {
		if c.Currency != cards[0].Currency {
			return Price{}, fmt.Errorf("shipping: rate cards in %s and %s cannot be compared", cards[0].Currency, c.Currency)
		}
		amount, billable, err := c.Quote(z, m)
		if err != nil {
			first = cmp.Or(first, err)
			continue
		}
		p := Price{Carrier: c.Carrier, Service: c.Service, Currency: c.Currency, Amount: amount, BillableGrams: billable}
		if !found || cmp.Or(cmp.Compare(p.Amount, best.Amount), cmp.Compare(p.Carrier, best.Carrier), cmp.Compare(p.Service, best.Service)) < 0 {
			best, found = p, true
		}
	}
	if !found {
		if first == nil {
			first = errors.New("shipping: no rate cards")
		}
		return Price{}, first
	}
	return best, nil
}
