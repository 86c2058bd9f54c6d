package returns

import (
	"math/big"

	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/money"
)

// Basis is what a refund's amounts are computed from: one order's prices and what was already given
// back of it. It is read from the store by the refund commands and decided on here, purely.
type Basis struct {
	// Discount and Tax are the order's; each line carries its share, pro rata to its goods value.
	Discount, Tax int64
	// Shipping is the order's shipping charge; ShippingRefunded what refunds gave back of it so far.
	Shipping, ShippingRefunded int64
	// Paid is what the buyer paid (nothing while unpaid); Refunded what refunds granted so far
	// (order.refunded_amount); Credited the returned goods' value already applied to replacement
	// orders (exchanges, replacing claims), which can no longer be paid out.
	Paid, Refunded, Credited int64
	Lines                    []BasisLine
}

// BasisLine is one order line: its price, and what refunds and exchanges took of it so far.
type BasisLine struct {
	ID        string
	UnitPrice int64
	Quantity  int64
	// Settled units were refunded or replaced already; SettledAmount is what they were worth.
	Settled, SettledAmount int64
}

// Ask is what a refund asks for: units of lines, shipping, a restocking fee kept back, and an extra
// amount (a goodwill gesture, a price adjustment) that belongs to no line.
type Ask struct {
	Lines []AskLine
	// FullShipping refunds what is left of the order's shipping; ShippingAmount refunds this much
	// of it (at most what is left).
	FullShipping   bool
	ShippingAmount int64
	RestockingFee  int64
	Extra          int64
}

// AskLine is a quantity of one order line to refund.
type AskLine struct {
	OrderLineID string
	Quantity    int64
}

// Amounts is a refund decided: per line, shipping, the fee kept, and the total paid back.
type Amounts struct {
	Lines         []schema.RefundLine
	Goods         int64 // Σ lines
	Shipping      int64
	RestockingFee int64
	Extra         int64
	Total         int64
}

// Decide computes a refund's amounts from b, or refuses it: a malformed ask is INVALID_ARGUMENT,
// one the order cannot give (units already settled, shipping already refunded, more than was paid
// and not yet refunded) is CONFLICT. A unit is worth its price less its line's share of the order's
// discount plus its share of the order's tax; the last units of a line take what is left of the
// line's value, so that a line refunded in parts adds up to exactly its value.
func Decide(b Basis, a Ask) (Amounts, error) {
	if a.RestockingFee < 0 || a.ShippingAmount < 0 || a.Extra < 0 {
		return Amounts{}, fault.New(fault.InvalidArgument, "shipping, restocking fee and amount must not be negative")
	}
	values, err := lineValues(b)
	if err != nil {
		return Amounts{}, err
	}
	byID := make(map[string]int, len(b.Lines))
	for i, l := range b.Lines {
		byID[l.ID] = i
	}
	var out Amounts
	asked := map[string]int64{}
	for _, al := range a.Lines {
		i, ok := byID[al.OrderLineID]
		if !ok {
			return Amounts{}, fault.New(fault.InvalidArgument, "line %s is not a line of this order", al.OrderLineID)
		}
		if al.Quantity <= 0 {
			return Amounts{}, fault.New(fault.InvalidArgument, "line %s: quantity must be positive, got %d", al.OrderLineID, al.Quantity)
		}
		if _, dup := asked[al.OrderLineID]; dup {
			return Amounts{}, fault.New(fault.InvalidArgument, "line %s is named twice", al.OrderLineID)
		}
		asked[al.OrderLineID] = al.Quantity
		l := b.Lines[i]
		left := l.Quantity - l.Settled
		if al.Quantity > left {
			return Amounts{}, fault.New(fault.Conflict, "line %s: %d units asked, %d of %d left to refund", l.ID, al.Quantity, max(left, 0), l.Quantity).
				With("orderLineID", l.ID).With("left", max(left, 0))
		}
		amount, err := unitsValue(values[i], l, al.Quantity)
		if err != nil {
			return Amounts{}, err
		}
		out.Lines = append(out.Lines, schema.RefundLine{OrderLineID: l.ID, Quantity: al.Quantity, Amount: amount})
		if out.Goods, err = money.Add(out.Goods, amount); err != nil {
			return Amounts{}, overflow()
		}
	}
	shippingLeft := b.Shipping - b.ShippingRefunded
	switch {
	case a.FullShipping && a.ShippingAmount > 0:
		return Amounts{}, fault.New(fault.InvalidArgument, "refund the whole shipping or an amount of it, not both")
	case a.FullShipping:
		if shippingLeft <= 0 {
			return Amounts{}, fault.New(fault.Conflict, "the order's shipping is refunded already")
		}
		out.Shipping = shippingLeft
	case a.ShippingAmount > shippingLeft:
		return Amounts{}, fault.New(fault.Conflict, "shipping refund %d exceeds the %d of shipping not yet refunded", a.ShippingAmount, max(shippingLeft, 0)).
			With("shippingLeft", max(shippingLeft, 0))
	default:
		out.Shipping = a.ShippingAmount
	}
	if a.RestockingFee > out.Goods {
		return Amounts{}, fault.New(fault.InvalidArgument, "restocking fee %d exceeds the %d the lines are worth", a.RestockingFee, out.Goods)
	}
	out.RestockingFee, out.Extra = a.RestockingFee, a.Extra
	total, err := money.Sum(out.Goods, out.Shipping, out.Extra)
	if err == nil {
		total, err = money.Sub(total, out.RestockingFee)
	}
	if err != nil {
		return Amounts{}, overflow()
	}
	if total <= 0 {
		return Amounts{}, fault.New(fault.InvalidArgument, "a refund needs a positive amount: name lines, shipping or an amount")
	}
	out.Total = total
	return out, Refundable(b, total)
}

// Refundable refuses (CONFLICT) an amount beyond what the buyer paid and has not had back yet.
func Refundable(b Basis, amount int64) error {
	left := b.Paid - b.Refunded - b.Credited
	if b.Paid <= 0 {
		return fault.New(fault.Conflict, "nothing was paid for this order: there is nothing to refund")
	}
	if amount > left {
		return fault.New(fault.Conflict, "refund of %d exceeds the %d paid and not yet refunded", amount, max(left, 0)).
			With("refundable", max(left, 0))
	}
	return nil
}

// lineValues is each line's value: price × quantity, less its share of the order's discount, plus
// its share of the tax. Shares are pro rata to the lines' goods values; the last line takes the
// rounding, so the values add up to goods − discount + tax exactly.
func lineValues(b Basis) ([]int64, error) {
	goods := make([]int64, len(b.Lines))
	var whole int64
	for i, l := range b.Lines {
		g, err := money.Mul(l.UnitPrice, l.Quantity)
		if err != nil {
			return nil, overflow()
		}
		goods[i] = g
		if whole, err = money.Add(whole, g); err != nil {
			return nil, overflow()
		}
	}
	out := make([]int64, len(b.Lines))
	var discountGiven, taxGiven int64
	for i, g := range goods {
		d, t := prorate(b.Discount, g, whole), prorate(b.Tax, g, whole)
		if i == len(goods)-1 {
			d, t = b.Discount-discountGiven, b.Tax-taxGiven
		}
		discountGiven += d
		taxGiven += t
		v, err := money.Sub(g, d)
		if err == nil {
			v, err = money.Add(v, t)
		}
		if err != nil {
			return nil, overflow()
		}
		out[i] = max(v, 0)
	}
	return out, nil
}

// unitsValue is what q units of line l (worth value in all) give back: pro rata, and for the last
// units, what the units refunded before left of the line's value.
func unitsValue(value int64, l BasisLine, q int64) (int64, error) {
	if l.Settled+q >= l.Quantity {
		return max(value-l.SettledAmount, 0), nil
	}
	return prorate(value, q, l.Quantity), nil
}

// prorate is amount × part / whole rounded down, in exact arithmetic (the product may not fit an int64).
func prorate(amount, part, whole int64) int64 {
	if whole == 0 || amount == 0 || part == 0 {
		return 0
	}
	p := new(big.Int).Mul(big.NewInt(amount), big.NewInt(part))
	return p.Quo(p, big.NewInt(whole)).Int64()
}

func overflow() error {
	return fault.New(fault.InvalidArgument, "the refund overflows the largest amount (%d)", int64(money.Max))
}
