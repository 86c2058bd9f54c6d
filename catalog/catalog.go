// Package catalog keeps Ordo's reference data: sales channels, locations, products and their variants
// (SKUs), and bundle recipes. It is the only writer of those entities.
package catalog

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/calendar"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/fault"
)

// Service writes reference data.
type Service struct {
	DB *database.DB
	// Changed is called after a location, channel, listing or box changes (routing drops its cached
	// copy; the stock sync looks at the listings).
	Changed func()
	// Data checks again, in the change's transaction, the orders flagged for the data of variants
	// that changed; nil checks nothing.
	Data DataChecker
}

// DataChecker checks again, in tx, the open orders flagged for missing or implausible data of the
// given variants (dispatch.DataChecker).
type DataChecker interface {
	RecheckVariants(ctx context.Context, tx *ent.Tx, ids []pulid.ID) error
}

// recheck tells the data checker that the variants changed.
func (s *Service) recheck(ctx context.Context, tx *ent.Tx, ids ...pulid.ID) error {
	if s.Data == nil {
		return nil
	}
	return s.Data.RecheckVariants(ctx, tx, ids)
}

// changed reports a committed change of locations or channels.
func (s *Service) changed() {
	if s.Changed != nil {
		s.Changed()
	}
}

// CreateLocation adds a location.
func (s *Service) CreateLocation(ctx context.Context, in ent.CreateLocationInput) (*ent.Location, error) {
	if err := checkCalendar(in.Timezone, in.Holidays, in.ShipsTo); err != nil {
		return nil, err
	}
	defer s.changed()
	return save(s.DB.Client.Location.Create().SetInput(in).Save(ctx))
}

// UpdateLocation changes a location.
func (s *Service) UpdateLocation(ctx context.Context, id pulid.ID, in ent.UpdateLocationInput) (*ent.Location, error) {
	if err := id.Validate("loc"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "id: %v", err)
	}
	if err := checkCalendar(in.Timezone, in.Holidays, in.ShipsTo); err != nil {
		return nil, err
	}
	defer s.changed()
	return save(s.DB.Client.Location.UpdateOneID(id).SetInput(in).Save(ctx))
}

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

// checkCalendar refuses a time zone, holiday or destination country that routing could not use.
func checkCalendar(tz *string, holidays, shipsTo []string) error {
	if tz != nil {
		if _, err := time.LoadLocation(*tz); err != nil || *tz == "" {
			return fault.New(fault.InvalidArgument, "unknown time zone %q; use an IANA name such as Asia/Bangkok", *tz)
		}
	}
	for _, h := range holidays {
		if _, err := calendar.ParseDate(h); err != nil {
			return fault.New(fault.InvalidArgument, "holiday %q is not a date like 2026-12-25", h)
		}
	}
	for _, c := range shipsTo {
		if !countryCode.MatchString(c) {
			return fault.New(fault.InvalidArgument, "shipsTo %q is not an ISO 3166 country code like TH", c)
		}
	}
	return nil
}

// CreateChannel connects a sales channel.
func (s *Service) CreateChannel(ctx context.Context, in ent.CreateChannelInput) (*ent.Channel, error) {
	defer s.changed()
	return save(s.DB.Client.Channel.Create().SetInput(in).Save(ctx))
}

// UpdateChannel changes a channel.
func (s *Service) UpdateChannel(ctx context.Context, id pulid.ID, in ent.UpdateChannelInput) (*ent.Channel, error) {
	if err := id.Validate("chn"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "id: %v", err)
	}
	defer s.changed()
	return save(s.DB.Client.Channel.UpdateOneID(id).SetInput(in).Save(ctx))
}

// CreateProduct adds a product.
func (s *Service) CreateProduct(ctx context.Context, in ent.CreateProductInput) (*ent.Product, error) {
	return save(s.DB.Client.Product.Create().SetInput(in).Save(ctx))
}

// UpdateProduct changes a product.
func (s *Service) UpdateProduct(ctx context.Context, id pulid.ID, in ent.UpdateProductInput) (*ent.Product, error) {
	if err := id.Validate("prd"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "id: %v", err)
	}
	return save(s.DB.Client.Product.UpdateOneID(id).SetInput(in).Save(ctx))
}

// CreateVariant adds a SKU to a product.
func (s *Service) CreateVariant(ctx context.Context, in ent.CreateVariantInput) (*ent.Variant, error) {
	in.Sku = strings.TrimSpace(in.Sku)
	if err := in.ProductID.Validate("prd"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "productID: %v", err)
	}
	return save(s.DB.Client.Variant.Create().SetInput(in).Save(ctx))
}

// UpdateVariant changes a SKU's data.
func (s *Service) UpdateVariant(ctx context.Context, id pulid.ID, in ent.UpdateVariantInput) (*ent.Variant, error) {
	if err := id.Validate("sku"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "id: %v", err)
	}
	var out *ent.Variant
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		v, err := save(tx.Variant.UpdateOneID(id).SetInput(in).Save(ctx))
		if err != nil {
			return err
		}
		out = v
		return s.recheck(ctx, tx, id)
	})
	if err != nil {
		return nil, err
	}
	return out.Unwrap(), nil
}

// Component is a quantity of a SKU inside a bundle.
type Component struct {
	SKU      string
	Quantity int
}

// SetBundleComponents makes a variant a bundle of the given components (or a plain SKU again, with
// none). A bundle cannot contain itself or another bundle.
func (s *Service) SetBundleComponents(ctx context.Context, bundleSKU string, comps []Component) (*ent.Variant, error) {
	var out *ent.Variant
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		b, err := tx.Variant.Query().Where(variant.Sku(bundleSKU)).Only(ctx)
		if ent.IsNotFound(err) {
			return fault.New(fault.InvalidArgument, "unknown SKU %s", bundleSKU)
		}
		if err != nil {
			return err
		}
		if _, err := tx.BundleComponent.Delete().Where(bundlecomponent.BundleID(b.ID)).Exec(ctx); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, c := range comps {
			if c.Quantity <= 0 {
				return fault.New(fault.InvalidArgument, "component %s: quantity must be positive", c.SKU)
			}
			if c.SKU == bundleSKU || seen[c.SKU] {
				return fault.New(fault.InvalidArgument, "component %s: a bundle lists each other SKU once", c.SKU)
			}
			seen[c.SKU] = true
			v, err := tx.Variant.Query().Where(variant.Sku(c.SKU)).Only(ctx)
			if ent.IsNotFound(err) {
				return fault.New(fault.InvalidArgument, "unknown SKU %s", c.SKU)
			}
			if err != nil {
				return err
			}
			if n, err := tx.BundleComponent.Query().Where(bundlecomponent.BundleID(v.ID)).Count(ctx); err != nil {
				return err
			} else if n > 0 {
				return fault.New(fault.InvalidArgument, "component %s is itself a bundle", c.SKU)
			}
			if err := tx.BundleComponent.Create().SetBundleID(b.ID).SetComponentID(v.ID).SetQuantity(c.Quantity).Exec(ctx); err != nil {
				return err
			}
		}
		out = b
		return s.recheck(ctx, tx, b.ID)
	})
	if err != nil {
		return nil, err
	}
	return out.Unwrap(), nil
}

// save turns ent's validation and constraint errors into INVALID_ARGUMENT and CONFLICT faults.
func save[T any](v T, err error) (T, error) {
	var zero T
	switch {
	case err == nil:
		return v, nil
	case ent.IsValidationError(err):
		return zero, fault.New(fault.InvalidArgument, "%s", strings.TrimPrefix(err.Error(), "ent: "))
	case ent.IsConstraintError(err) && database.IsUniqueViolation(err):
		return zero, fault.New(fault.Conflict, "already exists: %s", strings.TrimPrefix(err.Error(), "ent: constraint failed: "))
	case ent.IsConstraintError(err):
		return zero, fault.New(fault.InvalidArgument, "refers to something that does not exist")
	case ent.IsNotFound(err):
		return zero, fault.New(fault.NotFound, "not found")
	}
	return zero, fmt.Errorf("save: %w", err)
}

// CreateBox adds a carton to the packing catalogue.
func (s *Service) CreateBox(ctx context.Context, in ent.CreateBoxInput) (*ent.Box, error) {
	defer s.changed()
	return save(s.DB.Client.Box.Create().SetInput(in).Save(ctx))
}

// UpdateBox changes a carton of the catalogue (or retires it: active false).
func (s *Service) UpdateBox(ctx context.Context, id pulid.ID, in ent.UpdateBoxInput) (*ent.Box, error) {
	if err := id.Validate("box"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "id: %v", err)
	}
	defer s.changed()
	return save(s.DB.Client.Box.UpdateOneID(id).SetInput(in).Save(ctx))
}
