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

// NotificationKinds are the messages a customer may be sent about an order.
var NotificationKinds = []string{
	"ORDER_CONFIRMED", "BACKORDERED", "ALLOCATED", "SHIPPED", "OUT_FOR_DELIVERY", "DELIVERED", "DELAYED",
	"READY_FOR_PICKUP", "PICKUP_EXPIRING", "RETURN_APPROVED", "RETURN_RECEIVED", "REFUND_ISSUED",
	"CANCELLED", "LINES_CANCELLED",
}

// Notification is one message to a customer about an order, through one provider (email, or a
// plugged-in messaging gateway), and how its delivery went. It is unique per (order, kind, version,
// provider): the version names what it is about (a shipment, a refund, a delay's new date, a
// resend), so that a message is sent at most once however often its events are read.
type Notification struct{ ent.Schema }

func (Notification) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("ntf"), timestamps{}}
}

func (Notification) Fields() []ent.Field {
	return []ent.Field{
		field.String("order_id").GoType(pulid.ID("")).Immutable(),
		field.String("customer_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Enum("kind").Values(NotificationKinds...).Immutable(),
		field.String("version").NotEmpty().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("what it is about: a shipment, return or refund id, a promise date, an order version, a resend"),
		field.String("subject_id").Optional().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("the shipment, return or refund it is about, if any"),
		field.String("provider").NotEmpty().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("email, or a plugged-in provider's name (http)"),
		field.String("recipient").Optional().Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("the address or phone number it went to; empty when there was none"),
		field.String("locale").Optional().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.String("subject").Optional().Annotations(entgql.Skip(entgql.SkipWhereInput)).Comment("the rendered subject line"),
		field.Enum("status").Values("PENDING", "SENT", "FAILED", "SKIPPED").Default("PENDING"),
		field.String("skip_reason").Optional().Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("why it was not sent: OPTED_OUT, KIND_MUTED, UNSUBSCRIBED, MASKED_ADDRESS, NO_ADDRESS"),
		field.Int("attempts").Default(0).NonNegative().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.String("last_error").Optional().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.String("message_id").Optional().Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("the Message-ID (email) or the provider's id of the message"),
		field.Time("sent_at").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.JSON("facts", map[string]string{}).Optional().Immutable().Annotations(entgql.Skip()).
			Comment("what the event said that the message tells (a new promise date, tracking numbers, an amount)"),
		field.Int64("event_id").Optional().Immutable().Annotations(entgql.Skip()).Comment("the event that asked for it"),
	}
}

func (Notification) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("order", Order.Type).Ref("notifications").Field("order_id").Unique().Required().Immutable(),
	}
}

func (Notification) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("order_id", "kind", "version", "provider").Unique(),
		index.Fields("status"),
	}
}

func (Notification) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}

// Suppression is an address that is sent nothing: its owner unsubscribed (the link in every
// message), or mail to it bounced or was reported.
type Suppression struct{ ent.Schema }

func (Suppression) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("sup"), timestamps{}}
}

func (Suppression) Fields() []ent.Field {
	return []ent.Field{
		field.String("address").NotEmpty().Unique().Immutable().Comment("lower-cased email address or E.164 phone number"),
		field.Enum("reason").Values("UNSUBSCRIBED", "BOUNCED", "COMPLAINED").Default("UNSUBSCRIBED"),
	}
}

func (Suppression) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Branding is how a channel's (a brand's) customer notifications look and who sends them; empty
// fields fall back to the instance's defaults.
type Branding struct {
	BrandName string `json:"brandName,omitempty"`
	FromName  string `json:"fromName,omitempty"`
	FromEmail string `json:"fromEmail,omitempty"`
	ReplyTo   string `json:"replyTo,omitempty"`
	LogoURL   string `json:"logoURL,omitempty"`
	// Color and AccentColor are CSS hex colours (#RRGGBB) of the header and the buttons.
	Color       string `json:"color,omitempty"`
	AccentColor string `json:"accentColor,omitempty"`
	// Locale is the default language of the channel's messages (en, th, vi, id, ms).
	Locale string `json:"locale,omitempty"`
	// SupportEmail is where customers are told to write.
	SupportEmail string `json:"supportEmail,omitempty"`
}
