package webhooks

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/webhookendpoint"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// EndpointInput registers an endpoint. EventTypes empty means every type of the catalogue.
type EndpointInput struct {
	URL, Description string
	EventTypes       []string
}

// EndpointUpdate changes an endpoint; nil fields are left as they are.
type EndpointUpdate struct {
	URL, Description *string
	EventTypes       *[]string
}

// DefaultOverlap is how long the secret before a rotation keeps signing deliveries when the
// rotation names no overlap.
const DefaultOverlap = 24 * time.Hour

// maxDescription bounds an endpoint's description, in characters.
const maxDescription = 500

// Create registers an endpoint and returns it with its signing secret (whsec_…), which is shown
// this once. It gets the events committed from now on.
func (s *Service) Create(ctx context.Context, in EndpointInput) (*ent.WebhookEndpoint, string, error) {
	u, err := checkURL(ctx, in.URL, s.AllowPrivate)
	if err != nil {
		return nil, "", err
	}
	if err := checkDescription(in.Description); err != nil {
		return nil, "", err
	}
	kinds, err := checkTypes(in.EventTypes)
	if err != nil {
		return nil, "", err
	}
	id := pulid.New("whe")
	secret := NewSecret()
	sealed, err := s.seal(id, secret)
	if err != nil {
		return nil, "", err
	}
	head, err := s.head(ctx)
	if err != nil {
		return nil, "", err
	}
	ep, err := s.DB.Client.WebhookEndpoint.Create().SetID(id).SetURL(u).SetDescription(in.Description).
		SetEventTypes(kinds).SetSecret(sealed).SetCursorTxid(head.TxID).SetCursorEventID(head.ID).
		SetCreatedBy(auth.Actor(ctx)).Save(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("create webhook endpoint: %w", err)
	}
	s.endpointsChanged()
	return ep, secret, nil
}

// Update changes an endpoint's URL, description or event types; the dispatcher picks the change up
// at its next batch.
func (s *Service) Update(ctx context.Context, id pulid.ID, in EndpointUpdate) (*ent.WebhookEndpoint, error) {
	if _, err := s.get(ctx, id); err != nil {
		return nil, err
	}
	up := s.DB.Client.WebhookEndpoint.UpdateOneID(id)
	if in.URL != nil {
		u, err := checkURL(ctx, *in.URL, s.AllowPrivate)
		if err != nil {
			return nil, err
		}
		// A new URL is tried at once: an admin who fixed a failing endpoint's address wants to
		// know now, not at the failing head's next turn.
		up.SetURL(u).ClearNextAttemptAt()
	}
	if in.Description != nil {
		if err := checkDescription(*in.Description); err != nil {
			return nil, err
		}
		up.SetDescription(*in.Description)
	}
	if in.EventTypes != nil {
		kinds, err := checkTypes(*in.EventTypes)
		if err != nil {
			return nil, err
		}
		up.SetEventTypes(kinds)
	}
	ep, err := up.Save(ctx)
	if ent.IsNotFound(err) {
		return nil, notFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("update webhook endpoint: %w", err)
	}
	s.Wake() // its dispatcher reloads it
	return ep, nil
}

// Enable enables a disabled endpoint: it resumes from its cursor (the event it stopped at), its
// failure count reset. Enabling an enabled endpoint changes nothing.
func (s *Service) Enable(ctx context.Context, id pulid.ID) (*ent.WebhookEndpoint, error) {
	if err := id.Validate("whe"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "endpointID: %v", err)
	}
	var ep *ent.WebhookEndpoint
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		n, err := tx.WebhookEndpoint.Update().
			Where(webhookendpoint.ID(id), webhookendpoint.StatusEQ(webhookendpoint.StatusDISABLED)).
			SetStatus(webhookendpoint.StatusENABLED).SetAttempt(0).ClearNextAttemptAt().ClearFailingSince().
			ClearDisabledAt().SetDisabledReason("").Save(ctx)
		if err != nil {
			return fmt.Errorf("enable webhook endpoint: %w", err)
		}
		ep, err = tx.WebhookEndpoint.Get(ctx, id)
		if ent.IsNotFound(err) {
			return notFound(id)
		}
		if err != nil || n == 0 {
			return err
		}
		return events.Append(ctx, tx, events.Event{Actor: auth.Actor(ctx),
			Payload: events.WebhookEndpointEnabled{EndpointID: string(id), URL: ep.URL}})
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	s.endpointsChanged()
	return ep, nil
}

// Disable stops deliveries to an endpoint until it is enabled again; its cursor stays where it
// is. Disabling a disabled endpoint changes nothing.
func (s *Service) Disable(ctx context.Context, id pulid.ID, reason string) (*ent.WebhookEndpoint, error) {
	if err := id.Validate("whe"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "endpointID: %v", err)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		reason = "disabled by " + auth.Actor(ctx)
	}
	if utf8.RuneCountInString(reason) > maxDescription {
		return nil, fault.New(fault.InvalidArgument, "reason: at most %d characters", maxDescription)
	}
	var ep *ent.WebhookEndpoint
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		if _, err := disable(ctx, tx, id, reason, s.now(), auth.Actor(ctx)); err != nil {
			return err
		}
		var err error
		ep, err = tx.WebhookEndpoint.Get(ctx, id)
		if ent.IsNotFound(err) {
			return notFound(id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	s.endpointsChanged()
	return ep, nil
}

// disable disables an enabled endpoint in tx and records it; it reports whether the endpoint was
// enabled.
func disable(ctx context.Context, tx *ent.Tx, id pulid.ID, reason string, now time.Time, actor string) (bool, error) {
	n, err := tx.WebhookEndpoint.Update().
		Where(webhookendpoint.ID(id), webhookendpoint.StatusEQ(webhookendpoint.StatusENABLED)).
		SetStatus(webhookendpoint.StatusDISABLED).SetDisabledReason(reason).SetDisabledAt(now).ClearNextAttemptAt().
		Save(ctx)
	if err != nil {
		return false, fmt.Errorf("disable webhook endpoint: %w", err)
	}
	if n == 0 {
		return false, nil
	}
	url, err := tx.WebhookEndpoint.Query().Where(webhookendpoint.ID(id)).Select(webhookendpoint.FieldURL).String(ctx)
	if err != nil {
		return false, fmt.Errorf("disable webhook endpoint: %w", err)
	}
	return true, events.Append(ctx, tx, events.Event{Actor: actor,
		Payload: events.WebhookEndpointDisabled{EndpointID: string(id), URL: url, Reason: reason}})
}

// Delete removes an endpoint and its attempts; its deliveries stop.
func (s *Service) Delete(ctx context.Context, id pulid.ID) error {
	if err := id.Validate("whe"); err != nil {
		return fault.New(fault.InvalidArgument, "endpointID: %v", err)
	}
	err := s.DB.Client.WebhookEndpoint.DeleteOneID(id).Exec(ctx)
	if ent.IsNotFound(err) {
		return notFound(id)
	}
	if err != nil {
		return fmt.Errorf("delete webhook endpoint: %w", err)
	}
	s.endpointsChanged()
	return nil
}

// Rotate gives an endpoint a new signing secret, returned this once; deliveries are signed with
// both the new and the old secret until now + overlap (zero: DefaultOverlap), so that the receiver
// can switch at its own pace.
func (s *Service) Rotate(ctx context.Context, id pulid.ID, overlap time.Duration) (*ent.WebhookEndpoint, string, error) {
	if overlap < 0 || overlap > 30*24*time.Hour {
		return nil, "", fault.New(fault.InvalidArgument, "overlap: between 0 and 30 days")
	}
	if overlap == 0 {
		overlap = DefaultOverlap
	}
	ep, err := s.get(ctx, id)
	if err != nil {
		return nil, "", err
	}
	secret := NewSecret()
	sealed, err := s.seal(id, secret)
	if err != nil {
		return nil, "", err
	}
	// The guard on the secret read makes two rotations at once one rotation and one conflict,
	// rather than two that both keep the first secret as the previous one.
	n, err := s.DB.Client.WebhookEndpoint.Update().
		Where(webhookendpoint.ID(id), func(q *entsql.Selector) { q.Where(entsql.EQ(q.C(webhookendpoint.FieldSecret), ep.Secret)) }).
		SetSecret(sealed).SetPreviousSecret(ep.Secret).SetPreviousSecretExpiresAt(s.now().Add(overlap)).Save(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("rotate webhook secret: %w", err)
	}
	if n == 0 {
		return nil, "", fault.New(fault.Conflict, "the endpoint's secret was rotated at the same time; rotate again")
	}
	ep, err = s.get(ctx, id)
	if err != nil {
		return nil, "", err
	}
	return ep, secret, nil
}

func (s *Service) get(ctx context.Context, id pulid.ID) (*ent.WebhookEndpoint, error) {
	if err := id.Validate("whe"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "endpointID: %v", err)
	}
	ep, err := s.DB.Client.WebhookEndpoint.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, notFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("load webhook endpoint: %w", err)
	}
	return ep, nil
}

func notFound(id pulid.ID) error {
	return fault.New(fault.NotFound, "no webhook endpoint %s", id)
}

func checkDescription(d string) error {
	if utf8.RuneCountInString(d) > maxDescription {
		return fault.New(fault.InvalidArgument, "description: at most %d characters", maxDescription)
	}
	return nil
}

// seal seals a secret for one endpoint: a sealed secret copied onto another endpoint does not open.
func (s *Service) seal(id pulid.ID, secret string) ([]byte, error) {
	if s.Vault == nil {
		return nil, fault.New(fault.Internal, "webhooks are not configured (no vault)")
	}
	return s.Vault.Seal([]byte(secret), string(id))
}

// keys are the keys that sign an endpoint's deliveries at now: its secret's, and the previous
// one's while it has not expired.
func (s *Service) keys(ep *ent.WebhookEndpoint, now time.Time) ([][]byte, error) {
	if s.Vault == nil {
		return nil, fault.New(fault.Internal, "webhooks are not configured (no vault)")
	}
	sealed := [][]byte{ep.Secret}
	if ep.PreviousSecret != nil && ep.PreviousSecretExpiresAt != nil && ep.PreviousSecretExpiresAt.After(now) {
		sealed = append(sealed, *ep.PreviousSecret)
	}
	out := make([][]byte, 0, len(sealed))
	for _, b := range sealed {
		plain, err := s.Vault.Open(b, string(ep.ID))
		if err != nil {
			return nil, fmt.Errorf("webhook endpoint %s: secret: %w", ep.ID, err)
		}
		key, err := ParseSecret(string(plain))
		if err != nil {
			return nil, fmt.Errorf("webhook endpoint %s: %w", ep.ID, err)
		}
		out = append(out, key)
	}
	return out, nil
}

// head is the position of the newest settled event (as events.Hub.Head reads it): a new endpoint
// gets every event committed after it.
func (s *Service) head(ctx context.Context) (events.Position, error) {
	e, err := s.DB.Client.Event.Query().Where(s.DB.SettledEvents()).
		Order(event.ByTxid(entsql.OrderDesc()), event.ByID(entsql.OrderDesc())).First(ctx)
	switch {
	case ent.IsNotFound(err):
		return events.Position{}, nil
	case err != nil:
		return events.Position{}, fmt.Errorf("event log head: %w", err)
	}
	return events.PositionOf(e), nil
}
