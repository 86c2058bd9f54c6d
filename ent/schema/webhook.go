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

// WebhookEndpoint is a partner's URL that Ordo POSTs its events to, signed per the Standard Webhooks
// spec. It reads the event log from its own cursor, so that it gets every event of its types from
// its registration on, in order; a failing delivery holds the stream back until it is retried (on
// the spec's schedule), and an endpoint that answers 410 or fails for too long is disabled.
type WebhookEndpoint struct{ ent.Schema }

func (WebhookEndpoint) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("whe"), timestamps{}}
}

func (WebhookEndpoint) Fields() []ent.Field {
	return []ent.Field{
		field.String("url").NotEmpty().Annotations(readOnly),
		field.String("description").Optional().Annotations(readOnly),
		field.Strings("event_types").Optional().Annotations(readOnly).Comment("the event types sent; empty: all"),
		field.Bytes("secret").Sensitive().Annotations(entgql.Skip()).Comment("the signing secret, sealed"),
		field.Bytes("previous_secret").Optional().Nillable().Sensitive().Annotations(entgql.Skip()).
			Comment("the secret before the last rotation, sealed; deliveries are signed with both until it expires"),
		field.Time("previous_secret_expires_at").Optional().Nillable().Annotations(readOnly),
		field.Enum("status").Values("ENABLED", "DISABLED").Default("ENABLED").Annotations(readOnly),
		field.String("disabled_reason").Optional().Annotations(readOnly),
		field.Time("disabled_at").Optional().Nillable().Annotations(readOnly),
		field.Int64("cursor_txid").Default(0).Annotations(entgql.Skip()).Comment("the event log position delivered up to"),
		field.Int64("cursor_event_id").Default(0).Annotations(entgql.Skip()),
		field.Int("attempt").Default(0).NonNegative().Annotations(readOnly).Comment("failed attempts of the delivery at the head of the stream"),
		field.Time("next_attempt_at").Optional().Nillable().Annotations(readOnly).Comment("when the failing head is tried again"),
		field.Time("failing_since").Optional().Nillable().Annotations(readOnly),
		field.Time("last_success_at").Optional().Nillable().Annotations(readOnly),
		field.String("created_by").Optional().Immutable().Annotations(entgql.Skip()).Comment("the API key that registered it"),
	}
}

func (WebhookEndpoint) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("attempts", WebhookAttempt.Type).Annotations(entgql.RelayConnection(), readOnly, entsql.OnDelete(entsql.Cascade)),
	}
}

func (WebhookEndpoint) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput)}
}

// WebhookAttempt is one POST of an event to an endpoint and what came of it.
type WebhookAttempt struct{ ent.Schema }

func (WebhookAttempt) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("wha")}
}

func (WebhookAttempt) Fields() []ent.Field {
	return []ent.Field{
		field.String("endpoint_id").GoType(pulid.ID("")).Immutable(),
		field.Int64("event_id").Immutable().Comment("the event sent; webhook-id is evt_<event_id>"),
		field.String("event_type").Immutable(),
		field.String("order_id").Optional().Immutable(),
		field.Int("attempt").Immutable().Comment("1 for the first try of this event at this endpoint"),
		field.Bool("redelivery").Default(false).Immutable().Comment("asked for by an admin"),
		field.Enum("outcome").Values("DELIVERED", "FAILED", "GONE", "REFUSED").Immutable().
			Comment("FAILED: retried; GONE: 410, the endpoint is disabled; REFUSED: not sent (a private address, a redirect)"),
		field.Int("status_code").Optional().Immutable().Comment("the HTTP status answered; 0 when none"),
		field.Int("latency_ms").Default(0).Immutable(),
		field.String("response").Optional().Immutable().Comment("the start of the answer's body"),
		field.String("error").Optional().Immutable(),
		field.Time("created_at").Default(now).Immutable(),
	}
}

func (WebhookAttempt) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("endpoint", WebhookEndpoint.Type).Ref("attempts").Field("endpoint_id").Unique().Required().Immutable(),
	}
}

func (WebhookAttempt) Indexes() []ent.Index {
	return []ent.Index{index.Fields("endpoint_id", "event_id"), index.Fields("created_at")}
}

func (WebhookAttempt) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput)}
}
