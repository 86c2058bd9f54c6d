// Package registry opens the adapter of any carrier kind: the one place that knows every carrier
// package, so that the rest of Ordo depends on the shipping contracts only.
package registry

import (
	"fmt"
	"net/http"

	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/aftership"
	"github.com/ordo-oms/ordo/shipping/easypost"
	"github.com/ordo-oms/ordo/shipping/jnt"
	"github.com/ordo-oms/ordo/shipping/ninjavan"
)

// Open returns the carrier (rates, labels, cancellations, tracking) for an account of a kind that
// books labels (EASYPOST, NINJAVAN), calling it through hc (nil: the default client). An account
// missing what its adapter needs, or of another kind, is an error wrapping shipping.ErrAccount.
func Open(a shipping.Account, hc *http.Client) (shipping.Carrier, error) {
	switch a.Kind {
	case shipping.EasyPost:
		return easypost.NewClient(a, hc)
	case shipping.NinjaVan:
		return ninjavan.NewClient(a, hc)
	}
	return nil, fmt.Errorf("%w: no label carrier of kind %q", shipping.ErrAccount, a.Kind)
}

// Tracker returns what pulls tracking for an account of a kind that serves it (EASYPOST,
// AFTERSHIP), for parcels whose carrier does not push.
func Tracker(a shipping.Account, hc *http.Client) (shipping.Tracker, error) {
	switch a.Kind {
	case shipping.EasyPost:
		return easypost.NewClient(a, hc)
	case shipping.AfterShip:
		return aftership.NewClient(a, hc)
	}
	return nil, fmt.Errorf("%w: no tracking pull for kind %q", shipping.ErrAccount, a.Kind)
}

// Source returns the verifier and reader of an account's tracking webhooks (EASYPOST, AFTERSHIP
// and JNT with the account's WebhookSecret, NINJAVAN with its ClientSecret). Sources that
// implement shipping.Acknowledger (JNT) want their answer sent back. An account
// without its secret is an error wrapping shipping.ErrAccount: a webhook must never be taken
// unverified.
func Source(a shipping.Account) (shipping.TrackingSource, error) {
	var src shipping.TrackingSource
	secret := a.WebhookSecret
	switch a.Kind {
	case shipping.EasyPost:
		src = easypost.Webhooks{Secret: secret}
	case shipping.AfterShip:
		src = aftership.Webhooks{Secret: secret}
	case shipping.NinjaVan:
		secret = a.ClientSecret
		src = ninjavan.Webhooks{Secret: secret}
	case shipping.JNT:
		src = jnt.Webhooks{PrivateKey: secret}
	default:
		return nil, fmt.Errorf("%w: no tracking webhooks for kind %q", shipping.ErrAccount, a.Kind)
	}
	if secret == "" {
		return nil, fmt.Errorf("%w: %s webhooks need the account's secret", shipping.ErrAccount, a.Kind)
	}
	return src, nil
}
