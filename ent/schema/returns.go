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

// ReturnStatuses is a return's lifecycle (package returns' transition table): requested, approved or
// declined, carried back, received (per line, in parts), inspected, completed once refunds and
// exchanges are settled, closed; cancelled on the way, reopened after closing.
var ReturnStatuses = []string{
	"REQUESTED", "APPROVED", "DECLINED", "IN_TRANSIT", "RECEIVED", "INSPECTED", "COMPLETED", "CLOSED", "CANCELLED",
}

// OrderReturn (Return in GraphQL; return is a Go keyword) is a request to give back (part of) an order, or a claim about it (missing, wrong or damaged
// items) that needs no physical return. Channels' returns (Shopee return_sn, Lazada reverse order,
// TikTok Shop return_id, Shopify Return) converge into one by (channel, external id).
type OrderReturn struct{ ent.Schema }

func (OrderReturn) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("ret"), timestamps{}}
}

func (OrderReturn) Fields() []ent.Field {
	return []ent.Field{
		field.String("order_id").GoType(pulid.ID("")).Immutable(),
		field.String("number").NotEmpty().Immutable().Comment("human-facing, e.g. RMA-7KX2M9QD-1"),
		field.String("channel_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().Annotations(readOnly),
		field.String("external_id").Optional().Nillable().Immutable().Annotations(readOnly).
			Comment("the channel's id of the return: Shopee return_sn, Lazada reverse_order_id, TikTok Shop return_id, Shopify Return gid"),
		field.Enum("kind").Values("RETURN", "CLAIM").Default("RETURN").Immutable().
			Comment("a return sends goods back; a claim (missing, wrong, damaged) is settled without them"),
		field.Enum("origin").Values("AGENT", "CUSTOMER", "CHANNEL", "CARRIER").Immutable().
			Comment("who started it; CARRIER: a parcel returned to the sender (a refused COD)"),
		field.Enum("resolution").Values("REFUND", "EXCHANGE", "STORE_CREDIT", "REPLACE").Default("REFUND").
			Comment("how the customer is made whole"),
		field.Enum("status").Values(ReturnStatuses...).Default("REQUESTED").Annotations(entgql.OrderField("STATUS")),
		field.String("reason_code").Optional().Comment("a code of the reason catalogue (ReturnReason)"),
		field.String("note").Optional(),
		field.String("decline_reason").Optional(),
		field.String("location_id").GoType(pulid.ID("")).Optional().Nillable().Annotations(readOnly).
			Comment("where the goods are expected back; receipts may happen at any location"),
		field.String("shipment_id").GoType(pulid.ID("")).Optional().Nillable().Annotations(readOnly).
			Comment("the return shipment Ordo manages (label, tracking)"),
		field.String("exchange_order_id").GoType(pulid.ID("")).Optional().Nillable().Annotations(readOnly).
			Comment("the replacement order of an exchange or a replacing claim"),
		field.String("channel_status").Optional().Annotations(readOnly).Comment("the raw status the channel last reported"),
		field.Time("channel_updated_at").Optional().Nillable().Annotations(readOnly),
		field.Time("channel_deadline").Optional().Nillable().Annotations(readOnly).
			Comment("when the channel decides by itself if the seller has not (auto-accept)"),
		field.Enum("deadline_alert").Values("NONE", "WARNED", "MISSED").Default("NONE").Annotations(entgql.Skip()),
		field.Int64("channel_refund_amount").Optional().Nillable().Annotations(readOnly).
			Comment("what the buyer asked the channel for, minor units"),
		field.JSON("channel_refs", map[string]string{}).Optional().Annotations(entgql.Skip()).
			Comment("the channel's other keys for the seller's actions"),
		field.Enum("seller_decision").Values("NONE", "APPROVE", "REFUSE", "OFFER").Default("NONE").Annotations(readOnly).
			Comment("the seller's decision on a marketplace return, sent back through the channel"),
		field.Int64("offer_amount").Optional().Nillable().Annotations(readOnly).Comment("a partial refund offered, minor units"),
		field.Strings("evidence").Optional().Annotations(readOnly).Comment("links to photos or videos backing a refusal"),
		field.Enum("decision_sync").Values("NONE", "PENDING", "SENT", "FAILED").Default("NONE").Annotations(readOnly).
			Comment("whether the channel has heard the seller's decision"),
		field.String("decision_error").Optional().Annotations(readOnly),
		field.String("created_by").Optional().Immutable().Annotations(entgql.Skip()).Comment("the key or user that started it"),
		field.Time("requested_at").Default(now).Immutable().Annotations(entgql.OrderField("REQUESTED_AT")),
		field.Time("approved_at").Optional().Nillable().Annotations(readOnly),
		field.Time("received_at").Optional().Nillable().Annotations(readOnly),
		field.Time("inspected_at").Optional().Nillable().Annotations(readOnly),
		field.Time("completed_at").Optional().Nillable().Annotations(readOnly),
		field.Time("closed_at").Optional().Nillable().Annotations(readOnly),
		field.Time("cancelled_at").Optional().Nillable().Annotations(readOnly),
		field.Int("version").Default(1).Annotations(readOnly).Comment("counts the return's changes"),
	}
}

func (OrderReturn) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("order", Order.Type).Ref("returns").Field("order_id").Unique().Required().Immutable(),
		edge.To("lines", ReturnLine.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("refunds", Refund.Type).Annotations(readOnly),
		edge.To("location", Location.Type).Field("location_id").Unique().Annotations(readOnly),
		edge.To("shipment", Shipment.Type).Field("shipment_id").Unique().Annotations(readOnly),
		edge.To("exchange_order", Order.Type).Field("exchange_order_id").Unique().Annotations(readOnly),
	}
}

func (OrderReturn) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("channel_id", "external_id").Unique(),
		index.Fields("order_id"),
		index.Fields("status", "channel_deadline"),
	}
}

func (OrderReturn) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.Annotation{Table: "returns"}, entgql.Type("Return"), entgql.RelayConnection(), entgql.Skip(entgql.SkipWhereInput)}
}

// ReturnLine is a quantity of one order line asked back, and how much of it arrived.
type ReturnLine struct{ ent.Schema }

func (ReturnLine) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("rtl"), timestamps{}} }

func (ReturnLine) Fields() []ent.Field {
	return []ent.Field{
		field.String("return_id").GoType(pulid.ID("")).Immutable(),
		field.String("order_line_id").GoType(pulid.ID("")).Immutable(),
		field.String("variant_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().Annotations(readOnly),
		field.String("sku").Immutable(),
		field.Int64("quantity").Positive().Comment("units asked back"),
		field.Int64("received_quantity").Default(0).NonNegative().Annotations(readOnly),
		field.Int64("dispositioned_quantity").Default(0).NonNegative().Annotations(readOnly),
		field.String("reason_code").Optional(),
		field.String("note").Optional(),
		field.Int64("refund_amount").Default(0).Annotations(entgql.Skip()).Comment("what its units are worth back, minor units"),
		field.Strings("external_ids").Optional().Annotations(readOnly).Comment("the channel's ids of the returned lines or units"),
	}
}

func (ReturnLine) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("return", OrderReturn.Type).Ref("lines").Field("return_id").Unique().Required().Immutable(),
		edge.To("order_line", OrderLine.Type).Field("order_line_id").Unique().Required().Immutable(),
		edge.To("dispositions", Disposition.Type).Annotations(readOnly),
	}
}

// Disposition decides what became of some received units of a return line: back on sale, damaged,
// quarantined for inspection, missing, or written off. Each moves stock through the ledger (or, for
// missing and written-off units, records that none moved). A quarantined or damaged disposition can be
// re-dispositioned later: the new one names it in from.
type Disposition struct{ ent.Schema }

func (Disposition) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("dsp")} }

func (Disposition) Fields() []ent.Field {
	return []ent.Field{
		field.String("return_id").GoType(pulid.ID("")).Immutable(),
		field.String("return_line_id").GoType(pulid.ID("")).Immutable(),
		field.Enum("kind").Values("SELLABLE", "DAMAGED", "QUARANTINE", "MISSING", "WRITE_OFF").Immutable(),
		field.Int64("quantity").Positive().Immutable(),
		field.Int64("open_quantity").Default(0).NonNegative().Annotations(readOnly).
			Comment("units of a DAMAGED or QUARANTINE disposition not yet re-dispositioned"),
		field.String("location_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().
			Comment("where the units are; none for MISSING"),
		field.String("from_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().
			Comment("the quarantined or damaged disposition this one re-dispositions"),
		field.String("note").Optional().Immutable(),
		field.String("actor").Optional().Immutable().Annotations(entgql.Skip()),
		field.Time("created_at").Default(now).Immutable(),
	}
}

func (Disposition) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("return_line", ReturnLine.Type).Ref("dispositions").Field("return_line_id").Unique().Required().Immutable(),
		edge.To("location", Location.Type).Field("location_id").Unique().Immutable(),
	}
}

func (Disposition) Indexes() []ent.Index { return []ent.Index{index.Fields("return_id")} }

func (Disposition) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput)}
}

// Refund is money granted back to a buyer: per line, shipping, less a restocking fee. Storefront
// refunds are executed by a payment integration listening to the event; marketplace refunds are paid
// by the marketplace and mirrored here (CHANNEL_ISSUED).
type Refund struct{ ent.Schema }

func (Refund) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("rfd"), timestamps{}} }

func (Refund) Fields() []ent.Field {
	return []ent.Field{
		field.String("order_id").GoType(pulid.ID("")).Immutable(),
		field.String("return_id").GoType(pulid.ID("")).Optional().Nillable().Immutable(),
		field.String("currency").Match(currency).Immutable(),
		field.Int64("amount").NonNegative().Immutable().Annotations(entgql.Skip()).Comment("the total, minor units"),
		field.Int64("shipping_amount").Default(0).NonNegative().Immutable().Annotations(entgql.Skip()),
		field.Int64("restocking_fee").Default(0).NonNegative().Immutable().Annotations(entgql.Skip()),
		field.JSON("lines", []RefundLine{}).Optional().Immutable().Annotations(entgql.Skip()),
		field.String("reason").Optional().Immutable(),
		field.Enum("status").Values("PENDING", "SUCCEEDED", "FAILED", "CHANNEL_ISSUED").Default("PENDING"),
		field.String("external_id").Optional().Nillable().Annotations(readOnly).Comment("the payment's or channel's refund id"),
		field.String("failure_reason").Optional().Annotations(readOnly),
		field.String("idempotency_key").Optional().Nillable().Immutable().Unique().Annotations(entgql.Skip()),
		field.String("created_by").Optional().Immutable().Annotations(entgql.Skip()),
	}
}

func (Refund) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("order", Order.Type).Ref("refunds").Field("order_id").Unique().Required().Immutable(),
		edge.From("return", OrderReturn.Type).Ref("refunds").Field("return_id").Unique().Immutable(),
	}
}

func (Refund) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput)}
}

func (ReturnLine) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput)}
}

// RefundLine is what a refund gives back for some units of one order line.
type RefundLine struct {
	OrderLineID string `json:"orderLineID"`
	Quantity    int64  `json:"quantity"`
	Amount      int64  `json:"amount"`
}

// ReturnReason is one entry of the reason catalogue, nested under a parent, with the codes each
// channel uses for it (mapped both ways: a channel's reason to Ordo's, Ordo's to what the channel
// takes).
type ReturnReason struct{ ent.Schema }

func (ReturnReason) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("rrs"), timestamps{}}
}

func (ReturnReason) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").NotEmpty().Unique().Immutable(),
		field.String("label").NotEmpty(),
		field.String("description").Optional(),
		field.String("parent_code").Optional(),
		field.Enum("default_disposition").Values("SELLABLE", "DAMAGED", "QUARANTINE").Default("QUARANTINE").
			Comment("what receiving suggests for its units (a defect: DAMAGED)"),
		field.JSON("channel_codes", map[string][]string{}).Optional().Annotations(entgql.Skip()).
			Comment("per channel kind, the channel's reason codes that mean this one"),
		field.Bool("active").Default(true),
	}
}

func (ReturnReason) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.Skip(entgql.SkipWhereInput)}
}
