package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// InventoryLevel is the stock of one SKU at one location. Available = on hand − reserved − safety stock.
// Only the inventory package writes it, always with a ledger movement beside the change.
type InventoryLevel struct{ ent.Schema }

func (InventoryLevel) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("inv"), timestamps{}}
}

func (InventoryLevel) Fields() []ent.Field {
	return []ent.Field{
		field.String("variant_id").GoType(pulid.ID("")).Immutable(),
		field.String("location_id").GoType(pulid.ID("")).Immutable(),
		field.Int64("on_hand").Default(0).Annotations(entgql.OrderField("ON_HAND")),
		field.Int64("reserved").Default(0).Annotations(entgql.OrderField("RESERVED")),
		field.Int64("safety_stock").Default(0),
		field.Int64("incoming").Default(0),
		field.Int64("damaged").Default(0).Comment("returned units found damaged: physically here, never sold or offered to channels"),
		field.Int64("quarantined").Default(0).Comment("returned units awaiting inspection: physically here, never sold until re-dispositioned"),
	}
}

func (InventoryLevel) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("variant", Variant.Type).Ref("inventory_levels").Field("variant_id").Unique().Required().Immutable(),
		edge.From("location", Location.Type).Ref("inventory_levels").Field("location_id").Unique().Required().Immutable(),
	}
}

func (InventoryLevel) Indexes() []ent.Index {
	return []ent.Index{index.Fields("variant_id", "location_id").Unique()}
}

func (InventoryLevel) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}

// InventoryMovement is one row of the append-only stock ledger: every change of on hand or reserved,
// with its kind, reason and reference. Summing a level's movements gives its numbers back.
type InventoryMovement struct{ ent.Schema }

func (InventoryMovement) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("mov")} }

func (InventoryMovement) Fields() []ent.Field {
	return []ent.Field{
		field.String("variant_id").GoType(pulid.ID("")).Immutable(),
		field.String("location_id").GoType(pulid.ID("")).Immutable(),
		field.Enum("kind").Values("RECEIPT", "ADJUSTMENT", "RESERVATION", "RELEASE", "SHIPMENT", "RETURN_RESTOCK", "TRANSFER_OUT", "TRANSFER_IN", "SAFETY_STOCK",
			"RETURN_DAMAGED", "RETURN_QUARANTINE", "REDISPOSITION", "WRITE_OFF", "HOLD", "HOLD_RELEASE", "COUNT").Immutable(),
		field.Int64("on_hand_delta").Default(0).Immutable(),
		field.Int64("reserved_delta").Default(0).Immutable(),
		field.Int64("damaged_delta").Default(0).Immutable(),
		field.Int64("quarantined_delta").Default(0).Immutable(),
		field.String("reason").Optional().Immutable(),
		field.String("reference").Optional().Immutable().Comment("what caused it: an order, allocation, transfer or document id"),
		field.String("actor").Optional().Immutable(),
		field.Time("created_at").Default(now).Immutable().Annotations(entgql.OrderField("CREATED_AT")),
	}
}

func (InventoryMovement) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("variant", Variant.Type).Field("variant_id").Unique().Required().Immutable(),
		edge.To("location", Location.Type).Field("location_id").Unique().Required().Immutable(),
	}
}

func (InventoryMovement) Indexes() []ent.Index {
	return []ent.Index{index.Fields("variant_id", "location_id"), index.Fields("reference")}
}

func (InventoryMovement) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}
