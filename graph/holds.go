package graph

import (
	"cmp"
	"slices"
	"time"

	"github.com/ordo-oms/ordo/graph/model"
	"github.com/ordo-oms/ordo/holds"
)

// holdInput translates holdStock's input.
func holdInput(in model.HoldStockInput) holds.HoldInput {
	out := holds.HoldInput{Cart: in.Cart, ChannelID: in.ChannelID, Lines: make([]holds.Line, len(in.Lines))}
	for i, l := range in.Lines {
		out.Lines[i] = holds.Line{SKU: l.Sku, Quantity: int64(l.Quantity)}
	}
	if in.TTLSeconds != nil {
		out.TTL = time.Duration(*in.TTLSeconds) * time.Second
	}
	return out
}

// unpaidExpiryRules lists a channel's unpaid expiry rules by payment method.
func unpaidExpiryRules(rules map[string]int) []*model.UnpaidExpiryRule {
	out := make([]*model.UnpaidExpiryRule, 0, len(rules))
	for m, minutes := range rules {
		out = append(out, &model.UnpaidExpiryRule{PaymentMethod: m, Minutes: minutes})
	}
	slices.SortFunc(out, func(a, b *model.UnpaidExpiryRule) int { return cmp.Compare(a.PaymentMethod, b.PaymentMethod) })
	return out
}
