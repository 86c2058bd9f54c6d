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
		field.String("base_url").Optional().Annotations(readOnly).Comment("the channel's API root; the simulator's in tests and the demo"),
		field.String("webhook_url").Optional().Annotations(readOnly).
			Comment("Ordo's webhook URL as registered with the channel (Shopee and Square sign it); empty: derived from ORDO_PUBLIC_URL"),
		field.Bytes("credentials").Optional().Sensitive().Annotations(entgql.Skip()).
			Comment("the shop's secrets, sealed with ORDO_SECRET_KEY (package vault)"),
		field.String("auth_url").Optional().Annotations(readOnly).
			Comment("the channel's OAuth host where it is not base_url (Lazada's auth.lazada.com/rest, TikTok Shop's auth.tiktok-shops.com); empty: the channel's own"),
		field.Int64("credentials_version").Default(0).Annotations(entgql.Skip()).
			Comment("counts writes of credentials: a token refresh writes only over the version it read"),
		field.Time("token_expires_at").Optional().Nillable().Annotations(readOnly).
			Comment("when the access token expires; the token is refreshed ahead of it"),
		field.Time("refresh_token_expires_at").Optional().Nillable().Annotations(readOnly).
			Comment("when the refresh token expires: the seller must authorize Ordo again before then"),
		field.Time("token_refreshed_at").Optional().Nillable().Annotations(readOnly),
		field.Enum("auth_status").Values("OK", "FAILED").Default("OK").Annotations(readOnly).
			Comment("FAILED: the channel refused to refresh the tokens; calls stop until new credentials are connected"),
		field.String("auth_error").Optional().Annotations(readOnly).Comment("why the last token refresh failed"),
		field.Enum("stock_buffer_kind").Values("NONE", "FIXED", "PERCENT").Default("NONE").Annotations(readOnly).
			Comment("how much available stock is held back from this channel"),
		field.Int("stock_buffer").Default(0).NonNegative().Annotations(readOnly).Comment("units (FIXED) or percent (PERCENT)"),
		field.Enum("partial_shipments").Values("SHIP_PARTIAL", "WAIT_COMPLETE").Default("WAIT_COMPLETE").Annotations(readOnly).
			Comment("whether a backordered order ships what it has now"),
		field.Int("ship_by_alert_hours").Default(6).NonNegative().Annotations(readOnly).
			Comment("hours before a marketplace ship-by deadline to alert on a shipment not yet handed over"),
		field.Int("return_window_days").Default(30).NonNegative().Annotations(readOnly).
			Comment("how long after delivery a customer may ask for a return"),
		field.JSON("unpaid_expiry_minutes", map[string]int{}).Optional().Annotations(entgql.Skip()).
			Comment("per payment method (\"*\": any other), how long an unpaid order keeps its stock; COD never expires"),
		field.Time("returns_pulled_until").Optional().Nillable().Annotations(readOnly).Comment("returns updated before this were pulled"),
		field.JSON("branding", Branding{}).Optional().Annotations(entgql.Skip()).
			Comment("how customer notifications of this channel's orders look and who they come from"),
		field.Int("pull_interval_seconds").Default(300).NonNegative().Annotations(readOnly).
			Comment("how often orders are pulled as a safety net beside webhooks; 0: never"),
		field.Time("pulled_until").Optional().Nillable().Annotations(readOnly).Comment("orders updated before this were pulled"),
		field.Time("last_pull_at").Optional().Nillable().Annotations(readOnly),
		field.String("last_pull_error").Optional().Annotations(readOnly),
	}
}

func (Channel) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("orders", Order.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.From("locations", Location.Type).Ref("channels").Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		edge.To("listings", ChannelListing.Type).Annotations(entgql.RelayConnection(), readOnly),
	}
}

func (Channel) Indexes() []ent.Index {
	return []ent.Index{index.Fields("kind", "shop_id").Unique()}
}

func (Channel) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField(), entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}

// ChannelListing maps what a channel sells (its listing, variant or SKU id) to an Ordo SKU, which may
// be a bundle, and keeps the state of its stock sync: the latest change not yet pushed, the last
// quantity the channel was told and when.
type ChannelListing struct{ ent.Schema }

func (ChannelListing) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("lst"), timestamps{}}
}

func (ChannelListing) Fields() []ent.Field {
	return []ent.Field{
		field.String("channel_id").GoType(pulid.ID("")).Immutable(),
		field.String("variant_id").GoType(pulid.ID("")),
		field.String("external_id").NotEmpty().Immutable().Comment("the channel's id of the listing"),
		field.String("seller_sku").Optional().Comment("the SKU the channel shows, when it differs from Ordo's"),
		field.JSON("attrs", map[string]string{}).Optional().Annotations(entgql.Skip()).Comment("the channel's other keys: inventory item, product, model, warehouse…"),
		field.Bool("active").Default(true),
		field.Int64("dirty_seq").Default(0).Annotations(readOnly).Comment("counts stock changes that concern the listing"),
		field.Int64("pushed_seq").Default(0).Annotations(readOnly).Comment("the dirty_seq the last push covered"),
		field.Time("dirty_since").Optional().Nillable().Annotations(readOnly).Comment("when the oldest change not yet pushed happened"),
		field.Int64("last_pushed_quantity").Optional().Nillable().Annotations(readOnly),
		field.Time("last_pushed_at").Optional().Nillable().Annotations(readOnly),
		field.Int64("last_push_lag_ms").Optional().Nillable().Annotations(readOnly).Comment("from the stock change to the channel's answer"),
		field.String("last_push_error").Optional().Annotations(readOnly),
	}
}

func (ChannelListing) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("channel", Channel.Type).Ref("listings").Field("channel_id").Unique().Required().Immutable(),
		edge.To("variant", Variant.Type).Field("variant_id").Unique().Required(),
	}
}

func (ChannelListing) Indexes() []ent.Index {
	return []ent.Index{index.Fields("channel_id", "external_id").Unique(), index.Fields("variant_id")}
}

func (ChannelListing) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Checkpoint is how far a durable reader of the event log has got (the outbound relay), so that
// it resumes after a restart without missing or repeating work.
type Checkpoint struct{ ent.Schema }

func (Checkpoint) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").NotEmpty().Immutable().Comment("the reader's name"),
		field.Int64("txid").Default(0),
		field.Int64("event_id").Default(0),
		field.Time("updated_at").Default(now).UpdateDefault(now),
	}
}

func (Checkpoint) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
