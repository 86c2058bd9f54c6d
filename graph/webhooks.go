package graph

import (
	"time"

	"entgo.io/contrib/entgql"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/graph/model"
	"github.com/ordo-oms/ordo/webhooks"
)

// newestFirst orders an endpoint's deliveries: the last attempts are what an admin looking into a
// failing endpoint wants to see (attempt ids are ULIDs, so their order is their creation's).
var newestFirst = &ent.WebhookAttemptOrder{Direction: entgql.OrderDirectionDesc, Field: ent.DefaultWebhookAttemptOrder.Field}

// endpointInput translates createWebhookEndpoint's input.
func endpointInput(in model.CreateWebhookEndpointInput) webhooks.EndpointInput {
	out := webhooks.EndpointInput{URL: in.URL, EventTypes: in.EventTypes}
	if in.Description != nil {
		out.Description = *in.Description
	}
	return out
}

// endpointUpdate translates updateWebhookEndpoint's input: a field sent changes, one omitted does
// not (an empty list of event types is sent: it means all of them).
func endpointUpdate(in model.UpdateWebhookEndpointInput) webhooks.EndpointUpdate {
	out := webhooks.EndpointUpdate{URL: in.URL, Description: in.Description}
	if in.EventTypes != nil {
		out.EventTypes = &in.EventTypes
	}
	return out
}

// overlap is a rotation's overlap; omitted, it is zero, which Service.Rotate takes as its default.
func overlap(seconds *int) time.Duration {
	if seconds == nil {
		return 0
	}
	return time.Duration(*seconds) * time.Second
}
