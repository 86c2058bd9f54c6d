package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// OrderStatuses is the normalized order lifecycle of design §4.
var OrderStatuses = []string{
	"PENDING_PAYMENT", "CONFIRMED", "ALLOCATED", "PICKING", "PACKED", "READY_TO_SHIP", "SHIPPED", "DELIVERED", "COMPLETED",
	"ON_HOLD", "BACKORDERED", "CANCEL_REQUESTED", "CANCELLED", "RETURN_REQUESTED", "RETURNED", "REFUNDED", "EXCEPTION", "UNKNOWN",
}

// Customer is a buyer, across channels.
type Customer struct{ ent.Schema }

func (Customer) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("cus"), timestamps{}} }

func (Customer) Fields() []ent.Field {
	return []ent.Field{
		field.String("email").Optional().Unique().Nillable().Annotations(entgql.OrderField("EMAIL")),
		field.String("name").Optional(),
		field.String("phone").Optional(),
		field.String("locale").Optional().Annotations(readOnly, entgql.Skip(entgql.SkipWhereInput)).
			Comment("the language messages are written in: en, th, vi, id or ms; empty: from the order's country"),
		field.String("time_zone").Optional().Annotations(readOnly, entgql.Skip(entgql.SkipWhereInput)).
			Comment("an IANA zone dates are shown in; empty: from the order's country"),
		field.String("merged_into_id").GoType(pulid.ID("")).Optional().Nillable().Annotations(entgql.Skip()).
			Comment("set when an agent merged this customer into another; its orders and identities moved there"),
		field.Bool("notifications_opt_out").Default(false).Annotations(readOnly, entgql.Skip(entgql.SkipWhereInput)).
			Comment("sent no notifications at all"),
		field.Strings("muted_notifications").Optional().Annotations(readOnly, entgql.Skip(entgql.SkipWhereInput)).
			Comment("notification kinds the customer does not want"),
	}
}

func (Customer) Edges() []ent.Edge {
	return []ent.Edge{edge.To("orders", Order.Type).Annotations(entgql.RelayConnection(), readOnly)}
}

// Indexes: support finds a customer by phone (email is unique, so indexed already).
func (Customer) Indexes() []ent.Index {
	return []ent.Index{index.Fields("phone")}
}

func (Customer) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}

// Order is a customer's order from one channel. It is unique per (channel, external id) and per
// idempotency key. Its status only changes through the order package's transition table.
type Order struct{ ent.Schema }

func (Order) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("ord"), timestamps{}} }

func (Order) Fields() []ent.Field {
	return []ent.Field{
		field.String("number").NotEmpty().Immutable().Annotations(entgql.OrderField("NUMBER")).Comment("human-facing order number"),
		field.String("channel_id").GoType(pulid.ID("")).Optional().Nillable().Immutable(),
		field.String("external_id").Optional().Nillable().Immutable().Comment("the channel's order id, always a string"),
		field.String("idempotency_key").Optional().Nillable().Immutable().Unique().Annotations(entgql.Skip()),
		field.String("placed_by").Optional().Immutable().Annotations(entgql.Skip()).Comment("api key that placed it"),
		field.String("customer_id").GoType(pulid.ID("")).Optional().Nillable().
			Comment("changes only when an agent merges or unmerges customers"),
		field.String("contact_email").Optional().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("the email given with the order; a storefront's guest order has no other link to its buyer"),
		field.Enum("status").Values(OrderStatuses...).Annotations(entgql.OrderField("STATUS")),
		field.Enum("status_before_hold").Values(OrderStatuses...).Optional().Nillable().Annotations(entgql.Skip()).
			Comment("where ON_HOLD and CANCEL_REQUESTED return to when released"),
		field.String("channel_status").Optional().Comment("the raw status the channel last reported"),
		field.Time("channel_updated_at").Optional().Nillable().Annotations(readOnly).
			Comment("the channel's update time of the last snapshot applied; older ones are ignored"),
		field.JSON("channel_refs", map[string]string{}).Optional().Annotations(entgql.Skip()).
			Comment("the channel's references needed to confirm shipments and cancellations"),
		field.Bool("channel_hold").Default(false).Annotations(entgql.Skip()).Comment("ON_HOLD because the channel holds it"),
		field.Enum("payment_status").Values("PENDING", "AUTHORIZED", "PAID", "PARTIALLY_REFUNDED", "REFUNDED", "VOIDED").Default("PENDING"),
		field.Enum("fulfillment_status").Values("UNFULFILLED", "PARTIALLY_FULFILLED", "FULFILLED", "DELIVERED").Default("UNFULFILLED").
			Comment("derived from the shipments: partially shipped, all shipped, all delivered"),
		field.Enum("delivery_method").Values("SHIP", "PICKUP").Default("SHIP").Immutable().Comment("shipped to the address, or collected at a store"),
		field.String("pickup_location_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)).Comment("the store a PICKUP order is collected at"),
		field.Enum("payment_method").Values("PREPAID", "COD", "BANK_TRANSFER", "WALLET", "CARD", "CASH").Default("PREPAID"),
		field.String("currency").Match(currency).Immutable(),
		field.Int64("subtotal_amount").Annotations(entgql.Skip()),
		field.Int64("shipping_amount").Default(0).Annotations(entgql.Skip()),
		field.Int64("discount_amount").Default(0).Annotations(entgql.Skip()),
		field.Int64("tax_amount").Default(0).Annotations(entgql.Skip()),
		field.Int64("total_amount").Annotations(entgql.Skip(), entgql.OrderField("TOTAL")),
		field.JSON("shipping_address", Address{}).Optional(),
		field.Time("ship_by").Optional().Nillable().Annotations(entgql.OrderField("SHIP_BY")).Comment("the marketplace's ship-by deadline"),
		field.Int("priority").Default(0).Annotations(entgql.OrderField("PRIORITY")).Comment("higher is more urgent"),
		field.String("cancel_reason").Optional(),
		field.String("note").Optional(),
		field.Int64("refunded_amount").Default(0).NonNegative().Annotations(entgql.Skip()).Comment("refunds granted so far, minor units"),
		field.Int64("balance_due_amount").Default(0).Annotations(entgql.Skip()).Comment("what the customer still owes (an exchange for something dearer), minor units"),
		field.String("exchange_for_return_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().Annotations(readOnly, entgql.Skip(entgql.SkipWhereInput)).
			Comment("the return or claim this order replaces goods for"),
		field.Enum("return_status").Values("NONE", "REQUESTED", "PARTIALLY_RETURNED", "RETURNED").Default("NONE").Annotations(readOnly).
			Comment("what its returns add up to"),
		field.String("shipping_method").Optional().Comment("the service the customer chose: STANDARD, EXPRESS, SAME_DAY…"),
		field.Time("expires_at").Optional().Nillable().Annotations(readOnly).Comment("an unpaid order is cancelled at this time, its stock released"),
		field.Int("version").Default(1).Annotations(readOnly).Comment("counts edits of its lines, address and method"),
		field.Time("placed_at").Default(now).Immutable().Annotations(entgql.OrderField("PLACED_AT")),
		field.Strings("rejected_locations").Optional().Annotations(entgql.Skip()).Comment("locations that could not fulfil it; routing avoids them"),
		field.Time("promised_ship_by").Optional().Nillable().Annotations(readOnly).Comment("the promise given when it was placed, kept"),
		field.Time("promised_delivery_from").Optional().Nillable().Annotations(readOnly),
		field.Time("promised_delivery_to").Optional().Nillable().Annotations(readOnly),
		field.Time("repromised_delivery_to").Optional().Nillable().Annotations(readOnly).Comment("the latest promise after a delay, beside the original"),
		field.Strings("data_issues").Optional().Annotations(entgql.Skip()).
			Comment("what its lines lack for fulfilment (SKU: missing weight…); set when routed or packed, cleared when the data is fixed"),
	}
}

func (Order) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("channel", Channel.Type).Ref("orders").Field("channel_id").Unique().Immutable(),
		edge.From("customer", Customer.Type).Ref("orders").Field("customer_id").Unique(),
		edge.To("lines", OrderLine.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("allocations", Allocation.Type),
		edge.To("shipments", Shipment.Type).Annotations(readOnly),
		edge.To("routing_decisions", RoutingDecision.Type).Annotations(readOnly),
		edge.To("returns", OrderReturn.Type).Annotations(readOnly),
		edge.To("refunds", Refund.Type).Annotations(readOnly),
		edge.To("notifications", Notification.Type).Annotations(readOnly),
	}
}

func (Order) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("channel_id", "external_id").Unique(),
		index.Fields("status"),
		index.Fields("customer_id"),
		// the console's order board: newest first, by status or channel, and found by number
		index.Fields("placed_at"),
		index.Fields("status", "placed_at"),
		index.Fields("channel_id", "placed_at"),
		index.Fields("number"),
	}
}

func (Order) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField(), entgql.MultiOrder()}
}

// OrderLine is a quantity of one SKU on an order, with its price at the time of sale. A channel
// order may also carry lines that sell nothing from Ordo's stock (kind NON_STOCK: a tip, a service,
// a custom amount keyed in at a till) or whose listing Ordo does not know (UNMAPPED): they have no
// variant, are priced and counted in the order's totals, and are never reserved, routed, packed or
// pushed.
type OrderLine struct{ ent.Schema }

func (OrderLine) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("lin")} }

func (OrderLine) Fields() []ent.Field {
	return []ent.Field{
		field.String("order_id").GoType(pulid.ID("")).Immutable(),
		field.String("variant_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().Comment("null on lines of kind NON_STOCK and UNMAPPED"),
		field.String("sku").Immutable(),
		field.Enum("kind").Values("STOCK", "NON_STOCK", "UNMAPPED").Default("STOCK").Immutable().
			Comment("STOCK lines take stock; NON_STOCK lines (tips, services, custom amounts) and UNMAPPED ones (a listing Ordo does not know) do not"),
		field.String("name").Optional().Immutable().Comment("the channel's name of what was sold"),
		field.Int64("quantity").Positive().Comment("units ordered; an edit before picking may change it"),
		field.Int64("cancelled_quantity").Default(0).NonNegative().Annotations(readOnly).Comment("units cancelled (by Ordo, the channel or an edit); the line wants quantity − cancelled"),
		field.Int64("unit_price_amount").NonNegative().Immutable().Annotations(entgql.Skip()),
		field.Strings("external_unit_ids").Optional().Comment("per-unit line ids of channels that send one line per unit"),
		field.String("external_line_id").Optional().Immutable().Comment("the channel's id of the line"),
		field.String("listing_id").Optional().Immutable().Comment("the channel's id of the listing sold"),
		field.Time("release_at").Optional().Nillable().Immutable().Comment("a pre-order line ships from this time on"),
	}
}

func (OrderLine) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("order", Order.Type).Ref("lines").Field("order_id").Unique().Required().Immutable(),
		edge.To("variant", Variant.Type).Field("variant_id").Unique().Immutable(),
		edge.To("allocations", Allocation.Type),
	}
}

// Allocation reserves a quantity of an order line's SKU at a location. While OPEN it counts in the
// location's reserved stock; SHIPPED turns it into a shipment movement; RELEASED gives the stock back.
type Allocation struct{ ent.Schema }

func (Allocation) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("alc"), timestamps{}} }

func (Allocation) Fields() []ent.Field {
	return []ent.Field{
		field.String("line_id").GoType(pulid.ID("")).Immutable(),
		field.String("order_id").GoType(pulid.ID("")).Immutable(),
		field.String("variant_id").GoType(pulid.ID("")).Immutable(),
		field.String("location_id").GoType(pulid.ID("")).Immutable(),
		field.Int64("quantity").Positive().Comment("lowered only when a shipment split takes part of it into a new allocation"),
		field.Enum("status").Values("OPEN", "SHIPPED", "RELEASED").Default("OPEN"),
		field.String("shipment_id").GoType(pulid.ID("")).Optional().Nillable().Annotations(entgql.Skip(entgql.SkipWhereInput)).Comment("the shipment that carries it, once planned"),
	}
}

func (Allocation) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("line", OrderLine.Type).Ref("allocations").Field("line_id").Unique().Required().Immutable(),
		edge.From("order", Order.Type).Ref("allocations").Field("order_id").Unique().Required().Immutable(),
		edge.To("variant", Variant.Type).Field("variant_id").Unique().Required().Immutable(),
		edge.To("location", Location.Type).Field("location_id").Unique().Required().Immutable(),
	}
}

func (Allocation) Indexes() []ent.Index {
	return []ent.Index{index.Fields("order_id"), index.Fields("variant_id", "location_id", "status"), index.Fields("status", "location_id")}
}
