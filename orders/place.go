package orders

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/customers"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/customer"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/money"
)

// Limits on one order, so that a single request cannot make unbounded work.
const (
	MaxLines        = 250
	MaxLineQuantity = 100_000
)

// Line is one SKU and quantity to order.
type Line struct {
	SKU      string
	Quantity int64
	// UnitPrice in minor units; nil means the variant's list price.
	UnitPrice *int64
	// ReleaseAt makes the line a pre-order: held, and allocated from this time on.
	ReleaseAt *time.Time
	// ChannelLineID, ListingID and UnitIDs are the channel's ids of the line, of what was sold, and
	// of each unit (channels that send one line per unit), kept for confirmations.
	ChannelLineID, ListingID string
	UnitIDs                  []string
	// Kind is STOCK (the default, also when empty) or, for channel orders only, NON_STOCK or
	// UNMAPPED: a line without a variant, priced by the channel, never reserved (see nonstock.go).
	Kind orderline.Kind
	// Name is the channel's name of what was sold.
	Name string
}

// Customer identifies the buyer: by id, or found (or created) from its identities (package
// customers): the channel's buyer id, the email, the phone.
type Customer struct {
	ID                 *pulid.ID
	Email, Name, Phone string
	// BuyerID is the channel's id of its buyer (Shopee's buyer_user_id, a Shopify customer id), for
	// channel orders only.
	BuyerID string
}

// PlaceInput is everything needed to place an order.
type PlaceInput struct {
	Lines           []Line
	Customer        Customer
	ShippingAddress *schema.Address
	PaymentMethod   order.PaymentMethod
	// Paid means payment was captured before placing.
	Paid                                      bool
	Priority                                  int
	Currency                                  string
	ShippingAmount, DiscountAmount, TaxAmount int64
	ShipBy                                    *time.Time
	Note                                      string
	// AllowBackorder accepts the order when some units must wait for stock; without it a shortfall
	// is an INSUFFICIENT_STOCK fault (CAPACITY when the locations that have the stock are at their
	// daily capacity) and nothing is placed. Channel orders are already sold: their
	// ingestion sets it.
	AllowBackorder bool
	ChannelID      *pulid.ID
	ExternalID     string
	IdempotencyKey string
	// Total, when set, is the total the channel states (platform vouchers, tax-inclusive prices and
	// rounding make it differ from Ordo's sum); PlacedAt is when the channel took the order.
	Total    *int64
	PlacedAt *time.Time
	// DeliveryMethod is SHIP (the default, also when empty) or PICKUP: the customer collects the
	// order at PickupLocationID, a location that offers pickup, and routing reserves it there only.
	DeliveryMethod   order.DeliveryMethod
	PickupLocationID *pulid.ID
	// HoldID is the cart's stock hold the order converts at checkout (see convertHold).
	HoldID *pulid.ID
	// ExchangeFor makes the order the replacement of a return's (or a claim's) goods: it is linked
	// to the return, and paid by ExchangeCredit, the returned goods' value. What the credit does not
	// cover is the order's balance due, and the order waits for it in PENDING_PAYMENT. Exchanges are
	// placed by PlaceTx, in the return's transaction (package returns).
	ExchangeFor    *pulid.ID
	ExchangeCredit int64
	// HoldReason, when set, puts the new order on hold at once (an exchange waiting for its return).
	HoldReason string

	// synced is the channel's state of an order SyncChannelOrder creates: recorded on the new row,
	// and the channel is known to be enabled (its caller checked).
	synced *ChannelState
	// buyer is whose order it is, as Place decided from its caller (BuyerOf).
	buyer *Buyer
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// Validate checks what can be checked without the database.
func (in PlaceInput) Validate() error {
	if len(in.Lines) == 0 {
		return fault.New(fault.InvalidArgument, "an order needs at least one line")
	}
	if len(in.Lines) > MaxLines {
		return fault.New(fault.InvalidArgument, "an order has at most %d lines, got %d", MaxLines, len(in.Lines))
	}
	for i, l := range in.Lines {
		if err := l.validateKind(i); err != nil {
			return err
		}
		if strings.TrimSpace(l.SKU) == "" && l.stocked() {
			return fault.New(fault.InvalidArgument, "line %d: SKU is empty", i+1)
		}
		if l.Quantity <= 0 || l.Quantity > MaxLineQuantity {
			return fault.New(fault.InvalidArgument, "line %d (%s): quantity must be between 1 and %d, got %d", i+1, l.SKU, MaxLineQuantity, l.Quantity)
		}
		if l.UnitPrice != nil && *l.UnitPrice < 0 {
			return fault.New(fault.InvalidArgument, "line %d (%s): unit price must not be negative", i+1, l.SKU)
		}
	}
	if in.ShippingAmount < 0 || in.DiscountAmount < 0 || in.TaxAmount < 0 {
		return fault.New(fault.InvalidArgument, "shipping, discount and tax amounts must not be negative")
	}
	if in.Currency != "" && !currencyCode.MatchString(in.Currency) {
		return fault.New(fault.InvalidArgument, "currency %q is not an ISO 4217 code", in.Currency)
	}
	if in.PaymentMethod != "" {
		if err := order.PaymentMethodValidator(in.PaymentMethod); err != nil {
			return fault.New(fault.InvalidArgument, "unknown payment method %q", in.PaymentMethod)
		}
	}
	if (in.ExternalID != "") && in.ChannelID == nil {
		return fault.New(fault.InvalidArgument, "an external id needs the channel it belongs to")
	}
	if in.ChannelID != nil {
		if err := in.ChannelID.Validate("chn"); err != nil {
			return fault.New(fault.InvalidArgument, "channelID: %v", err)
		}
	}
	if in.Customer.ID != nil {
		if err := in.Customer.ID.Validate("cus"); err != nil {
			return fault.New(fault.InvalidArgument, "customerID: %v", err)
		}
	}
	if err := in.validatePickup(); err != nil {
		return err
	}
	if len(in.IdempotencyKey) > 200 || len(in.ExternalID) > 200 {
		return fault.New(fault.InvalidArgument, "idempotency key and external id are at most 200 characters")
	}
	return nil
}

// Place creates an order and reserves stock for every line in one transaction: all lines are
// reserved or nothing is. Placing again with the same idempotency key, or the same (channel,
// external id), returns the first order with replayed = true and changes nothing.
func (s *Service) Place(ctx context.Context, in PlaceInput) (o *ent.Order, replayed bool, err error) {
	if err := in.Validate(); err != nil {
		return nil, false, err
	}
	if err := in.stockOnly(); err != nil {
		return nil, false, err
	}
	caller, known := auth.FromContext(ctx)
	b, err := BuyerOf(caller, known, in.Customer)
	if err != nil {
		return nil, false, err
	}
	in.buyer = &b
	if known && in.IdempotencyKey != "" {
		in.IdempotencyKey = string(caller.KeyID) + ":" + in.IdempotencyKey // keys are per caller
	}
	if o, err := s.existing(ctx, in); o != nil || err != nil {
		return o, o != nil, err
	}
	variants, components, err := s.resolve(ctx, in)
	if err != nil {
		return nil, false, err
	}
	currency := in.Currency
	if currency == "" {
		currency = variants[in.Lines[0].SKU].Currency
	}
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		o, err = s.create(ctx, tx, in, currency, variants, components)
		return err
	})
	if database.IsUniqueViolation(err) {
		// A concurrent request with the same key or external id committed first.
		if o, err := s.existing(ctx, in); o != nil || err != nil {
			return o, o != nil, err
		}
		return nil, false, fault.New(fault.Conflict, "an order with this channel and external id already exists")
	}
	if err != nil {
		return nil, false, err
	}
	s.committed()
	return o.Unwrap(), false, nil
}

// existing finds an order placed earlier with the same idempotency key or channel order id.
func (s *Service) existing(ctx context.Context, in PlaceInput) (*ent.Order, error) {
	q := s.DB.Client.Order.Query()
	switch {
	case in.IdempotencyKey != "":
		q.Where(order.IdempotencyKey(in.IdempotencyKey))
	case in.ExternalID != "":
		q.Where(order.ChannelID(*in.ChannelID), order.ExternalID(in.ExternalID))
	default:
		return nil, nil
	}
	o, err := q.Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up order: %w", err)
	}
	return o, nil
}

// resolve loads the variants of the lines, and the components of those that are bundles.
func (s *Service) resolve(ctx context.Context, in PlaceInput) (map[string]*ent.Variant, map[pulid.ID][]*ent.BundleComponent, error) {
	return s.resolveWith(ctx, s.DB.Client, in)
}

// resolveWith is resolve through c (a transaction's client, for PlaceTx).
func (s *Service) resolveWith(ctx context.Context, c *ent.Client, in PlaceInput) (map[string]*ent.Variant, map[pulid.ID][]*ent.BundleComponent, error) {
	skus := stockSKUs(in.Lines)
	if len(skus) == 0 {
		return map[string]*ent.Variant{}, nil, nil
	}
	r, err := catalog.Resolve(ctx, c, skus)
	if err != nil {
		return nil, nil, err
	}
	if in.Currency != "" {
		for _, l := range in.Lines {
			if v := r.BySKU[l.SKU]; l.stocked() && l.UnitPrice == nil && v.Currency != in.Currency {
				return nil, nil, fault.New(fault.InvalidArgument, "%s is priced in %s, not %s: give a unit price", l.SKU, v.Currency, in.Currency)
			}
		}
	}
	return r.BySKU, r.Components, nil
}

func (s *Service) create(ctx context.Context, tx *ent.Tx, in PlaceInput, currency string,
	variants map[string]*ent.Variant, components map[pulid.ID][]*ent.BundleComponent,
) (*ent.Order, error) {
	b := in.buyer
	if b == nil { // a channel's order: the channel names its buyer
		tb := trustedBuyer(in.Customer)
		b = &tb
	}
	var country string
	if in.ShippingAddress != nil {
		country = in.ShippingAddress.CountryCode
	}
	customerID, err := s.customer(ctx, tx, *b, in.ChannelID, country)
	if err != nil {
		return nil, err
	}
	if in.ChannelID != nil && in.synced == nil {
		ch, err := tx.Channel.Get(ctx, *in.ChannelID)
		if ent.IsNotFound(err) {
			return nil, fault.New(fault.InvalidArgument, "channel %s not found", *in.ChannelID)
		}
		if err != nil {
			return nil, fmt.Errorf("load channel: %w", err)
		}
		if !ch.Active {
			return nil, fault.New(fault.Conflict, "channel %s is disabled", ch.ID)
		}
	}
	if err := pickupAt(ctx, tx, in); err != nil {
		return nil, err
	}
	prices := make([]int64, len(in.Lines))
	for i, l := range in.Lines {
		if l.UnitPrice != nil {
			prices[i] = *l.UnitPrice
		} else {
			prices[i] = variants[l.SKU].PriceAmount
		}
	}
	subtotal, total, err := totals(in, prices)
	if err != nil {
		return nil, err
	}
	if total < 0 {
		return nil, fault.New(fault.InvalidArgument, "discount %d exceeds the order's value", in.DiscountAmount)
	}
	placedAt := now()
	if in.PlacedAt != nil && !in.PlacedAt.IsZero() {
		placedAt = in.PlacedAt.UTC()
	}
	method := in.PaymentMethod
	if method == "" {
		method = order.PaymentMethodPREPAID
	}
	status, payment := order.StatusPENDING_PAYMENT, order.PaymentStatusPENDING
	var balance int64
	switch {
	case in.ExchangeFor != nil:
		if balance = max(total-in.ExchangeCredit, 0); balance == 0 {
			status, payment = order.StatusCONFIRMED, order.PaymentStatusPAID
		}
	case in.Paid:
		status, payment = order.StatusCONFIRMED, order.PaymentStatusPAID
	case method == order.PaymentMethodCOD:
		status = order.StatusCONFIRMED
	}
	create := tx.Order.Create().
		SetNumber(newNumber()).SetNillableChannelID(in.ChannelID).SetNillableCustomerID(customerID).
		SetStatus(status).SetPaymentStatus(payment).SetPaymentMethod(method).SetCurrency(currency).
		SetSubtotalAmount(subtotal).SetShippingAmount(in.ShippingAmount).SetDiscountAmount(in.DiscountAmount).
		SetTaxAmount(in.TaxAmount).SetTotalAmount(total).SetPriority(in.Priority).SetNillableShipBy(in.ShipBy).
		SetNote(in.Note).SetPlacedAt(placedAt).SetContactEmail(b.ContactEmail).
		SetNillableExchangeForReturnID(in.ExchangeFor).SetBalanceDueAmount(balance)
	if in.ShippingAddress != nil {
		create.SetShippingAddress(*in.ShippingAddress)
	}
	if err := s.unpaidExpiry(ctx, tx, create, in.ChannelID, status, method, placedAt); err != nil {
		return nil, err
	}
	if in.DeliveryMethod == order.DeliveryMethodPICKUP {
		create.SetDeliveryMethod(order.DeliveryMethodPICKUP).SetPickupLocationID(*in.PickupLocationID)
	}
	if in.ExternalID != "" {
		create.SetExternalID(in.ExternalID)
	}
	if in.IdempotencyKey != "" {
		create.SetIdempotencyKey(in.IdempotencyKey)
	}
	if st := in.synced; st != nil {
		create.SetChannelStatus(st.Raw).SetChannelUpdatedAt(st.UpdatedAt)
		if len(st.Refs) > 0 {
			create.SetChannelRefs(st.Refs)
		}
	}
	if v, ok := auth.FromContext(ctx); ok {
		create.SetPlacedBy(string(v.KeyID))
	}
	o, err := create.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create order: %w", err)
	}
	lines := make([]*ent.OrderLineCreate, len(in.Lines))
	for i, l := range in.Lines {
		lines[i] = tx.OrderLine.Create().SetOrderID(o.ID).SetSku(l.SKU).
			SetQuantity(l.Quantity).SetUnitPriceAmount(prices[i]).SetNillableReleaseAt(l.ReleaseAt).
			SetExternalLineID(l.ChannelLineID).SetListingID(l.ListingID).SetName(l.Name)
		if l.stocked() {
			lines[i].SetVariantID(variants[l.SKU].ID)
		} else {
			lines[i].SetKind(l.Kind)
		}
		if len(l.UnitIDs) > 0 {
			lines[i].SetExternalUnitIds(l.UnitIDs)
		}
	}
	created, err := tx.OrderLine.CreateBulk(lines...).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create order lines: %w", err)
	}
	err = events.Append(ctx, tx, orderEvent(ctx, o, events.OrderPlaced{
		Status: string(o.Status), Number: o.Number, Total: o.TotalAmount, Currency: o.Currency, Lines: len(created),
	}))
	if err != nil {
		return nil, err
	}
	stock := created[:0:0]
	for i, l := range created {
		if in.Lines[i].stocked() {
			l.Edges.Variant = variants[in.Lines[i].SKU]
			stock = append(stock, l)
		}
	}
	if err := s.unmappedAlert(ctx, tx, o, in.Lines); err != nil {
		return nil, err
	}
	if err := s.convertHold(ctx, tx, in, o.ID); err != nil {
		return nil, err
	}
	routed, err := s.Router.RoutePlaced(ctx, tx, o, dispatch.Placement{Lines: stock, Components: components}, s.now())
	if err != nil {
		return nil, err
	}
	if !routed.FullyPlaced() && len(routed.Short) > 0 && !in.AllowBackorder {
		return nil, routed.Refusal()
	}
	if err := s.keepPromise(ctx, tx, o, routed); err != nil {
		return nil, err
	}
	if err := s.settle(ctx, tx, o, routed); err != nil {
		return nil, err
	}
	if in.HoldReason == "" || o.Status == order.StatusON_HOLD {
		return o, nil
	}
	t, err := Next(o.Status, nil, o.PaymentStatus, o.PaymentMethod, Hold, in.HoldReason)
	if err != nil {
		return nil, err
	}
	return o, s.move(ctx, tx, o, t, in.HoldReason, events.StatusChanged{Command: string(Hold), Reason: in.HoldReason})
}

// PlaceTx places an order inside the caller's transaction (an exchange's replacement order, made
// in its return's transaction): validated and reserved like Place, for the customer in.Customer
// names (the caller is trusted), without idempotency keys. The caller wakes the hub after commit.
func (s *Service) PlaceTx(ctx context.Context, tx *ent.Tx, in PlaceInput) (*ent.Order, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := in.stockOnly(); err != nil {
		return nil, err
	}
	in.IdempotencyKey, in.buyer = "", nil
	variants, components, err := s.resolveWith(ctx, tx.Client(), in)
	if err != nil {
		return nil, err
	}
	currency := in.Currency
	if currency == "" {
		currency = variants[in.Lines[0].SKU].Currency
	}
	o, err := s.create(ctx, tx, in, currency, variants, components)
	if err != nil {
		return nil, err
	}
	return o.Unwrap(), nil
}

// validatePickup checks the delivery method and the pickup location without the database: a
// pickup order names the location it is collected at, and only a pickup order names one.
func (in PlaceInput) validatePickup() error {
	switch in.DeliveryMethod {
	case "", order.DeliveryMethodSHIP:
		if in.PickupLocationID != nil {
			return fault.New(fault.InvalidArgument, "pickupLocationID goes with deliveryMethod PICKUP")
		}
		return nil
	case order.DeliveryMethodPICKUP:
		if in.PickupLocationID == nil {
			return fault.New(fault.InvalidArgument, "a PICKUP order needs the pickupLocationID it is collected at")
		}
		if err := in.PickupLocationID.Validate("loc"); err != nil {
			return fault.New(fault.InvalidArgument, "pickupLocationID: %v", err)
		}
		return nil
	}
	return fault.New(fault.InvalidArgument, "unknown delivery method %q", in.DeliveryMethod)
}

// pickupAt checks, in the order's transaction, that a pickup order's location exists, is active
// and offers pickup.
func pickupAt(ctx context.Context, tx *ent.Tx, in PlaceInput) error {
	if in.DeliveryMethod != order.DeliveryMethodPICKUP {
		return nil
	}
	l, err := tx.Location.Get(ctx, *in.PickupLocationID)
	if ent.IsNotFound(err) {
		return fault.New(fault.InvalidArgument, "pickup location %s not found", *in.PickupLocationID)
	}
	if err != nil {
		return fmt.Errorf("load pickup location: %w", err)
	}
	if !l.Active || !l.OffersPickup {
		return fault.New(fault.InvalidArgument, "location %s does not offer pickup", l.Code).With("locationID", string(l.ID))
	}
	return nil
}

// keepPromise records when the order ships and arrives, as routing planned it at placement.
func (s *Service) keepPromise(ctx context.Context, tx *ent.Tx, o *ent.Order, r dispatch.Routed) error {
	k, ok := dispatch.PromiseOf(r, o.ShippingAddress, s.now())
	if !ok {
		return nil
	}
	o.PromisedShipBy, o.PromisedDeliveryFrom, o.PromisedDeliveryTo = &k.ShipBy, &k.DeliverFrom, &k.DeliverTo
	return tx.Order.UpdateOne(o).SetPromisedShipBy(k.ShipBy).SetPromisedDeliveryFrom(k.DeliverFrom).SetPromisedDeliveryTo(k.DeliverTo).Exec(ctx)
}

// Buyer is how an order's customer is found, as BuyerOf decides it from who is calling.
type Buyer struct {
	// ID is an existing customer the order belongs to.
	ID *pulid.ID
	// Find, when ID is nil and Guest is false, is a customer to find by email or create (with its
	// name and phone); empty, the order has no customer.
	Find Customer
	// Guest means the order belongs to no customer, whatever Find would match.
	Guest bool
	// ContactEmail is the email given with the order (normalized), kept on the order.
	ContactEmail string
}

// BuyerOf decides whose order it is, from the caller (known is false for work without a caller)
// and the customer the input names. A storefront key never reaches a customer it is not bound to:
// a key bound to a customer orders for that customer only, and an unbound key places guest orders,
// which attach to no customer, so naming an existing customer's email neither reveals nor changes
// that customer. Staff, channels and Ordo's own work find a customer by id, or by email (creating
// one when the email is new).
func BuyerOf(caller auth.Viewer, known bool, c Customer) (Buyer, error) {
	if !known || caller.Role != auth.Storefront {
		return trustedBuyer(c), nil
	}
	email := normalEmail(c.Email)
	if bound := caller.CustomerID; bound != nil {
		if c.ID != nil && *c.ID != *bound {
			return Buyer{}, fault.New(fault.Forbidden, "this storefront key orders for customer %s only", *bound)
		}
		return Buyer{ID: bound, ContactEmail: email}, nil
	}
	if c.ID != nil {
		return Buyer{}, fault.New(fault.Forbidden, "a storefront key bound to no customer places guest orders: it cannot name a customer")
	}
	return Buyer{Guest: true, ContactEmail: email}, nil
}

// trustedBuyer is the buyer a trusted caller names: a customer by id, or found by email.
func trustedBuyer(c Customer) Buyer {
	c.Email = normalEmail(c.Email)
	if c.ID != nil {
		return Buyer{ID: c.ID, ContactEmail: c.Email}
	}
	return Buyer{Find: c, ContactEmail: c.Email}
}

func normalEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// customer finds the buyer's customer inside the order's transaction: the customer named by id
// (a staff order for a merged customer goes to its survivor; a storefront key's own customer stays
// its own, so that the key reads the order it placed), or the one the buyer's identities resolve to
// (customers.Resolve), made when new. The email a trusted caller gives is verified: staff enter it,
// and a channel's is the buyer's own unless masked (Resolve drops masked ones). A guest order has
// no customer.
func (s *Service) customer(ctx context.Context, tx *ent.Tx, b Buyer, channelID *pulid.ID, country string) (*pulid.ID, error) {
	if b.Guest {
		return nil, nil
	}
	if b.ID != nil {
		ok, err := tx.Customer.Query().Where(customer.ID(*b.ID)).Exist(ctx)
		if err != nil {
			return nil, fmt.Errorf("look up customer: %w", err)
		}
		if !ok {
			return nil, fault.New(fault.InvalidArgument, "customer %s not found", *b.ID)
		}
		if v, known := auth.FromContext(ctx); known && v.Role == auth.Storefront {
			return b.ID, nil
		}
		id, err := customers.Survivor(ctx, tx.Client(), *b.ID)
		if err != nil {
			return nil, err
		}
		return &id, nil
	}
	c := b.Find
	return customers.Resolve(ctx, tx, customers.Buyer{
		ChannelID: channelID, BuyerID: c.BuyerID, Email: c.Email, EmailVerified: true,
		Phone: c.Phone, Country: country, Name: c.Name,
	})
}

// totals computes an order's subtotal (Σ unit price × quantity) and total (subtotal + shipping +
// tax − discount, or the channel's stated total), with checked arithmetic: an amount beyond what
// an int64 holds is INVALID_ARGUMENT, never a wrapped-around number stored as the order's value.
func totals(in PlaceInput, prices []int64) (subtotal, total int64, err error) {
	for i, l := range in.Lines {
		line, err := money.Mul(prices[i], l.Quantity)
		if err != nil {
			return 0, 0, fault.New(fault.InvalidArgument, "line %d (%s): unit price %d × quantity %d overflows the largest amount (%d)",
				i+1, l.SKU, prices[i], l.Quantity, int64(money.Max))
		}
		if subtotal, err = money.Add(subtotal, line); err != nil {
			return 0, 0, fault.New(fault.InvalidArgument, "the order's subtotal overflows the largest amount (%d)", int64(money.Max))
		}
	}
	total, err = money.Sum(subtotal, in.ShippingAmount, in.TaxAmount)
	if err == nil {
		total, err = money.Sub(total, in.DiscountAmount)
	}
	if err != nil {
		return 0, 0, fault.New(fault.InvalidArgument, "the order's total overflows the largest amount (%d)", int64(money.Max))
	}
	if in.Total != nil {
		total = *in.Total
	}
	return subtotal, total, nil
}
