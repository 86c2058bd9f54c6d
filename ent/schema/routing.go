package schema

import (
	"encoding/json"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// RoutingCriterion is one ranked, weighted criterion of a routing policy.
type RoutingCriterion struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
}

// RoutingPolicy is how orders of one channel (or, without a channel, of every channel that has none
// of its own) are routed. Policies are versioned: an edit writes a new version and the newest one is
// in force, so every decision can name the exact rules it followed.
type RoutingPolicy struct{ ent.Schema }

func (RoutingPolicy) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("rpo")} }

func (RoutingPolicy) Fields() []ent.Field {
	return []ent.Field{
		field.String("scope").NotEmpty().Immutable().Annotations(entgql.Skip()).
			Comment(`the channel id, or "default": versions are numbered per scope`),
		field.String("channel_id").GoType(pulid.ID("")).Optional().Nillable().Immutable(),
		field.Int("version").Positive().Immutable(),
		field.JSON("criteria", []RoutingCriterion{}).Immutable(),
		field.Int("max_shipments").Positive().Immutable(),
		field.Bool("ship_from_store").Immutable(),
		field.Bool("drop_ship").Immutable(),
		field.Bool("split_bundles").Immutable(),
		field.Enum("backorder").Values("PARTIAL", "WHOLE", "REVIEW").Immutable(),
		field.String("note").Optional().Immutable(),
		field.String("created_by").Optional().Immutable(),
		field.Time("created_at").Default(now).Immutable().Annotations(entgql.OrderField("CREATED_AT")),
	}
}

func (RoutingPolicy) Edges() []ent.Edge {
	return []ent.Edge{edge.To("channel", Channel.Type).Field("channel_id").Unique().Immutable()}
}

func (RoutingPolicy) Indexes() []ent.Index {
	return []ent.Index{index.Fields("scope", "version").Unique()}
}

func (RoutingPolicy) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// RoutingDecision records one routing of an order: the policy version it followed, the outcome and
// the full trace (candidates, scores, rejections, the winning plan).
type RoutingDecision struct{ ent.Schema }

func (RoutingDecision) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("rtd")} }

func (RoutingDecision) Fields() []ent.Field {
	return []ent.Field{
		field.String("order_id").GoType(pulid.ID("")).Immutable(),
		field.String("policy_id").GoType(pulid.ID("")).Optional().Nillable().Immutable(),
		field.String("outcome").Immutable(),
		field.JSON("trace", json.RawMessage{}).Immutable().Annotations(entgql.Skip()).
			Comment("the decision as the engine made it, JSON; served as RoutingDecision.trace"),
		field.Time("created_at").Default(now).Immutable(),
	}
}

func (RoutingDecision) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("order", Order.Type).Ref("routing_decisions").Field("order_id").Unique().Required().Immutable(),
		edge.To("policy", RoutingPolicy.Type).Field("policy_id").Unique().Immutable(),
	}
}

func (RoutingDecision) Indexes() []ent.Index {
	return []ent.Index{index.Fields("order_id", "created_at")}
}

// Box is a carton of the packing catalogue that shipment plans choose from.
type Box struct{ ent.Schema }

func (Box) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("box")} }

func (Box) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").NotEmpty().Unique(),
		field.Int("length_mm").Positive(),
		field.Int("width_mm").Positive(),
		field.Int("height_mm").Positive(),
		field.Int("max_weight_grams").Positive(),
		field.Int("tare_grams").Default(0).NonNegative(),
		field.Bool("active").Default(true),
	}
}

func (Box) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}
