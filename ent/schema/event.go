package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Event is one row of the event log: the order timeline and the outbox that live subscriptions read.
// It is written in the transaction of the change it describes. Readers order events by (txid, id):
// on PostgreSQL txid is the writing transaction's id and readers stop below the oldest transaction
// still running, so a late commit can never slip in behind a delivered cursor; on SQLite, which has
// one writer at a time, each transaction's rows are stamped with the next txid just before it
// commits (events.Append), so txid is commit order there too.
type Event struct{ ent.Schema }

func (Event) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("id").Immutable(),
		field.Int64("txid").Optional().Immutable().
			Annotations(entsql.DefaultExprs(map[string]string{
				dialect.Postgres: "pg_current_xact_id()::text::bigint",
				dialect.SQLite:   "0",
			})),
		field.String("type").NotEmpty().Immutable(),
		field.String("order_id").Optional().Immutable(),
		field.String("customer_id").Optional().Immutable(),
		field.String("channel_id").Optional().Immutable(),
		field.String("variant_id").Optional().Immutable(),
		field.String("location_id").Optional().Immutable(),
		field.JSON("data", map[string]any{}).Optional().Immutable(),
		field.String("actor").Optional().Immutable(),
		field.Time("created_at").Default(now).Immutable(),
	}
}

func (Event) Indexes() []ent.Index {
	return []ent.Index{index.Fields("txid", "id"), index.Fields("order_id")}
}

func (Event) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
