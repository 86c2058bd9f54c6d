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

// ShipmentStatuses is a shipment's lifecycle (package fulfilment's transition table): picked,
// packed and made ready at its origin, then carried to the doorstep, or collected at a store.
var ShipmentStatuses = []string{
	"OPEN", "PICKING", "PACKED", "READY", "SHIPPED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED",
	"ATTEMPT_FAILED", "EXCEPTION", "RETURNED_TO_SENDER", "READY_FOR_PICKUP", "COLLECTED", "CANCELLED",
}

// Shipment is the unit of fulfilment: what leaves one origin location together, in one or more
// packages, with one carrier. It is made from the order's open allocations at that location.
type Shipment struct{ ent.Schema }

func (Shipment) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("shp"), timestamps{}} }

func (Shipment) Fields() []ent.Field {
	return []ent.Field{
		field.String("order_id").GoType(pulid.ID("")).Immutable(),
		field.String("location_id").GoType(pulid.ID("")).Immutable().Comment("the origin"),
		field.String("number").NotEmpty().Immutable().Comment("human-facing, e.g. SO-7KX2M9QD-2"),
		field.Enum("direction").Values("OUTBOUND", "RETURN").Default("OUTBOUND").Immutable().
			Comment("RETURN: the goods of a return coming back to location_id, tracked like any shipment"),
		field.String("return_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().Annotations(readOnly, entgql.Skip(entgql.SkipWhereInput)),
		field.Enum("status").Values(ShipmentStatuses...).Default("OPEN").Annotations(entgql.OrderField("STATUS")),
		field.Enum("method").Values("CARRIER", "MARKETPLACE", "MANUAL", "PICKUP", "SUPPLIER").Default("MANUAL").
			Comment("who carries it: a carrier Ordo buys labels from, the marketplace's logistics, a tracking number given by hand, the customer at a store, a drop-ship supplier"),
		field.String("carrier").Optional(),
		field.String("service").Optional(),
		field.String("carrier_account_id").GoType(pulid.ID("")).Optional().Nillable().Annotations(readOnly),
		field.String("carrier_ref").Optional().Annotations(entgql.Skip()).Comment("the carrier's or marketplace's id of the shipment"),
		field.Strings("tracking_numbers").Optional(),
		field.Time("arranged_at").Optional().Nillable().Annotations(entgql.Skip()).
			Comment("when the marketplace arranged its logistics (booked its carrier, gave the tracking numbers)"),
		field.Bool("confirm_on_handover").Default(false).Annotations(entgql.Skip()).
			Comment("an arranged shipment the marketplace wants to hear of again when it is handed over (Lazada's ready to ship); else arranging was the confirmation"),
		field.String("tracking_url").Optional(),
		field.Enum("tracking_tag").Values("Pending", "InfoReceived", "InTransit", "OutForDelivery", "AttemptFail", "Delivered", "AvailableForPickup", "Exception", "Expired").
			Optional().Nillable().Comment("the latest normalized tracking status (AfterShip's tags)"),
		field.String("tracking_subtag").Optional(),
		field.Time("last_scan_at").Optional().Nillable().Comment("the time of the latest carrier scan"),
		field.Int64("label_amount").Optional().Nillable().Annotations(entgql.Skip()).Comment("what the label cost, minor units"),
		field.String("label_currency").Optional().Annotations(entgql.Skip()),
		field.Time("ship_by").Optional().Nillable().Annotations(entgql.OrderField("SHIP_BY")).Comment("the deadline to hand it over"),
		field.Time("promised_delivery_from").Optional().Nillable(),
		field.Time("promised_delivery_to").Optional().Nillable().Comment("the promise it is held to; moved by a re-promise"),
		field.Time("latest_estimate").Optional().Nillable().Comment("the carrier's latest estimated delivery (latest of its window)"),
		field.Bool("late_risk").Default(false),
		field.String("late_reason").Optional(),
		field.Enum("deadline_alert").Values("NONE", "WARNED", "MISSED").Default("NONE").Annotations(entgql.Skip()).
			Comment("how far the ship-by alert has gone"),
		field.Bool("return_expected").Default(false).Comment("the carrier is returning it to the sender"),
		field.Time("shipped_at").Optional().Nillable(),
		field.Time("delivered_at").Optional().Nillable(),
		field.Time("ready_at").Optional().Nillable().Comment("ready for pickup since"),
		field.Time("pickup_expires_at").Optional().Nillable(),
		field.Time("collected_at").Optional().Nillable(),
		field.Time("cancelled_at").Optional().Nillable(),
		field.String("cancel_reason").Optional(),
	}
}

func (Shipment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("order", Order.Type).Ref("shipments").Field("order_id").Unique().Required().Immutable(),
		edge.To("location", Location.Type).Field("location_id").Unique().Required().Immutable(),
		edge.To("lines", ShipmentLine.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("packages", ShipmentPackage.Type).Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("tracking_events", TrackingEvent.Type).Annotations(entgql.Skip()),
		edge.To("documents", Document.Type).Annotations(entgql.Skip()),
		edge.To("carrier_account", CarrierAccount.Type).Field("carrier_account_id").Unique().Annotations(entgql.Skip()),
	}
}

func (Shipment) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("order_id"),
		index.Fields("location_id", "status"),
		index.Fields("status", "late_risk"),
		index.Fields("status", "ship_by"),
	}
}

func (Shipment) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}

// ShipmentLine is a quantity of one order line in a shipment, taken from one allocation.
type ShipmentLine struct{ ent.Schema }

func (ShipmentLine) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("shl")} }

func (ShipmentLine) Fields() []ent.Field {
	return []ent.Field{
		field.String("shipment_id").GoType(pulid.ID("")).Immutable(),
		field.String("order_line_id").GoType(pulid.ID("")).Immutable(),
		field.String("allocation_id").GoType(pulid.ID("")).Immutable().Annotations(entgql.Skip()),
		field.String("sku").Immutable(),
		field.Int64("quantity").Positive().Immutable(),
	}
}

func (ShipmentLine) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("shipment", Shipment.Type).Ref("lines").Field("shipment_id").Unique().Required().Immutable(),
		edge.To("order_line", OrderLine.Type).Field("order_line_id").Unique().Required().Immutable(),
	}
}

func (ShipmentLine) Indexes() []ent.Index {
	return []ent.Index{index.Fields("shipment_id"), index.Fields("allocation_id")}
}

// PackageItem is a quantity of one order line in a package.
type PackageItem struct {
	LineID   pulid.ID `json:"lineID"`
	SKU      string   `json:"sku"`
	Quantity int64    `json:"quantity"`
}

// ShipmentPackage is one parcel of a shipment: a box of the catalogue, its weight, dimensions and
// contents, and its own tracking number where the carrier gives one per parcel.
type ShipmentPackage struct{ ent.Schema }

func (ShipmentPackage) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("pkg")} }

func (ShipmentPackage) Fields() []ent.Field {
	return []ent.Field{
		field.String("shipment_id").GoType(pulid.ID("")).Immutable(),
		field.Int("index").NonNegative().Comment("1-based position in the shipment"),
		field.String("box").Optional().Comment("the code of the catalogue box"),
		field.Int("weight_grams").NonNegative(),
		field.Int("length_mm").NonNegative(),
		field.Int("width_mm").NonNegative(),
		field.Int("height_mm").NonNegative(),
		field.JSON("contents", []PackageItem{}).Optional(),
		field.String("tracking_number").Optional(),
		field.String("channel_ref").Optional().Annotations(entgql.Skip()).Comment("the marketplace's package id"),
	}
}

func (ShipmentPackage) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("shipment", Shipment.Type).Ref("packages").Field("shipment_id").Unique().Required().Immutable(),
	}
}

// TrackingEvent is one carrier scan on a shipment's timeline: the normalized tag and subtag, and the
// raw event as the carrier sent it. (source, event_id) is unique: a replayed webhook is recorded once.
type TrackingEvent struct{ ent.Schema }

func (TrackingEvent) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("trk")} }

func (TrackingEvent) Fields() []ent.Field {
	return []ent.Field{
		field.String("shipment_id").GoType(pulid.ID("")).Immutable(),
		field.String("source").Immutable().Comment("easypost, aftership, ninjavan, pull, …"),
		field.String("event_id").Immutable().Comment("the source's id of the event (its dedup key)"),
		field.String("tracking_number").Immutable(),
		field.String("tag").Immutable(),
		field.String("subtag").Optional().Immutable(),
		field.String("raw_status").Optional().Immutable(),
		field.String("message").Optional().Immutable(),
		field.String("location").Optional().Immutable(),
		field.Time("occurred_at").Immutable(),
		field.Time("received_at").Default(now).Immutable(),
		field.Text("raw").Optional().Immutable().Comment("the event as the source sent it"),
	}
}

func (TrackingEvent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("shipment", Shipment.Type).Ref("tracking_events").Field("shipment_id").Unique().Required().Immutable(),
	}
}

func (TrackingEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("source", "event_id").Unique(), index.Fields("shipment_id", "occurred_at")}
}

func (TrackingEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// Document is a printable file Ordo rendered or fetched: a shipping label, a marketplace airway bill,
// a packing slip, a pick list. It is downloaded through an authenticated URL.
type Document struct{ ent.Schema }

func (Document) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("doc")} }

func (Document) Fields() []ent.Field {
	return []ent.Field{
		field.String("shipment_id").GoType(pulid.ID("")).Optional().Nillable().Immutable(),
		field.String("location_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().Comment("for a pick list"),
		field.Enum("kind").Values("LABEL", "AIRWAY_BILL", "PACKING_SLIP", "PICK_LIST").Immutable(),
		field.Enum("format").Values("PDF_4X6", "PDF_A6", "PDF_A4", "ZPL", "PDF").Immutable(),
		field.String("content_type").Immutable(),
		field.Int("size").NonNegative().Immutable(),
		field.Bytes("body").Immutable().Annotations(entgql.Skip()),
		field.Time("created_at").Default(now).Immutable(),
	}
}

func (Document) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("shipment", Shipment.Type).Ref("documents").Field("shipment_id").Unique().Immutable(),
	}
}

func (Document) Indexes() []ent.Index {
	return []ent.Index{index.Fields("shipment_id"), index.Fields("location_id", "created_at")}
}

func (Document) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// CarrierAccount is Ordo's account with a carrier or tracking aggregator (EasyPost, Ninja Van,
// AfterShip): where its API is, the sealed credentials, and the secret its tracking webhooks are
// signed with. Tracking webhooks arrive at /webhooks/carriers/{id}.
type CarrierAccount struct{ ent.Schema }

func (CarrierAccount) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("car"), timestamps{}}
}

func (CarrierAccount) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("EASYPOST", "NINJAVAN", "AFTERSHIP", "JNT"),
		field.String("name").NotEmpty(),
		field.String("base_url").Optional(),
		field.Bytes("credentials").Optional().Sensitive().Annotations(entgql.Skip()).Comment("sealed with the vault"),
		field.Bool("active").Default(true),
		field.Int("scan_gap_hours").Default(48).Positive().Comment("a shipment without a scan for this long is late-risk"),
	}
}

func (CarrierAccount) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput, entgql.SkipOrderField)}
}

// RateBand prices a parcel up to MaxGrams (billable weight) into a zone.
type RateBand struct {
	Zone     string `json:"zone"`
	MaxGrams int    `json:"maxGrams"`
	Amount   int64  `json:"amount"`
}

// RateCard is what a carrier service costs, per zone and weight band: configuration, set through
// the API, that routing prices splits with.
type RateCard struct{ ent.Schema }

func (RateCard) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("rtc"), timestamps{}} }

func (RateCard) Fields() []ent.Field {
	return []ent.Field{
		field.String("carrier").NotEmpty(),
		field.String("service").NotEmpty(),
		field.String("currency").Match(currency),
		field.Int("dim_divisor").Default(5000).Positive().Comment("cm³ per kg of dimensional weight"),
		field.JSON("bands", []RateBand{}),
		field.Bool("active").Default(true),
	}
}

func (RateCard) Indexes() []ent.Index {
	return []ent.Index{index.Fields("carrier", "service").Unique()}
}

func (RateCard) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput, entgql.SkipOrderField)}
}
