package schema

import (
	"regexp"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

var (
	hhmm     = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	currency = regexp.MustCompile(`^[A-Z]{3}$`)
)

// Product groups the variants (SKUs) that a shopper sees as one item.
type Product struct{ ent.Schema }

func (Product) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("prd"), timestamps{}} }

func (Product) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().Annotations(entgql.OrderField("NAME")),
		field.Text("description").Optional(),
		field.String("brand").Optional(),
	}
}

func (Product) Edges() []ent.Edge {
	return []ent.Edge{edge.To("variants", Variant.Type).Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput))}
}

func (Product) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField(), entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}

// Variant is a sellable unit, identified by its SKU. A bundle is a variant made of components.
type Variant struct{ ent.Schema }

func (Variant) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("sku"), timestamps{}} }

func (Variant) Fields() []ent.Field {
	return []ent.Field{
		field.String("sku").NotEmpty().Unique().Annotations(entgql.OrderField("SKU")),
		field.String("name").NotEmpty().Annotations(entgql.OrderField("NAME")),
		field.String("product_id").GoType(pulid.ID("")),
		field.Int64("price_amount").Default(0).NonNegative().Comment("list price in minor units"),
		field.String("currency").Default("USD").Match(currency),
		field.Int("weight_grams").Default(0).NonNegative(),
		field.Int("length_mm").Default(0).NonNegative(),
		field.Int("width_mm").Default(0).NonNegative(),
		field.Int("height_mm").Default(0).NonNegative(),
		field.Bool("returnable").Default(true).Comment("false: final sale; customers cannot ask to return it"),
		field.String("barcode").Optional().Annotations(entgql.Skip()).Comment("GTIN/EAN/UPC as printed; listings are matched by it"),
		field.JSON("options", map[string]string{}).Optional().Annotations(entgql.Skip()).Comment("the variant's option values: Color → Red, Size → M"),
		field.String("hs_code").Optional().Annotations(entgql.Skip()).Comment("the customs tariff code, for cross-border shipments"),
		field.String("country_of_origin").Optional().Annotations(entgql.Skip()).Comment("ISO 3166-1 alpha-2, for customs"),
	}
}

// Indexes: imports and listing matching look variants up by barcode.
func (Variant) Indexes() []ent.Index {
	return []ent.Index{index.Fields("barcode")}
}

func (Variant) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("product", Product.Type).Ref("variants").Field("product_id").Unique().Required(),
		edge.To("components", BundleComponent.Type).Annotations(readOnly).Comment("set when this variant is a bundle"),
		edge.To("inventory_levels", InventoryLevel.Type).Annotations(entgql.RelayConnection(), readOnly),
	}
}

func (Variant) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField(), entgql.Mutations(entgql.MutationCreate(), entgql.MutationUpdate())}
}

// BundleComponent says that a bundle variant contains quantity units of a component variant.
type BundleComponent struct{ ent.Schema }

func (BundleComponent) Mixin() []ent.Mixin { return []ent.Mixin{pulid.MixinWithPrefix("bnc")} }

func (BundleComponent) Fields() []ent.Field {
	return []ent.Field{
		field.String("bundle_id").GoType(pulid.ID("")),
		field.String("component_id").GoType(pulid.ID("")),
		field.Int("quantity").Positive(),
	}
}

func (BundleComponent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("bundle", Variant.Type).Ref("components").Field("bundle_id").Unique().Required(),
		edge.To("component", Variant.Type).Field("component_id").Unique().Required(),
	}
}
