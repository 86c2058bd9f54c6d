// Package graph holds Ordo's GraphQL resolvers. They are thin: translate the input, call the domain
// package that owns the change, return what it returns. Who may call what is decided in access.go.
package graph

import (
	"github.com/99designs/gqlgen/graphql"
	"github.com/ordo-oms/ordo/customers"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/carriers"
	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/connections"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fulfilment"
	"github.com/ordo-oms/ordo/graph/generated"
	"github.com/ordo-oms/ordo/holds"
	"github.com/ordo-oms/ordo/imports"
	"github.com/ordo-oms/ordo/ingestion"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/listings"
	"github.com/ordo-oms/ordo/notifications"
	"github.com/ordo-oms/ordo/orders"
	"github.com/ordo-oms/ordo/outbound"
	"github.com/ordo-oms/ordo/returns"
	staffusers "github.com/ordo-oms/ordo/staff"
	"github.com/ordo-oms/ordo/webhooks"
)

// Resolver carries the domain services the resolvers call.
type Resolver struct {
	DB          *database.DB
	Orders      *orders.Service
	Fulfilment  *fulfilment.Service
	Carriers    *carriers.Service
	Inventory   *inventory.Service
	Catalog     *catalog.Service
	Connections *connections.Service
	Keys        auth.Keys
	Hub         *events.Hub
	Live        *Live
	Policies    dispatch.Policies
	Router      *dispatch.Service
	Ingestion   *ingestion.Service
	Outbound    *outbound.Service
	// Returns runs returns and claims (package returns).
	Returns *returns.Service
	Holds   *holds.Service
	// ReturnLabels issues return labels (package returns).
	ReturnLabels *returns.Labels
	// Refunds grants refunds and makes exchanges and claims (package returns).
	Refunds *returns.Refunds
	// Webhooks registers partners' endpoints and delivers them the event log (package webhooks).
	Webhooks *webhooks.Service
	// Notifications previews customers' notifications and sets their preferences, resends and
	// channels' branding (package notifications).
	Notifications *notifications.Service
	// Staff are the console's users (package staff).
	StaffAccounts *staffusers.Service
	// Customers merges and unmerges customers (graph/customers.graphqls).
	Customers *customers.Service
	// Listings maps channels' listings to variants and keeps the review queue (package listings).
	Listings *listings.Service
	// Imports runs and follows imports (package imports).
	Imports *imports.Service

	actors *actorNames
}

// NewSchema returns the executable schema over r.
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	r.actors = &actorNames{r: r}
	return generated.NewExecutableSchema(generated.Config{Resolvers: r})
}
