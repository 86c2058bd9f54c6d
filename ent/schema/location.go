package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// Location is a place where stock lives and ships from: a warehouse, a store, a 3PL or a drop-ship supplier.
type Location struct{ ent.Schema }

func (Location) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("loc"), timestamps{}} }

func (Location) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").NotEmpty().Unique().Annotations(entgql.OrderField("CODE")).Comment("short human code, e.g. BKK-1"),
		field.String("name").NotEmpty().Annotations(entgql.OrderField("NAME")),
		field.Enum("kind").Values("WAREHOUSE", "STORE", "THIRD_PARTY_LOGISTICS", "DROP_SHIP_SUPPLIER").Annotations(entgql.OrderField("KIND")),
		field.Bool("active").Default(true),
		field.Int("priority").Default(100).Annotations(entgql.OrderField("PRIORITY")).
			Comment("lower serves first when several locations could"),
		field.JSON("address", Address{}).Optional(),
		field.String("timezone").Default("UTC").Comment("IANA zone of the cut-off time"),
		field.Int("daily_capacity").Default(0).NonNegative().Comment("orders a day it can ship; 0 means unlimited"),

		field.String("cutoff_time").Default("15:00").Match(hhmm).Comment("local time after which an order ships the next working day"),
		field.Int("processing_hours").Default(24).NonNegative(),
		field.Bool("accepts_cod").Default(true).Comment("may ship cash-on-delivery orders"),
		field.Bool("offers_pickup").Default(false).Comment("customers may collect orders here"),
		field.Int("pickup_hold_days").Default(7).Positive().Comment("days an order waits for collection before it is cancelled"),
		field.Bool("same_day").Default(false).Comment("offers same-day delivery for orders placed before its cut-off"),
		field.Strings("ships_to").Optional().Comment("country codes it ships to; none means its own country"),
		field.Strings("holidays").Optional().Comment("local dates (2026-12-25) it does not ship on"),
		field.JSON("channel_locations", map[string]string{}).Optional().Annotations(entgql.Skip()).
			Comment("the channels' own ids of this location (Shopify's location_id), by Ordo channel id: where a shipment from here is confirmed from"),
	}
}

func (Location) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("channels", Channel.Type).Comment("the channels it may serve; none means all"),
		edge.To("inventory_levels", InventoryLevel.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("supplies", Variant.Type).Comment("for a drop-ship supplier: the only SKUs it may ship"),
	}
}

func (Location) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField(), entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}
