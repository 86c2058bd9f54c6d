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

// StockHold keeps units for a storefront's cart for a while: held units count as reserved, so no one
// else can take them, until the hold turns into the order at checkout, is released, or expires.
type StockHold struct{ ent.Schema }

func (StockHold) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("hld"), timestamps{}} }

func (StockHold) Fields() []ent.Field {
	return []ent.Field{
		field.String("cart").NotEmpty().Immutable().Comment("the storefront's cart id"),
		field.String("channel_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().Annotations(readOnly),
		field.String("key_id").Optional().Immutable().Annotations(entgql.Skip()).Comment("the key that holds it; only it may use or release it"),
		field.Enum("status").Values("ACTIVE", "CONVERTED", "RELEASED", "EXPIRED").Default("ACTIVE"),
		field.Time("expires_at"),
		field.String("order_id").GoType(pulid.ID("")).Optional().Nillable().Annotations(readOnly).Comment("the order it became"),
	}
}

func (StockHold) Edges() []ent.Edge {
	return []ent.Edge{edge.To("lines", StockHoldLine.Type).Annotations(entsql.OnDelete(entsql.Cascade))}
}

func (StockHold) Indexes() []ent.Index {
	return []ent.Index{index.Fields("key_id", "cart"), index.Fields("status", "expires_at")}
}

func (StockHold) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.Skip(entgql.SkipWhereInput)}
}

func (StockHoldLine) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput)}
}

// StockHoldLine is the units of one SKU a hold keeps at one location. While its hold is ACTIVE they
// are part of the level's reserved, beside open allocations (the audit counts both).
type StockHoldLine struct{ ent.Schema }

func (StockHoldLine) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("hdl")} }

func (StockHoldLine) Fields() []ent.Field {
	return []ent.Field{
		field.String("hold_id").GoType(pulid.ID("")).Immutable(),
		field.String("variant_id").GoType(pulid.ID("")).Immutable(),
		field.String("location_id").GoType(pulid.ID("")).Immutable(),
		field.String("sku").Immutable(),
		field.Int64("quantity").Positive().Immutable(),
		field.Bool("active").Default(true).Annotations(entgql.Skip()).Comment("false once its hold ended; kept for the audit's sums"),
	}
}

func (StockHoldLine) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("hold", StockHold.Type).Ref("lines").Field("hold_id").Unique().Required().Immutable(),
		edge.To("location", Location.Type).Field("location_id").Unique().Required().Immutable(),
	}
}

func (StockHoldLine) Indexes() []ent.Index {
	return []ent.Index{index.Fields("variant_id", "location_id", "active")}
}
