package graph

import (
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/fault"
)

var (
	// unscoped are the roles whose rows auth.Scope does not narrow. A relation predicate
	// (hasOrdersWith…) is a subquery that row scoping does not reach, so only they may filter
	// through a relation into rows that are scoped (orders, lines, allocations, customers, stock).
	unscoped = staff
	// customerReaders, channelReaders and stockReaders are the roles TypePolicy lets read
	// customers, channels and per-location stock.
	customerReaders = roles{auth.Admin, auth.Operator, auth.Support, auth.Storefront}
	channelReaders  = roles{auth.Admin, auth.Operator, auth.Support, auth.Partner}
	stockReaders    = roles{auth.Admin, auth.Operator, auth.Support, auth.Partner}
)

// FilterPolicy says who may filter on each field of every WhereInput (entgql's filters), by the
// field's name: a rule for "status" covers status, statusNEQ, statusIn… and one for "hasOrders"
// covers hasOrders and hasOrdersWith. A role filters only on what it may read, and a row-scoped
// role (storefront, partner) never through a relation into scoped rows: the filters of its own
// rows are narrowed by auth.Scope, a relation's subquery is not. A WhereInput field with no rule
// stops the server at start-up (Authorizer.Validate).
var FilterPolicy = map[string]rules{
	"OrderWhereInput": {
		{everyone, "id createdAt updatedAt number channelID externalID customerID status channelStatus channelUpdatedAt " +
			"paymentStatus fulfillmentStatus paymentMethod currency shipBy priority cancelReason note placedAt " +
			"promisedShipBy promisedDeliveryFrom promisedDeliveryTo deliveryMethod repromisedDeliveryTo " +
			"returnStatus shippingMethod expiresAt version"},
		{channelReaders, "hasChannel"},
		{unscoped, "hasCustomer hasLines hasAllocations hasRoutingDecisions hasShipments"},
		{staff, "hasNotifications"}, // notifications are staff's (TypePolicy)
	},
	"OrderLineWhereInput": {
		{everyone, "id orderID variantID sku kind name quantity cancelledQuantity externalLineID listingID releaseAt hasVariant"},
		{unscoped, "hasOrder hasAllocations"},
	},
	"AllocationWhereInput": {
		{everyone, "id createdAt updatedAt lineID orderID variantID locationID quantity status hasVariant hasLocation"},
		{unscoped, "hasLine hasOrder"},
	},
	"CustomerWhereInput": {
		{customerReaders, "id createdAt updatedAt email name phone"},
		{unscoped, "hasOrders"},
	},
	"ChannelWhereInput": {
		{channelReaders, "id createdAt updatedAt kind name shopID active baseURL webhookURL stockBufferKind stockBuffer " +
			"pullIntervalSeconds pulledUntil lastPullAt lastPullError authURL tokenExpiresAt refreshTokenExpiresAt tokenRefreshedAt " +
			"authStatus authError partialShipments shipByAlertHours returnWindowDays returnsPulledUntil hasLocations"},
		{unscoped, "hasOrders hasListings"},
	},
	"ChannelListingWhereInput": {
		{staff, "id createdAt updatedAt channelID variantID externalID sellerSku active dirtySeq pushedSeq dirtySince " +
			"lastPushedQuantity lastPushedAt lastPushLagMs lastPushError hasChannel hasVariant"},
	},
	"InventoryLevelWhereInput": {
		{stockReaders, "id createdAt updatedAt variantID locationID onHand reserved safetyStock incoming damaged quarantined hasVariant hasLocation"},
	},
	"InventoryMovementWhereInput": {
		{managers, "id variantID locationID kind onHandDelta reservedDelta damagedDelta quarantinedDelta reason reference actor createdAt hasVariant hasLocation"},
	},
	"LocationWhereInput": {
		{everyone, "id createdAt updatedAt code name kind active priority timezone dailyCapacity cutoffTime " +
			"processingHours acceptsCod offersPickup pickupHoldDays sameDay hasSupplies"},
		{channelReaders, "hasChannels"},
		{unscoped, "hasInventoryLevels"},
	},
	"ProductWhereInput": {{everyone, "id createdAt updatedAt name description brand hasVariants"}},
	"VariantWhereInput": {
		{everyone, "id createdAt updatedAt sku name productID priceAmount currency weightGrams lengthMm widthMm heightMm " +
			"returnable hasProduct hasComponents"},
		{unscoped, "hasInventoryLevels"},
	},
	"BundleComponentWhereInput": {{everyone, "id bundleID componentID quantity hasBundle hasComponent"}},
	"ShipmentWhereInput": {
		{everyone, "id createdAt updatedAt orderID locationID number direction status method carrier service trackingURL trackingTag " +
			"trackingSubtag lastScanAt shipBy promisedDeliveryFrom promisedDeliveryTo latestEstimate lateRisk lateReason " +
			"returnExpected shippedAt deliveredAt readyAt pickupExpiresAt collectedAt cancelledAt cancelReason hasLocation"},
		{unscoped, "carrierAccountID hasOrder hasLines hasPackages"},
	},
	"ShipmentLineWhereInput": {
		{everyone, "id shipmentID orderLineID sku quantity"},
		{unscoped, "hasShipment hasOrderLine"},
	},
	"ShipmentPackageWhereInput": {
		{everyone, "id shipmentID index box weightGrams lengthMm widthMm heightMm trackingNumber"},
		{unscoped, "hasShipment"},
	},
	"BoxWhereInput":             {{everyone, "id code lengthMm widthMm heightMm maxWeightGrams tareGrams active"}},
	"RoutingDecisionWhereInput": {{staff, "id orderID policyID outcome createdAt hasOrder hasPolicy"}},
	"RoutingPolicyWhereInput": {{staff, "id channelID version maxShipments shipFromStore dropShip splitBundles backorder " +
		"note createdBy createdAt hasChannel"}},
	// Notifications are staff's to read (TypePolicy), and so to filter.
	"NotificationWhereInput": {{staff, "id createdAt updatedAt orderID kind status hasOrder"}},
}

// filterIndex is FilterPolicy indexed; Authorizer.Validate has checked it against the schema.
var filterIndex = func() ruleIndex {
	ix, err := index(FilterPolicy)
	if err != nil {
		panic("graph: FilterPolicy: " + err.Error())
	}
	return ix
}()

// predicateSuffixes are the endings entgql gives a field's predicates besides equality.
var predicateSuffixes = []string{"NEQ", "NotIn", "In", "GTE", "GT", "LTE", "LT", "ContainsFold", "Contains",
	"HasPrefix", "HasSuffix", "EqualFold", "IsNil", "NotNil", "With"}

// isFilter says whether an input type is an entgql WhereInput.
func isFilter(def *ast.Definition) bool {
	return def != nil && def.Kind == ast.InputObject && strings.HasSuffix(def.Name, "WhereInput")
}

// filterField is the field of a WhereInput that the predicate name filters on: "status" for
// statusNEQ, "hasOrders" for hasOrdersWith. The combinators and, or, not have none ("").
func filterField(def *ast.Definition, name string) string {
	if name == "and" || name == "or" || name == "not" {
		return ""
	}
	for _, s := range predicateSuffixes {
		if base, ok := strings.CutSuffix(name, s); ok && base != "" && def.Fields.ForName(base) != nil {
			return base
		}
	}
	return name
}

// schemaFilters lists the filter fields of every WhereInput of s.
func schemaFilters(s *ast.Schema) map[string][]string {
	out := map[string][]string{}
	for _, def := range s.Types {
		if !isFilter(def) {
			continue
		}
		out[def.Name] = []string{}
		for _, f := range def.Fields {
			if b := filterField(def, f.Name); b != "" && !slices.Contains(out[def.Name], b) {
				out[def.Name] = append(out[def.Name], b)
			}
		}
	}
	return out
}

// MayFilter says whether role may send the filters among args, the arguments of a field as sent
// (variables substituted) whose definitions are in defs. It walks every WhereInput, through and, or,
// not and relation predicates, and refuses with FORBIDDEN naming the first filter (Type.field) the
// role may not use, or the first type it may not read.
func MayFilter(s *ast.Schema, role auth.Role, defs ast.ArgumentDefinitionList, args map[string]any) error {
	for _, d := range defs {
		if err := mayFilterValue(s, role, s.Types[d.Type.Name()], args[d.Name]); err != nil {
			return err
		}
	}
	return nil
}

func mayFilterValue(s *ast.Schema, role auth.Role, def *ast.Definition, v any) error {
	if !isFilter(def) || v == nil {
		return nil
	}
	if rs, ok := TypePolicy[strings.TrimSuffix(def.Name, "WhereInput")]; ok && !slices.Contains(rs, role) {
		return fault.New(fault.Forbidden, "role %s may not filter on %s", role, strings.TrimSuffix(def.Name, "WhereInput")).
			With("field", def.Name)
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			if err := mayFilterValue(s, role, def, e); err != nil {
				return err
			}
		}
	case map[string]any:
		for _, f := range def.Fields {
			fv, sent := v[f.Name]
			if !sent || fv == nil {
				continue
			}
			if base := filterField(def, f.Name); base != "" && !slices.Contains(filterIndex[def.Name][base], role) {
				return fault.New(fault.Forbidden, "role %s may not filter on %s.%s", role, def.Name, f.Name).
					With("field", def.Name+"."+f.Name)
			}
			if err := mayFilterValue(s, role, s.Types[f.Type.Name()], fv); err != nil {
				return err
			}
		}
	}
	return nil
}

// hasFilter says whether a field takes a WhereInput argument.
func hasFilter(s *ast.Schema, defs ast.ArgumentDefinitionList) bool {
	for _, d := range defs {
		if isFilter(s.Types[d.Type.Name()]) {
			return true
		}
	}
	return false
}
