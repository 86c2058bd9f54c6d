package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// ImportJob is one import of a file or a channel's catalogue: products from CSV, a stock count from
// CSV, or a channel's listings. It runs as a durable job; its progress (rows done of total, errors so
// far) is kept here and streamed, so a crashed process resumes it and a client can follow it.
type ImportJob struct{ ent.Schema }

func (ImportJob) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("imp"), timestamps{}} }

func (ImportJob) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("PRODUCTS", "STOCK", "CHANNEL_CATALOG").Immutable(),
		field.Enum("status").Values("QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED").Default("QUEUED"),
		field.Bool("dry_run").Default(false).Immutable().Comment("report what would change, change nothing"),
		field.Bool("partial").Default(false).Immutable().Comment("import the good rows and return the rest as a file; otherwise one bad row changes nothing"),
		field.String("file_name").Default("").Immutable(),
		field.Bytes("content").Optional().Sensitive().Immutable().Comment("the uploaded file, kept until the import ends"),
		field.String("channel_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().Comment("CHANNEL_CATALOG: whose catalogue"),
		field.String("location_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().Comment("STOCK: the counted location, when the file names none"),
		field.Int("total").Default(0).Comment("rows (or listings) to do; 0 while unknown"),
		field.Int("done").Default(0).Comment("rows checked or applied so far"),
		field.Int("error_count").Default(0),
		field.JSON("errors", []ImportRowError{}).Optional().Comment("the first errors, each with its row and field"),
		field.JSON("summary", map[string]int{}).Optional().Comment("created, updated, unchanged, mapped, review…"),
		field.Bytes("rejects").Optional().Comment("partial imports: the refused rows as CSV, with an error column"),
		field.String("cursor").Default("").Comment("where a resumed import goes on: a row number or a channel's page cursor"),
		field.String("actor").Default("").Immutable(),
		field.Time("started_at").Optional().Nillable(),
		field.Time("finished_at").Optional().Nillable(),
		field.Time("cancel_requested_at").Optional().Nillable(),
	}
}

func (ImportJob) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status"), index.Fields("created_at")}
}

func (ImportJob) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// ImportRowError is one refused row of an import: its number in the file (the header is row 1), the
// column and what is wrong.
type ImportRowError struct {
	Row     int    `json:"row"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// StockCount is a count of a location (or one shelf of it): the counted quantities replace nothing;
// each difference from on hand is written as a COUNT movement whose reference is the count's id, so
// the ledger still explains every number.
type StockCount struct{ ent.Schema }

func (StockCount) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("cnt")} }

func (StockCount) Fields() []ent.Field {
	return []ent.Field{
		field.String("location_id").GoType(pulid.ID("")).Immutable(),
		field.String("scope").Default("").Immutable().Comment("a shelf or zone when the count covers part of the location"),
		field.String("import_job_id").GoType(pulid.ID("")).Optional().Nillable().Immutable(),
		field.Int("lines").Default(0).Comment("SKUs counted"),
		field.Int("differences").Default(0).Comment("SKUs whose count differed from on hand"),
		field.Int64("units_added").Default(0),
		field.Int64("units_removed").Default(0),
		field.String("actor").Default("").Immutable(),
		field.Time("created_at").Default(now).Immutable(),
	}
}

func (StockCount) Indexes() []ent.Index {
	return []ent.Index{index.Fields("location_id", "created_at")}
}

func (StockCount) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// ListingCandidate is a listing found on a channel (by a catalogue import or a pull) and what Ordo
// made of it: mapped to a variant automatically (with the reason), confirmed by an operator, waiting
// for review (unmatched or ambiguous, with suggestions), or ignored. A mapped candidate has its
// ChannelListing; stock sync only ever concerns those.
type ListingCandidate struct{ ent.Schema }

func (ListingCandidate) Mixin() []ent.Mixin {
	return []ent.Mixin{pulid.MixinWithPrefix("lcd"), timestamps{}}
}

func (ListingCandidate) Fields() []ent.Field {
	return []ent.Field{
		field.String("channel_id").GoType(pulid.ID("")).Immutable(),
		field.String("external_id").NotEmpty().Immutable().Comment("the listing's id as ChannelListing keeps it"),
		field.String("seller_sku").Default(""),
		field.String("barcode").Default(""),
		field.String("title").Default(""),
		field.JSON("options", map[string]string{}).Optional().Comment("the channel's variant options: Color → Red"),
		field.JSON("attrs", map[string]string{}).Optional().Comment("the channel's other keys, copied to the ChannelListing"),
		field.Int64("price_amount").Default(0),
		field.Strings("component_skus").Optional().Comment("a bundle listing's parts, when the channel says"),
		field.Enum("status").Values("MAPPED", "CONFIRMED", "REVIEW", "IGNORED"),
		field.String("variant_id").GoType(pulid.ID("")).Optional().Nillable().Comment("MAPPED and CONFIRMED: the variant"),
		field.Enum("reason").Values("EXACT_SKU", "NORMALISED_SKU", "BARCODE", "OPTIONS", "BUNDLE", "MANUAL", "NONE", "AMBIGUOUS").
			Comment("why it was mapped, or why it waits"),
		field.JSON("suggestions", []ListingSuggestion{}).Optional().Comment("REVIEW: the likeliest variants, best first"),
		field.String("decided_by").Default("").Comment("the operator who confirmed or ignored it"),
		field.Time("last_seen_at").Default(now),
	}
}

func (ListingCandidate) Indexes() []ent.Index {
	return []ent.Index{index.Fields("channel_id", "external_id").Unique(), index.Fields("status", "channel_id")}
}

func (ListingCandidate) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// ListingSuggestion is a variant a listing may be, and why.
type ListingSuggestion struct {
	VariantID pulid.ID `json:"variantId"`
	SKU       string   `json:"sku"`
	Reason    string   `json:"reason"`
	Score     float64  `json:"score"`
}

// CatalogRule says which attributes fulfilment needs of every SKU (weight and dimensions for
// packing and rates) and of SKUs shipped across borders (HS code, country of origin). One row, id
// "default".
type CatalogRule struct{ ent.Schema }

func (CatalogRule) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").NotEmpty().Immutable(),
		field.Strings("required").Optional().Comment("WEIGHT, DIMENSIONS, BARCODE, HS_CODE, COUNTRY_OF_ORIGIN"),
		field.Strings("cross_border_required").Optional().Comment("required too when an order ships to another country"),
		field.Time("updated_at").Default(now).UpdateDefault(now),
	}
}

func (CatalogRule) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// CustomerIdentity is one way a buyer is known: a verified email, a phone in E.164, or a channel's
// buyer id (value "<channel id>:<buyer id>"). A masked marketplace contact is never an identity, so
// it never joins two buyers.
type CustomerIdentity struct{ ent.Schema }

func (CustomerIdentity) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("cid")} }

func (CustomerIdentity) Fields() []ent.Field {
	return []ent.Field{
		field.String("customer_id").GoType(pulid.ID("")),
		field.Enum("kind").Values("EMAIL", "PHONE", "CHANNEL_BUYER").Immutable(),
		field.String("value").NotEmpty().Immutable().Comment("normalised: lower-cased email, E.164 phone, channel id:buyer id"),
		field.Bool("verified").Default(false).Comment("the channel or storefront vouches for it; only verified emails resolve"),
		field.String("channel_id").GoType(pulid.ID("")).Optional().Nillable().Immutable().Comment("where it was first seen"),
		field.Time("created_at").Default(now).Immutable(),
	}
}

func (CustomerIdentity) Indexes() []ent.Index {
	return []ent.Index{index.Fields("kind", "value").Unique(), index.Fields("customer_id")}
}

func (CustomerIdentity) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// CustomerMerge records an agent's merge of one customer into another: what moved (orders,
// identities), so that an unmerge puts exactly those back.
type CustomerMerge struct{ ent.Schema }

func (CustomerMerge) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("cmg")} }

func (CustomerMerge) Fields() []ent.Field {
	return []ent.Field{
		field.String("survivor_id").GoType(pulid.ID("")).Immutable(),
		field.String("merged_id").GoType(pulid.ID("")).Immutable(),
		field.Strings("order_ids").Optional().Immutable(),
		field.Strings("identity_ids").Optional().Immutable(),
		field.String("reason").Default("").Immutable(),
		field.String("actor").Default("").Immutable(),
		field.Time("created_at").Default(now).Immutable(),
		field.Time("undone_at").Optional().Nillable(),
		field.String("undone_by").Default(""),
	}
}

func (CustomerMerge) Indexes() []ent.Index {
	return []ent.Index{index.Fields("survivor_id"), index.Fields("merged_id")}
}

func (CustomerMerge) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
