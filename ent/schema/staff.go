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

// StaffUser is a person who signs in to the console: operations staff and support agents. Roles are
// those of API keys that staff hold (ADMIN, OPERATOR, SUPPORT); the password is stored as an
// argon2id hash only. Actions in the console are recorded with the user's id as the actor.
type StaffUser struct{ ent.Schema }

func (StaffUser) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("stf"), timestamps{}} }

func (StaffUser) Fields() []ent.Field {
	return []ent.Field{
		field.String("email").NotEmpty().Unique().Comment("lower-cased; the sign-in name"),
		field.String("name").Default(""),
		field.Enum("role").Values("ADMIN", "OPERATOR", "SUPPORT"),
		field.String("password_hash").Sensitive().Comment("argon2id, in the PHC string format"),
		field.Time("disabled_at").Optional().Nillable().Comment("a disabled user cannot sign in; their sessions end"),
		field.Time("last_sign_in_at").Optional().Nillable(),
		field.JSON("saved_views", []SavedView{}).Optional().Comment("the user's saved order-board views"),
	}
}

func (StaffUser) Edges() []ent.Edge {
	return []ent.Edge{edge.To("sessions", StaffSession.Type)}
}

func (StaffUser) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// SavedView is one named order-board view: the board's filter as the console sent it.
type SavedView struct {
	Name   string         `json:"name"`
	Filter map[string]any `json:"filter"`
}

// StaffSession is one signed-in browser. The cookie carries a random secret of which only the SHA-256
// hash is stored, so that any replica can check it and a database leak reveals no session. Each
// session has its own CSRF token, sent back in a header on every state-changing request.
type StaffSession struct{ ent.Schema }

func (StaffSession) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("ses")} }

func (StaffSession) Fields() []ent.Field {
	return []ent.Field{
		field.String("staff_id").GoType(pulid.ID("")).Immutable(),
		field.String("token_hash").Unique().Sensitive().Immutable(),
		field.String("csrf_token").Sensitive().Immutable(),
		field.Time("created_at").Default(now).Immutable(),
		field.Time("last_seen_at").Default(now),
		field.Time("expires_at").Comment("the absolute end; an idle session ends sooner"),
		field.Time("revoked_at").Optional().Nillable().Comment("signed out, or the user was disabled"),
		field.String("user_agent").Default("").Immutable(),
		field.String("ip").Default("").Immutable(),
	}
}

func (StaffSession) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("staff", StaffUser.Type).Ref("sessions").Field("staff_id").Unique().Required().Immutable(),
	}
}

func (StaffSession) Indexes() []ent.Index {
	return []ent.Index{index.Fields("staff_id"), index.Fields("expires_at")}
}

func (StaffSession) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// SignInAttempt is one try at signing in, kept a day, so that every replica limits the same
// failures: by the email tried and by the client's address.
type SignInAttempt struct{ ent.Schema }

func (SignInAttempt) Fields() []ent.Field {
	return []ent.Field{
		field.String("email").Immutable(),
		field.String("ip").Immutable(),
		field.Bool("ok").Immutable(),
		field.Time("created_at").Default(now).Immutable(),
	}
}

func (SignInAttempt) Indexes() []ent.Index {
	return []ent.Index{index.Fields("email", "created_at"), index.Fields("ip", "created_at"), index.Fields("created_at")}
}

func (SignInAttempt) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
