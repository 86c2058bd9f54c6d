package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// APIKey is a credential for the API. Only a SHA-256 hash of the secret is stored.
type APIKey struct{ ent.Schema }

func (APIKey) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("key"), timestamps{}} }

func (APIKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty(),
		field.Enum("role").Values("ADMIN", "OPERATOR", "SUPPORT", "STOREFRONT", "PARTNER"),
		field.String("hash").Unique().Sensitive().Immutable(),
		field.String("customer_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().
			Comment("a storefront key bound to one customer sees only that customer's orders"),
		field.Strings("location_ids").Optional().Immutable().
			Comment("a partner key acts only at these locations (warehouses, 3PLs, drop-ship suppliers)"),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

func (APIKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// IdempotencyKey remembers a stock command by its client-chosen key, so that a replay with the same
// key and the same request changes nothing and answers as the first call did.
type IdempotencyKey struct{ ent.Schema }

func (IdempotencyKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").NotEmpty().Immutable().Comment("operation:key"),
		field.String("request_hash").Immutable(),
		field.Strings("result_ids").Optional().Immutable(),
		field.Time("created_at").Default(now).Immutable(),
	}
}

func (IdempotencyKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
