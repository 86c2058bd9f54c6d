package fulfilment

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/ratecard"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/shipping"
)

// RateCardInput sets what a carrier service costs, per zone and weight band.
type RateCardInput struct {
	Carrier, Service string
	Currency         string // ISO 4217
	// DimDivisor is the cm³ per kg of dimensional weight; 0 keeps the card's (5000 for a new card).
	DimDivisor int
	Bands      []schema.RateBand
	// Active is nil to keep the card's (true for a new card).
	Active *bool
}

// MaxRateBands bounds one rate card; MaxRateCards the cards Ordo holds (rateCards lists them all).
const (
	MaxRateBands = 100
	MaxRateCards = 500
)

var isoCurrency = regexp.MustCompile(`^[A-Z]{3}$`)

// CheckRateCard validates a rate card: carrier and service named, an ISO currency, a positive
// divisor, and 1 to 100 bands sorted by zone then by maxGrams strictly ascending, each with
// positive grams and a non-negative amount; then shipping's own rule for what a card may say
// (known zones, a heavier band never cheaper, no amount that could overflow). It is pure.
func CheckRateCard(in RateCardInput) error {
	switch {
	case in.Carrier == "" || len(in.Carrier) > 64:
		return fault.New(fault.InvalidArgument, "carrier: must be 1 to 64 characters")
	case in.Service == "" || len(in.Service) > 64:
		return fault.New(fault.InvalidArgument, "service: must be 1 to 64 characters")
	case !isoCurrency.MatchString(in.Currency):
		return fault.New(fault.InvalidArgument, "currency: %q is not an ISO 4217 code", in.Currency)
	case in.DimDivisor < 0 || in.DimDivisor > 100000:
		return fault.New(fault.InvalidArgument, "dimDivisor: must be between 1 and 100000")
	case len(in.Bands) == 0 || len(in.Bands) > MaxRateBands:
		return fault.New(fault.InvalidArgument, "bands: must be 1 to %d", MaxRateBands)
	}
	for i, b := range in.Bands {
		switch {
		case strings.TrimSpace(b.Zone) == "" || len(b.Zone) > 32:
			return fault.New(fault.InvalidArgument, "bands[%d].zone: must be 1 to 32 characters", i)
		case b.MaxGrams <= 0:
			return fault.New(fault.InvalidArgument, "bands[%d].maxGrams: must be positive", i)
		case b.Amount < 0:
			return fault.New(fault.InvalidArgument, "bands[%d].amount: must not be negative", i)
		}
		if i == 0 {
			continue
		}
		prev := in.Bands[i-1]
		if c := cmp.Compare(prev.Zone, b.Zone); c > 0 || (c == 0 && prev.MaxGrams >= b.MaxGrams) {
			return fault.New(fault.InvalidArgument, "bands[%d]: bands must be sorted by zone, then by maxGrams ascending, without repeats", i)
		}
	}
	card := shipping.RateCard{Carrier: in.Carrier, Service: in.Service, Currency: in.Currency, DimDivisor: cmp.Or(in.DimDivisor, 5000)}
	for _, b := range in.Bands {
		card.Bands = append(card.Bands, shipping.RateBand{Zone: shipping.Zone(b.Zone), MaxGrams: b.MaxGrams, Amount: b.Amount})
	}
	if err := card.Validate(); err != nil {
		return fault.New(fault.InvalidArgument, "%v", err)
	}
	return nil
}

// SetRateCard creates or replaces the rate card of a carrier service (by carrier and service).
func (s *Service) SetRateCard(ctx context.Context, in RateCardInput) (*ent.RateCard, error) {
	in.Carrier, in.Service = strings.TrimSpace(in.Carrier), strings.TrimSpace(in.Service)
	in.Currency = strings.TrimSpace(in.Currency)
	if err := CheckRateCard(in); err != nil {
		return nil, err
	}
	var saved *ent.RateCard
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		card, err := tx.RateCard.Query().Where(ratecard.Carrier(in.Carrier), ratecard.Service(in.Service)).Only(ctx)
		switch {
		case ent.IsNotFound(err):
			n, cerr := tx.RateCard.Query().Count(ctx)
			if cerr != nil {
				return fmt.Errorf("count rate cards: %w", cerr)
			}
			if n >= MaxRateCards {
				return fault.New(fault.Conflict, "there are already %d rate cards, the most Ordo holds", n)
			}
			c := tx.RateCard.Create().SetCarrier(in.Carrier).SetService(in.Service).SetCurrency(in.Currency).SetBands(in.Bands)
			if in.DimDivisor > 0 {
				c.SetDimDivisor(in.DimDivisor)
			}
			if in.Active != nil {
				c.SetActive(*in.Active)
			}
			saved, err = c.Save(ctx)
		case err == nil:
			u := card.Update().SetCurrency(in.Currency).SetBands(in.Bands).SetUpdatedAt(s.now())
			if in.DimDivisor > 0 {
				u.SetDimDivisor(in.DimDivisor)
			}
			if in.Active != nil {
				u.SetActive(*in.Active)
			}
			saved, err = u.Save(ctx)
		}
		if ent.IsConstraintError(err) {
			return fault.New(fault.Conflict, "the rate card of %s %s was set at the same time; retry", in.Carrier, in.Service)
		}
		if err != nil {
			return fmt.Errorf("save rate card: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	return saved, nil
}
