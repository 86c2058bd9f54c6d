package graph

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

// rule gives the roles in who the right to use the space-separated names in fields.
type rule struct {
	who    roles
	fields string
}

// rules are one input type's rules; each field of the type is named by exactly one of them.
type rules []rule

// callers is the rule of an input field that anyone who may use the mutation (RootPolicy) may set.
var callers = everyone

// InputPolicy says who may set each field of every input object a mutation takes, nested ones
// included. A caller needs both the mutation's RootPolicy and the rule of every field it sends; a
// field sent as null sets nothing and needs no rule. An input field with no rule here stops the
// server at start-up (Authorizer.Validate).
//
// Storefronts place orders at the catalogue's prices: unit prices, payment state, priority, ship-by,
// amounts, the channel's ids and backorders are for staff. They never name a customer either: a key
// bound to a customer orders for that customer, an unbound key places guest orders (orders.Place).
var InputPolicy = map[string]rules{
	"PlaceOrderInput": {
		{callers, "lines customer shippingAddress paymentMethod currency note idempotencyKey deliveryMethod pickupLocationID"},
		{staff, "customerID allowBackorder"},
		{managers, "paid priority shipBy shippingAmount discountAmount taxAmount channelID externalID"},
		{callers, "holdID"}, // the caller's own hold (package holds)
	},
	"PlaceOrderLineInput": {
		{callers, "sku quantity releaseAt"},
		{managers, "unitPrice"},
	},
	"CustomerInput": {{callers, "email name phone"}},
	"AddressInput":  {{callers, "name phone line1 line2 city region postalCode countryCode latitude longitude"}},
	// The lifecycle commands (storefronts may ask to cancel or return their own orders; partners
	// work on the orders at their locations: auth.Scope narrows the rows).
	"OrderCommandInput":     {{callers, "orderID reason"}},
	"ShipOrderInput":        {{callers, "orderID carrier trackingNumber"}},
	"RejectAllocationInput": {{callers, "allocationID reason"}},
	// Shipment commands: partners work on the shipments leaving their locations (auth.Scope).
	"PlanShipmentsInput":     {{callers, "orderID"}},
	"ShipmentCommandInput":   {{callers, "shipmentID"}},
	"ShipShipmentInput":      {{callers, "shipmentID carrier service trackingNumbers trackingURL"}},
	"CancelShipmentInput":    {{callers, "shipmentID reason"}},
	"SplitShipmentInput":     {{callers, "shipmentID lines"}},
	"SplitShipmentLineInput": {{callers, "orderLineID quantity"}},
	// Changes after placement: unit prices of added lines are for managers, as at placement.
	"CancelOrderLinesInput": {{callers, "orderID lines reason"}},
	"CancelOrderLineInput":  {{callers, "lineID quantity"}},
	"EditOrderInput":        {{callers, "orderID setQuantities addLines removeLines shippingAddress shippingMethod reason allowBackorder"}},
	"SetLineQuantityInput":  {{callers, "lineID quantity"}},
	"EditOrderLineInput":    {{callers, "sku quantity"}, {managers, "unitPrice"}},
	// A channel's fulfilment settings, which only managers reach.
	"SetChannelFulfilmentInput":  {{callers, "channelID partialShipments shipByAlertHours"}},
	"ArrangeShipmentInput":       {{callers, "shipmentID handover"}},
	"SetLocationChannelRefInput": {{callers, "locationID channelID ref"}},
	// Marketplace returns: the seller's decision (staff), a pull of a channel's returns (managers).
	"DecideReturnInput":       {{callers, "returnID action reason comment evidence offerAmount"}},
	"PullChannelReturnsInput": {{callers, "channelID since"}},
	// Stock commands.
	"ReceiveStockInput":   {{callers, "sku locationID quantity reference idempotencyKey"}},
	"AdjustStockInput":    {{callers, "sku locationID delta reason idempotencyKey"}},
	"TransferStockInput":  {{callers, "sku fromLocationID toLocationID quantity reference idempotencyKey"}},
	"SetSafetyStockInput": {{callers, "sku locationID safetyStock idempotencyKey"}},
	// Reference data, which only managers and admins reach.
	"CreateLocationInput": {{callers, "code name kind active priority address timezone dailyCapacity cutoffTime " +
		"processingHours acceptsCod offersPickup pickupHoldDays sameDay shipsTo holidays channelIDs supplyIDs"}},
	"UpdateLocationInput": {{callers, "code name kind active priority address clearAddress timezone dailyCapacity " +
		"cutoffTime processingHours acceptsCod offersPickup pickupHoldDays sameDay shipsTo appendShipsTo clearShipsTo holidays " +
		"appendHolidays clearHolidays addChannelIDs removeChannelIDs clearChannels addSupplyIDs removeSupplyIDs clearSupplies"}},
	"CreateProductInput":       {{callers, "name description brand"}},
	"UpdateProductInput":       {{callers, "name description clearDescription brand clearBrand"}},
	"CreateVariantInput":       {{callers, "sku name priceAmount currency weightGrams lengthMm widthMm heightMm productID returnable"}},
	"UpdateVariantInput":       {{callers, "sku name priceAmount currency weightGrams lengthMm widthMm heightMm productID returnable"}},
	"SetBundleComponentsInput": {{callers, "bundleSku components"}},
	"BundleComponentInput":     {{callers, "sku quantity"}},
	"CreateBoxInput":           {{callers, "code lengthMm widthMm heightMm maxWeightGrams tareGrams active"}},
	"UpdateBoxInput":           {{callers, "code lengthMm widthMm heightMm maxWeightGrams tareGrams active"}},
	"SetRoutingPolicyInput":    {{callers, "channelID criteria maxShipments shipFromStore dropShip splitBundles backorder note"}},
	"SetCatalogRuleInput":      {{callers, "required crossBorderRequired"}},
	"RoutingCriterionInput":    {{callers, "name weight"}},
	// Channels and keys, which only admins (listings and pulls: managers) reach.
	"CreateChannelInput":           {{callers, "kind name shopID active"}},
	"UpdateChannelInput":           {{callers, "name shopID clearShopID active"}},
	"ConnectChannelInput":          {{callers, "kind name shopID baseURL webhookURL authURL credentials tokenExpiresAt refreshTokenExpiresAt stockBuffer pullIntervalSeconds"}},
	"UpdateChannelConnectionInput": {{callers, "channelID name baseURL webhookURL authURL credentials tokenExpiresAt refreshTokenExpiresAt stockBuffer pullIntervalSeconds"}},
	"ChannelCredentialsInput":      {{callers, "appKey appSecret accessToken refreshToken webhookSecret extra"}},
	"StockBufferInput":             {{callers, "kind value"}},
	"SetChannelEnabledInput":       {{callers, "channelID enabled"}},
	"SetChannelListingsInput":      {{callers, "channelID listings"}},
	"ChannelListingInput":          {{callers, "externalID sku sellerSku attrs active"}},
	"PullChannelOrdersInput":       {{callers, "channelID since"}},
	"ConnectCarrierInput":          {{callers, "kind name baseURL secrets scanGapHours"}},
	"CarrierSecretsInput":          {{callers, "apiKey clientID clientSecret webhookSecret countryCode"}},
	// Labels and documents: partners buy and print for the shipments leaving their locations.
	"BuyShippingLabelInput": {{callers, "shipmentID carrierAccountID service format"}},
	"PrintPickListInput":    {{callers, "locationID"}},
	// Rate cards, which only managers reach.
	"SetRateCardInput":  {{callers, "carrier service currency dimDivisor bands active"}},
	"RateBandInput":     {{callers, "zone maxGrams amount"}},
	"CreateAPIKeyInput": {{callers, "name role customerID locationIDs"}},
	// Refunds, exchanges and claims, which only staff (results and balances: managers) reach.
	"RefundLineInput":            {{callers, "orderLineID quantity"}},
	"RefundReturnInput":          {{callers, "returnID lines refundShipping shippingAmount restockingFee reason idempotencyKey"}},
	"RefundOrderInput":           {{callers, "orderID lines refundShipping shippingAmount restockingFee amount reason idempotencyKey"}},
	"RecordRefundResultInput":    {{callers, "refundID status externalID failureReason"}},
	"CreateExchangeInput":        {{callers, "returnID lines shipBeforeReturn note"}},
	"CreateExchangeLineInput":    {{callers, "sku quantity"}},
	"RecordExchangePaymentInput": {{callers, "orderID amount"}},
	"CreateClaimInput":           {{callers, "orderID lines resolution note"}},
	"CreateClaimLineInput":       {{callers, "orderLineID quantity reason"}},
	// Returns: a storefront asks for its own orders (the domain checks the customer, the window and
	// returnable items); where the goods go back is for staff.
	"SetChannelReturnWindowInput": {{callers, "channelID days"}},
	"RequestReturnInput": {
		{callers, "orderID lines kind resolution reasonCode note"},
		{staff, "locationID"},
	},
	"RequestReturnLineInput":     {{callers, "orderLineID quantity reasonCode note"}},
	"ApproveReturnInput":         {{callers, "returnID locationID"}},
	"DeclineReturnInput":         {{callers, "returnID reason"}},
	"ReturnCommandInput":         {{callers, "returnID"}},
	"CancelReturnInput":          {{callers, "returnID reason"}},
	"ReceiveReturnInput":         {{callers, "returnID locationID lines"}},
	"ReceiveReturnLineInput":     {{callers, "returnLineID quantity"}},
	"DispositionReturnInput":     {{callers, "returnID lines"}},
	"DispositionReturnLineInput": {{callers, "returnLineID kind quantity locationID note"}},
	"RedispositionInput":         {{callers, "dispositionID kind quantity note"}},
	// Stock holds (storefronts and staff, each on its own holds) and unpaid expiry (managers).
	"HoldStockInput":     {{callers, "cart lines ttlSeconds channelID"}},
	"HoldStockLineInput": {{callers, "sku quantity"}},
	"ReleaseHoldInput":   {{callers, "holdID"}},
	// Listing decisions (managers, by RootPolicy).
	"ConfirmListingsInput":        {{callers, "decisions"}},
	"ListingDecisionInput":        {{callers, "candidateID variantID"}},
	"IgnoreListingsInput":         {{callers, "ids"}},
	"SetChannelUnpaidExpiryInput": {{callers, "channelID rules"}},
	"UnpaidExpiryRuleInput":       {{callers, "paymentMethod minutes"}},
	// The return reason catalogue, which only managers reach.
	"SetReturnReasonInput":          {{callers, "code label description parentCode defaultDisposition channelCodes active"}},
	"ReturnReasonChannelCodesInput": {{callers, "channel codes"}},
	// A customer prints its return's label; buying a carrier's label is a cost staff decide.
	"CreateReturnLabelInput": {{callers, "returnID format"}, {staff, "carrierAccountID"}},
	// Partner webhooks, which only admins reach.
	"CreateWebhookEndpointInput":  {{callers, "url description eventTypes"}},
	"UpdateWebhookEndpointInput":  {{callers, "id url description eventTypes"}},
	"WebhookEndpointCommandInput": {{callers, "id"}},
	"DisableWebhookEndpointInput": {{callers, "id reason"}},
	"RotateWebhookSecretInput":    {{callers, "id overlapSeconds"}},
	"RedeliverWebhookInput":       {{callers, "endpointID eventID"}},
	"MergeCustomersInput":         {{callers, "survivorID mergedID reason"}},
	"UnmergeCustomersInput":       {{callers, "mergeID"}},
	"CreateStaffUserInput":        {{callers, "email name role password"}},
	"SetStaffUserDisabledInput":   {{callers, "id disabled"}},
	// Notifications: a storefront sets its own customer's preferences (graph.ownCustomer); resends
	// and branding only reach staff and managers.
	"SetNotificationPreferencesInput": {{callers, "customerID locale timeZone optOut muted"}},
	"ResendNotificationInput":         {{callers, "notificationID"}},
	"SetChannelBrandingInput": {{callers, "channelID brandName fromName fromEmail replyTo logoURL color accentColor " +
		"locale supportEmail"}},
	// The console: a staff user's board views, an agent's note.
	"SaveViewInput":     {{callers, "name filter"}},
	"AddOrderNoteInput": {{callers, "orderID note"}},
	// Imports, which only managers start.
	"StartChannelCatalogImportInput": {{callers, "channelID dryRun"}},
}

// LocationInputs are the input fields that name the location a command acts at: a partner key may
// name only the locations it serves (auth.Viewer.Serves).
var LocationInputs = []string{
	"ReceiveStockInput.locationID", "AdjustStockInput.locationID", "TransferStockInput.fromLocationID",
	"TransferStockInput.toLocationID", "SetSafetyStockInput.locationID", "PrintPickListInput.locationID",
	"ReceiveReturnInput.locationID", "DispositionReturnLineInput.locationID",
}

// ruleIndex is a policy table by type and field: the roles allowed, or missing when no rule names it.
type ruleIndex map[string]map[string]roles

// index turns a policy table into a ruleIndex, refusing a field named twice in one type.
func index(table map[string]rules) (ruleIndex, error) {
	ix := ruleIndex{}
	for typ, rs := range table {
		ix[typ] = map[string]roles{}
		for _, r := range rs {
			for _, f := range strings.Fields(r.fields) {
				if _, dup := ix[typ][f]; dup {
					return nil, fmt.Errorf("%s.%s has two rules", typ, f)
				}
				ix[typ][f] = r.who
			}
		}
	}
	return ix, nil
}

// check compares a table's index with the input types it must cover (type name → field names):
// every field needs a rule, and every rule must name a field that exists.
func (ix ruleIndex) check(what string, want map[string][]string) error {
	var problems []string
	for typ, fields := range want {
		for _, f := range fields {
			if _, ok := ix[typ][f]; !ok {
				problems = append(problems, "no rule for "+typ+"."+f)
			}
		}
	}
	for typ, fields := range ix {
		for f := range fields {
			if !slices.Contains(want[typ], f) {
				problems = append(problems, "a rule for "+typ+"."+f+", which no operation takes")
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("%s: %s", what, strings.Join(problems, "; "))
	}
	return nil
}

// mutationInputs lists the fields of every input object reachable from the arguments of s's
// mutations, nested ones included.
func mutationInputs(s *ast.Schema) map[string][]string {
	out := map[string][]string{}
	if s.Mutation == nil {
		return out
	}
	for _, f := range s.Mutation.Fields {
		for _, a := range f.Arguments {
			collectInputs(s, a.Type.Name(), out)
		}
	}
	return out
}

func collectInputs(s *ast.Schema, name string, out map[string][]string) {
	def := s.Types[name]
	if def == nil || def.Kind != ast.InputObject {
		return
	}
	if _, seen := out[name]; seen {
		return
	}
	out[name] = []string{}
	for _, f := range def.Fields {
		out[name] = append(out[name], f.Name)
		collectInputs(s, f.Type.Name(), out)
	}
}

// inputIndex is InputPolicy indexed; Authorizer.Validate has checked it against the schema.
var inputIndex = func() ruleIndex {
	ix, err := index(InputPolicy)
	if err != nil {
		panic("graph: InputPolicy: " + err.Error())
	}
	return ix
}()

// MaySet says whether viewer v may send the input fields in args, the arguments of a mutation as
// sent (variables substituted) whose definitions are in defs. It refuses with FORBIDDEN naming the
// first field (Type.field) v's role may not set (a field with no rule included), or a location
// (LocationInputs) a partner does not serve.
func MaySet(s *ast.Schema, v auth.Viewer, defs ast.ArgumentDefinitionList, args map[string]any) error {
	for _, d := range defs {
		if err := maySetValue(s, v, d.Type.Name(), args[d.Name]); err != nil {
			return err
		}
	}
	return nil
}

func maySetValue(s *ast.Schema, viewer auth.Viewer, typ string, v any) error {
	def := s.Types[typ]
	if def == nil || def.Kind != ast.InputObject || v == nil {
		return nil
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			if err := maySetValue(s, viewer, typ, e); err != nil {
				return err
			}
		}
	case map[string]any:
		for _, f := range def.Fields {
			fv, sent := v[f.Name]
			if !sent || fv == nil {
				continue
			}
			name := typ + "." + f.Name
			if !slices.Contains(inputIndex[typ][f.Name], viewer.Role) {
				return fault.New(fault.Forbidden, "role %s may not set %s", viewer.Role, name).With("field", name)
			}
			if id := fmt.Sprint(fv); slices.Contains(LocationInputs, name) && !viewer.Serves(pulid.ID(id)) {
				return fault.New(fault.Forbidden, "%s: this partner key does not serve location %s", name, id).With("field", name)
			}
			if err := maySetValue(s, viewer, f.Type.Name(), fv); err != nil {
				return err
			}
		}
	}
	return nil
}
