package events

// The kinds of partner webhook events. They concern an endpoint, not an order: the event's ids are
// empty, and the payload names the endpoint.
const (
	KindWebhookEndpointDisabled = "webhook.endpoint_disabled"
	KindWebhookEndpointEnabled  = "webhook.endpoint_enabled"
)

// WebhookEndpointDisabled records an endpoint that stopped getting events: it answered 410, failed
// for longer than the retry schedule, or an admin disabled it.
type WebhookEndpointDisabled struct {
	EndpointID string `json:"endpointID"`
	URL        string `json:"url"`
	Reason     string `json:"reason"`
}

// WebhookEndpointEnabled records an endpoint enabled again by an admin: it resumes from its cursor.
type WebhookEndpointEnabled struct {
	EndpointID string `json:"endpointID"`
	URL        string `json:"url"`
}

// Kind implements Payload.
func (WebhookEndpointDisabled) Kind() string { return KindWebhookEndpointDisabled }

// Kind implements Payload.
func (WebhookEndpointEnabled) Kind() string { return KindWebhookEndpointEnabled }
