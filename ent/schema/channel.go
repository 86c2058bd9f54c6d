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

// Channel is a connected sales channel: a marketplace shop, a web store or a point of sale.
type Channel struct{ ent.Schema }

func (Channel) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("chn"), timestamps{}} }

func (Channel) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("SHOPEE", "LAZADA", "TIKTOK_SHOP", "SHOPIFY", "FACEBOOK", "POS", "STOREFRONT").
			Immutable().Annotations(entgql.OrderField("KIND"), entgql.Skip(entgql.SkipMutationUpdateInput)),
		field.String("name").NotEmpty().Annotations(entgql.OrderField("NAME")),
		field.String("shop_id").Optional().Comment("the shop or seller id on the channel"),
		field.Bool("active").Default(true),
	}
}

func (Channel) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("orders", Order.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.From("locations", Location.Type).Ref("channels").Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

func (Channel) Indexes() []ent.Index {
	return []ent.Index{index.Fields("kind", "shop_id").Unique()}
}

func (Channel) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField(), entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}
