package dispatch

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/ratecard"
	"github.com/ordo-oms/ordo/packing"
	"github.com/ordo-oms/ordo/shipping"
)

// pricing is what shipments are priced with, shared by routing's cost and the delivery promise so
// that both bill the same trip and goods alike: the box catalogue and the rate cards.
type pricing struct {
	boxes []packing.Box
	cards []shipping.RateCard
}

// loadPricing reads the active box catalogue and rate cards (see Boxes and RateCards).
func loadPricing(ctx context.Context, c *ent.Client, log *slog.Logger) (pricing, error) {
	boxes, err := Boxes(ctx, c)
	if err != nil {
		return pricing{}, err
	}
	cards, err := RateCards(ctx, c, log)
	if err != nil {
		return pricing{}, err
	}
	return pricing{boxes: boxes, cards: cards}, nil
}

// RateCards is what routing and promises price parcels with: the active stored rate cards of one
// currency (see UsableRateCards), or shipping.DefaultRateCards when none is usable. A stored card
// left out is logged with the reason, never an error: a bad card must not stop routing.
func RateCards(ctx context.Context, c *ent.Client, log *slog.Logger) ([]shipping.RateCard, error) {
	stored, err := c.RateCard.Query().Where(ratecard.Active(true)).
		Order(ent.Asc(ratecard.FieldCarrier), ent.Asc(ratecard.FieldService)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load rate cards: %w", err)
	}
	cards := make([]shipping.RateCard, len(stored))
	for i, rc := range stored {
		cards[i] = rateCard(rc)
	}
	use, skipped := UsableRateCards(cards)
	if log == nil {
		log = slog.Default()
	}
	for _, err := range skipped {
		log.WarnContext(ctx, "rate card not used", "err", err)
	}
	if len(use) == 0 {
		return shipping.DefaultRateCards(), nil
	}
	return use, nil
}

// rateCard is a stored rate card as shipping prices with it (stored cards have no extra per
// kilogram: a parcel past a zone's last band is not carried by them).
func rateCard(rc *ent.RateCard) shipping.RateCard {
	out := shipping.RateCard{Carrier: rc.Carrier, Service: rc.Service, Currency: rc.Currency, DimDivisor: rc.DimDivisor}
	for _, b := range rc.Bands {
		out.Bands = append(out.Bands, shipping.RateBand{Zone: shipping.Zone(b.Zone), MaxGrams: b.MaxGrams, Amount: b.Amount})
	}
	return out
}

// UsableRateCards picks the cards parcels may be priced with, in their given order, and says why
// each other one is left out. A card that fails Validate is left out. Cards in several currencies
// are never compared: the currency of the most valid cards wins (a tie goes to the currency of
// shipping.DefaultRateCards, then to the first in alphabetical order) and cards in any other
// currency are left out.
func UsableRateCards(cards []shipping.RateCard) (use []shipping.RateCard, skipped []error) {
	var valid []shipping.RateCard
	count := map[string]int{}
	for _, c := range cards {
		if err := c.Validate(); err != nil {
			skipped = append(skipped, fmt.Errorf("rate card %s %s is invalid: %w", c.Carrier, c.Service, err))
			continue
		}
		valid = append(valid, c)
		count[c.Currency]++
	}
	currencies := make([]string, 0, len(count))
	for cur := range count {
		currencies = append(currencies, cur)
	}
	home := shipping.DefaultRateCards()[0].Currency
	slices.SortFunc(currencies, func(a, b string) int {
		return cmp.Or(cmp.Compare(count[b], count[a]), boolRank(b == home)-boolRank(a == home), cmp.Compare(a, b))
	})
	for _, c := range valid {
		if c.Currency == currencies[0] {
			use = append(use, c)
			continue
		}
		skipped = append(skipped, fmt.Errorf("rate card %s %s is in %s, the other cards in %s: cards in two currencies cannot be compared",
			c.Carrier, c.Service, c.Currency, currencies[0]))
	}
	return use, skipped
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
