package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/graph/generated"
)

// roles is a set of roles allowed to use a field.
type roles []auth.Role

var (
	everyone  = roles{auth.Admin, auth.Operator, auth.Support, auth.Storefront, auth.Partner}
	staff     = roles{auth.Admin, auth.Operator, auth.Support}
	managers  = roles{auth.Admin, auth.Operator}
	admins    = roles{auth.Admin}
	warehouse = roles{auth.Admin, auth.Operator, auth.Partner} // fulfilment work, which 3PL partners do too
)

// RootPolicy says who may use each query, mutation and subscription. A root field missing from it
// is refused to everyone (and Authorizer.Validate fails at start-up, so that cannot ship unnoticed).
var RootPolicy = map[string]roles{
	"Query.node":               everyone,
	"Query.nodes":              everyone,
	"Query.viewer":             everyone,
	"Query.orders":             everyone,
	"Query.customers":          {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	"Query.channels":           staff,
	"Query.locations":          everyone,
	"Query.products":           everyone,
	"Query.variants":           everyone,
	"Query.variantBySku":       everyone,
	"Query.inventoryLevels":    {auth.Admin, auth.Operator, auth.Support, auth.Partner},
	"Query.inventoryMovements": managers,
	"Query.inventoryAudit":     managers,
	"Query.routingPolicy":      staff,
	"Query.deliveryPromise":    everyone,
	"Query.previewRouting":     staff,
	"Query.simulateRouting":    managers,
	"Query.routingPolicies":    staff,
	"Query.boxes":              {auth.Admin, auth.Operator, auth.Support, auth.Partner},
	"Query.channelListings":    staff,
	"Query.shipments":          everyone,
	"Query.carrierAccounts":    managers,
	"Query.rateCards":          managers,
	"Query.lateRiskShipments":  {auth.Admin, auth.Operator, auth.Support, auth.Partner},
	"Query.returnReasons":      everyone,
	// Listing auto-mapping (graph/listings.graphqls): customer service reads the review queue,
	// operators decide.
	"Query.listingCandidates":      staff,
	"Query.listingCandidateCounts": staff,
	"Mutation.confirmListings":     managers,
	"Mutation.ignoreListings":      managers,

	"Mutation.placeOrder":               {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	"Mutation.confirmOrder":             managers,
	"Mutation.holdOrder":                staff,
	"Mutation.releaseOrderHold":         staff,
	"Mutation.startPicking":             warehouse,
	"Mutation.packOrder":                warehouse,
	"Mutation.markReadyToShip":          warehouse,
	"Mutation.shipOrder":                warehouse,
	"Mutation.markOrderDelivered":       warehouse,
	"Mutation.completeOrder":            managers,
	"Mutation.requestOrderCancellation": {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	"Mutation.rejectOrderCancellation":  staff,
	"Mutation.cancelOrder":              staff,
	"Mutation.reportOrderException":     warehouse,
	"Mutation.resolveOrderException":    warehouse,
	"Mutation.receiveStock":             warehouse,
	"Mutation.adjustStock":              managers,
	"Mutation.transferStock":            managers,
	"Mutation.setSafetyStock":           managers,
	"Mutation.createLocation":           managers,
	"Mutation.updateLocation":           managers,
	"Mutation.createChannel":            admins,
	"Mutation.updateChannel":            admins,
	"Mutation.createProduct":            managers,
	"Mutation.updateProduct":            managers,
	"Mutation.createVariant":            managers,
	"Mutation.updateVariant":            managers,
	"Mutation.setBundleComponents":      managers,
	"Mutation.setRoutingPolicy":         managers,
	"Mutation.rejectAllocation":         warehouse,
	"Mutation.createBox":                managers,
	"Mutation.updateBox":                managers,
	"Mutation.connectChannel":           admins,
	"Mutation.updateChannelConnection":  admins,
	"Mutation.setChannelEnabled":        admins,
	"Mutation.setChannelListings":       managers,
	"Mutation.pullChannelOrders":        managers,
	"Mutation.planShipments":            warehouse,
	"Mutation.pickShipment":             warehouse,
	"Mutation.packShipment":             warehouse,
	"Mutation.markShipmentReady":        warehouse,
	"Mutation.shipShipment":             warehouse,
	"Mutation.markReadyForPickup":       warehouse,
	"Mutation.markShipmentCollected":    warehouse,
	"Mutation.cancelShipment":           warehouse,
	"Mutation.connectCarrier":           admins,
	"Mutation.splitShipment":            warehouse,
	"Mutation.setChannelFulfilment":     managers,
	"Mutation.arrangeShipment":          warehouse,
	"Mutation.decideReturn":             staff,
	"Mutation.pullChannelReturns":       managers,
	"Mutation.setLocationChannelRef":    managers,
	"Mutation.buyShippingLabel":         warehouse,
	"Mutation.cancelShippingLabel":      warehouse,
	"Mutation.printPackingSlip":         warehouse,
	"Mutation.printPickList":            warehouse,
	"Mutation.setRateCard":              managers,
	"Mutation.createAPIKey":             admins,
	"Mutation.revokeAPIKey":             admins,
	// Stock holds: storefronts hold for their carts (their own holds only: package holds), staff too.
	"Mutation.holdStock":              {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	"Mutation.releaseHold":            {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	"Query.stockHold":                 {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	"Mutation.setChannelUnpaidExpiry": managers,
	"Mutation.setReturnReason":        managers,
	// A customer prints the label of its own approved return (the domain checks whose it is).
	"Mutation.createReturnLabel": {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	// Refunds, exchanges and claims are customer service's; a payment's result and a balance paid
	// are money matters for managers (and the payment integration's key).
	"Mutation.refundReturn":          staff,
	"Mutation.refundOrder":           staff,
	"Mutation.recordRefundResult":    managers,
	"Mutation.createExchange":        staff,
	"Mutation.recordExchangePayment": managers,
	"Mutation.createClaim":           staff,
	// Changes after placement (orders/cancel.go, orders/edit.go): a storefront cancels units of its
	// own unpaid orders not yet picked (checked in the domain), staff cancel and edit any.
	"Mutation.cancelOrderLines": {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	"Mutation.editOrder":        staff,

	"Subscription.orderUpdated":      {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	"Subscription.stockLevelChanged": staff,
	"Subscription.orderEvents":       staff,
	"Subscription.shipmentUpdated":   {auth.Admin, auth.Operator, auth.Support, auth.Partner},

	// Returns (graph/returns.graphqls): a storefront asks for its own orders' units back and reads
	// its returns; partners receive and disposition at the locations they serve (auth.Scope narrows
	// the rows, LocationInputs the locations named); staff run the rest.
	"Query.returns":                   {auth.Admin, auth.Operator, auth.Support, auth.Storefront, auth.Partner},
	"Query.return":                    {auth.Admin, auth.Operator, auth.Support, auth.Storefront, auth.Partner},
	"Mutation.setChannelReturnWindow": managers,
	"Mutation.requestReturn":          {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	"Mutation.approveReturn":          staff,
	"Mutation.declineReturn":          staff,
	"Mutation.markReturnInTransit":    {auth.Admin, auth.Operator, auth.Support, auth.Partner},
	"Mutation.receiveReturn":          {auth.Admin, auth.Operator, auth.Support, auth.Partner},
	"Mutation.dispositionReturn":      {auth.Admin, auth.Operator, auth.Support, auth.Partner},
	"Mutation.redisposition":          {auth.Admin, auth.Operator, auth.Support, auth.Partner},
	"Mutation.completeReturn":         staff,
	"Mutation.closeReturn":            staff,
	"Mutation.cancelReturn":           staff,
	"Mutation.reopenReturn":           staff,
	"Subscription.returnUpdated":      {auth.Admin, auth.Operator, auth.Support, auth.Storefront, auth.Partner},

	// Partner webhooks (graph/webhooks.graphqls): where Ordo sends its events and with which
	// secrets is the admins' business, like channels and API keys.
	"Query.webhookEndpoints":          admins,
	"Query.webhookEventTypes":         admins,
	"Mutation.createWebhookEndpoint":  admins,
	"Mutation.updateWebhookEndpoint":  admins,
	"Mutation.enableWebhookEndpoint":  admins,
	"Mutation.disableWebhookEndpoint": admins,
	"Mutation.deleteWebhookEndpoint":  admins,
	"Mutation.rotateWebhookSecret":    admins,
	"Mutation.redeliverWebhook":       admins,
	// Customer notifications (graph/notifications.graphqls): customer service previews and resends;
	// a storefront sets its own customer's preferences (graph.ownCustomer); branding is managers'.
	"Query.previewNotification":           staff,
	"Mutation.setNotificationPreferences": {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	"Mutation.resendNotification":         staff,
	"Mutation.setChannelBranding":         managers,
	"Query.staffUsers":                    admins,
	"Mutation.createStaffUser":            admins,
	"Mutation.setStaffUserDisabled":       admins,
	// The console (graph/board.graphqls): the board, alerts and the pulse are staff's reads (the
	// board searches customers' emails and phones); views belong to a signed-in staff user (the
	// domain refuses API keys); agents write notes on the timeline.
	"Query.orderBoard":          staff,
	"Query.orderCounts":         staff,
	"Query.savedViews":          staff,
	"Query.alerts":              staff,
	"Query.failedNotifications": staff,
	"Query.operationsPulse":     staff,
	"Mutation.saveView":         staff,
	"Mutation.deleteView":       staff,
	"Mutation.addOrderNote":     staff,
	// Product-data quality (graph/quality.graphqls): staff read the rule and the report; what the
	// catalogue must hold is the admins' decision.
	"Query.catalogRule":         staff,
	"Query.catalogCompleteness": staff,
	"Mutation.setCatalogRule":   admins,
	// One customer across channels (graph/customers.graphqls): customer service merges and
	// unmerges; storefronts and partners never.
	"Mutation.mergeCustomers":   staff,
	"Mutation.unmergeCustomers": staff,
	// Imports (graph/imports.graphqls): managers import and cancel; support follows them.
	"Query.importJob":                    staff,
	"Query.importJobs":                   staff,
	"Mutation.startChannelCatalogImport": managers,
	"Mutation.cancelImport":              managers,
	"Subscription.importProgress":        staff,
}

// TypePolicy narrows who may read any field of a type, wherever it is reached from (node(id:),
// an edge, a payload). Rows are narrowed further by auth.Scope (a storefront customer's own orders).
var TypePolicy = map[string]roles{
	"ImportJob":         staff,
	"InventoryMovement": managers,
	"Customer":          {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	// How a customer is recognised and who merged whom: staff's, never the customer's storefront.
	"CustomerIdentity": staff,
	"CustomerMerge":    staff,
	"Channel":          {auth.Admin, auth.Operator, auth.Support, auth.Partner},
	"InventoryAudit":   managers,
	// Per-location numbers are operational data; storefronts see Variant.available only.
	"InventoryLevel":   {auth.Admin, auth.Operator, auth.Support, auth.Partner},
	"StockLevelChange": staff,
	// The timeline names staff keys and internal reasons (holds, exceptions).
	"Event": staff,
	// Routing internals: which locations were considered, why, at what cost.
	"RoutingDecision": staff,
	"RoutingPolicy":   staff,
	// Listings and their sync state are operational data.
	"ChannelListing":  staff,
	"StockSyncStatus": staff,
	// What a rate card says is the business's cost.
	"RateCard": managers,
	// Carrier accounts: which carriers the business uses, and where their webhooks come to.
	"CarrierAccount": managers,
	"RateBand":       managers,
	// A location's ids on the channels are connection settings.
	"LocationChannelRef": staff,
	// Labels, slips and pick lists name customers' addresses: for staff and the partners whose
	// shipments they are (auth.Scope), and for a storefront the return labels of its own orders
	// (Shipment.documents lists it nothing else); downloads follow the same rule
	// (fulfilment.Service.Download).
	"Document": {auth.Admin, auth.Operator, auth.Support, auth.Partner, auth.Storefront},
	// Holds are a storefront's carts (a key sees its own: auth.Scope) and staff's to look at.
	"StockHold":        {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	"StockHoldLine":    {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	"UnpaidExpiryRule": staff,
	// Refunds are money between the shop and its customer: staff, and the customer's storefront
	// (its own orders' refunds, auth.Scope); not a warehouse partner.
	"Refund":     {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	"RefundLine": {auth.Admin, auth.Operator, auth.Support, auth.Storefront},
	// Webhook endpoints name partners' systems and what they were sent; node(id:) reaches them too.
	"WebhookEndpoint": admins,
	"WebhookAttempt":  admins,
	// What was sent to a customer, where, and why not: customer service's record, not the
	// customer's (nor a warehouse partner's).
	"Notification":        staff,
	"NotificationPreview": staff,
	"ChannelBranding":     staff,
	// A SKU's data issues are the catalogue team's worklist; an order's flags say why its
	// shipment waits, which the warehouse partner shipping it needs to know too.
	"DataIssue": staff,
	"DataFlag":  {auth.Admin, auth.Operator, auth.Support, auth.Partner},
	// What channels list and how it maps to SKUs is operational data, like ChannelListing.
	"ListingCandidate":  staff,
	"ListingSuggestion": staff,
}

var rootTypes = []string{"Query", "Mutation", "Subscription"}

// Authorizer is the gqlgen extension that enforces the policy on every field: RootPolicy and
// TypePolicy (who reads what), InputPolicy (who sets which input field of a mutation) and
// FilterPolicy (who filters on what), the last two on the arguments as sent, variables included.
type Authorizer struct{}

var (
	_ graphql.HandlerExtension = Authorizer{}
	_ graphql.FieldInterceptor = Authorizer{}
)

// ExtensionName implements graphql.HandlerExtension.
func (Authorizer) ExtensionName() string { return "OrdoAuthorizer" }

// Validate refuses to start when a root field, a mutation's input field or a filter of the schema
// has no rule, or a rule names a field that is not there.
func (Authorizer) Validate(es graphql.ExecutableSchema) error {
	if err := inputIndex.check("input policy", mutationInputs(es.Schema())); err != nil {
		return err
	}
	if err := filterIndex.check("filter policy", schemaFilters(es.Schema())); err != nil {
		return err
	}
	inputs := mutationInputs(es.Schema())
	for _, name := range LocationInputs {
		typ, field, _ := strings.Cut(name, ".")
		if !slices.Contains(inputs[typ], field) {
			return fmt.Errorf("input policy: location input %s is not in the schema", name)
		}
	}
	var missing []string
	s := es.Schema()
	for _, name := range rootTypes {
		def := s.Types[name]
		if def == nil {
			continue
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			if _, ok := RootPolicy[name+"."+f.Name]; !ok {
				missing = append(missing, name+"."+f.Name)
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("access policy: no rule for %s", strings.Join(missing, ", "))
	}
	return nil
}

// InterceptField implements graphql.FieldInterceptor.
func (Authorizer) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc != nil {
		if err := Allowed(ctx, fc.Object, fc.Field.Name); err != nil {
			return nil, err
		}
		if err := allowedArguments(ctx, fc); err != nil {
			return nil, err
		}
		// A mutation's resolver runs a command; the fields of its payload (which gqlgen resolves
		// with this same context) read with the viewer's scope again.
		ctx = auth.Command(ctx, fc.Object == "Mutation")
	}
	return next(ctx)
}

// allowedArguments applies InputPolicy to a mutation's arguments and FilterPolicy to any field's
// filters.
func allowedArguments(ctx context.Context, fc *graphql.FieldContext) error {
	if fc.Field.Field == nil || fc.Field.Definition == nil || len(fc.Field.Definition.Arguments) == 0 {
		return nil
	}
	s := apiSchema()
	mutation := fc.Object == "Mutation"
	if !mutation && !hasFilter(s, fc.Field.Definition.Arguments) {
		return nil
	}
	var vars map[string]any
	if graphql.HasOperationContext(ctx) {
		vars = graphql.GetOperationContext(ctx).Variables
	}
	v, _ := auth.FromContext(ctx)
	args := fc.Field.ArgumentMap(vars)
	if mutation {
		if err := MaySet(s, v, fc.Field.Definition.Arguments, args); err != nil {
			return err
		}
	}
	return MayFilter(s, v.Role, fc.Field.Definition.Arguments, args)
}

// apiSchema is Ordo's GraphQL schema, which the argument policies walk (not "schema": resolvers import ent/schema).
var apiSchema = sync.OnceValue(func() *ast.Schema {
	return generated.NewExecutableSchema(generated.Config{}).Schema()
})

// Allowed says whether the viewer in ctx may resolve object.field.
func Allowed(ctx context.Context, object, field string) error {
	if strings.HasPrefix(field, "__") || strings.HasPrefix(object, "__") {
		return nil // introspection, switched on or off by the server
	}
	if slices.Contains(rootTypes, object) {
		v, ok := auth.FromContext(ctx)
		if !ok {
			return fault.New(fault.Unauthenticated, "an API key is required: send Authorization: Bearer <key>")
		}
		if !slices.Contains(RootPolicy[object+"."+field], v.Role) {
			return fault.New(fault.Forbidden, "role %s may not use %s", v.Role, field)
		}
		return nil
	}
	rs, ok := TypePolicy[object]
	if !ok {
		return nil
	}
	v, _ := auth.FromContext(ctx)
	if !slices.Contains(rs, v.Role) {
		return fault.New(fault.Forbidden, "role %s may not read %s", v.Role, object)
	}
	return nil
}
