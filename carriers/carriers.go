// Package carriers holds Ordo's accounts with carriers and tracking aggregators (EasyPost, Ninja
// Van, AfterShip, J&T): their sealed credentials, opening an account's adapter (package shipping's
// contract), the source that verifies and reads its tracking webhooks, and the URL those webhooks
// come to. It is to carriers what package connections is to channels.
package carriers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/carrieraccount"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/registry"
	"github.com/ordo-oms/ordo/vault"
)

// Service opens carrier accounts.
type Service struct {
	DB *database.DB
	// Vault seals the credentials; nil: carriers cannot be connected.
	Vault *vault.Vault
	// PublicURL is Ordo's address as carriers reach it, e.g. https://oms.example.com.
	PublicURL string
	// HTTP calls the carriers; nil means a client with a 30 s timeout.
	HTTP *http.Client
}

// Secrets are a carrier account's credentials, sealed at rest.
type Secrets struct {
	APIKey        string `json:"apiKey,omitempty"`
	ClientID      string `json:"clientID,omitempty"`
	ClientSecret  string `json:"clientSecret,omitempty"`
	WebhookSecret string `json:"webhookSecret,omitempty"`
	CountryCode   string `json:"countryCode,omitempty"`
}

// ConnectInput connects an account with a carrier.
type ConnectInput struct {
	Kind    carrieraccount.Kind
	Name    string
	BaseURL string
	Secrets Secrets
	// ScanGapHours is how long a shipment may go without a scan before it is late-risk; 0: 48.
	ScanGapHours int
}

// Connect stores a carrier account after checking that its adapter opens with these credentials.
func (s *Service) Connect(ctx context.Context, in ConnectInput) (*ent.CarrierAccount, error) {
	if err := carrieraccount.KindValidator(in.Kind); err != nil {
		return nil, fault.New(fault.InvalidArgument, "kind: %v", err)
	}
	if strings.TrimSpace(in.Name) == "" || len(in.Name) > 100 {
		return nil, fault.New(fault.InvalidArgument, "name: must be 1 to 100 characters")
	}
	if in.BaseURL != "" && !strings.HasPrefix(in.BaseURL, "https://") && !strings.HasPrefix(in.BaseURL, "http://") {
		return nil, fault.New(fault.InvalidArgument, "baseURL: must be an http(s) URL")
	}
	if in.ScanGapHours < 0 || in.ScanGapHours > 24*30 {
		return nil, fault.New(fault.InvalidArgument, "scanGapHours: must be between 1 and 720")
	}
	if s == nil || s.Vault == nil {
		return nil, fault.New(fault.Internal, "carrier accounts are not configured (no vault)")
	}
	a := account(in.Kind, in.BaseURL, in.Secrets)
	if err := check(a); err != nil {
		return nil, err
	}
	id := pulid.New("car")
	sealed, err := s.seal(id, in.Secrets)
	if err != nil {
		return nil, err
	}
	c := s.DB.Client.CarrierAccount.Create().SetID(id).SetKind(in.Kind).SetName(in.Name).SetBaseURL(in.BaseURL).SetCredentials(sealed)
	if in.ScanGapHours > 0 {
		c.SetScanGapHours(in.ScanGapHours)
	}
	return c.Save(ctx)
}

// check opens the adapters an account of a's kind has, refusing credentials they cannot work with.
func check(a shipping.Account) error {
	var err error
	switch a.Kind {
	case shipping.EasyPost, shipping.NinjaVan:
		_, err = registry.Open(a, nil)
	case shipping.AfterShip:
		_, err = registry.Tracker(a, nil)
	}
	if err == nil {
		_, err = registry.Source(a)
	}
	if err != nil {
		return fault.New(fault.InvalidArgument, "credentials: %v", err)
	}
	return nil
}

func account(k carrieraccount.Kind, baseURL string, sec Secrets) shipping.Account {
	return shipping.Account{Kind: shipping.CarrierKind(k), BaseURL: baseURL, APIKey: sec.APIKey, ClientID: sec.ClientID,
		ClientSecret: sec.ClientSecret, WebhookSecret: sec.WebhookSecret, CountryCode: sec.CountryCode}
}

// Account opens an account's sealed credentials.
func (s *Service) Account(acc *ent.CarrierAccount) (shipping.Account, error) {
	if s == nil || s.Vault == nil {
		return shipping.Account{}, fault.New(fault.Internal, "carrier accounts are not configured (no vault)")
	}
	plain, err := s.Vault.Open(acc.Credentials, string(acc.ID))
	if err != nil {
		return shipping.Account{}, fmt.Errorf("carrier account %s: %w", acc.ID, err)
	}
	var sec Secrets
	if err := json.Unmarshal(plain, &sec); err != nil {
		return shipping.Account{}, fmt.Errorf("carrier account %s: credentials: %w", acc.ID, err)
	}
	return account(acc.Kind, acc.BaseURL, sec), nil
}

func (s *Service) seal(id pulid.ID, sec Secrets) ([]byte, error) {
	plain, err := json.Marshal(sec)
	if err != nil {
		return nil, err
	}
	return s.Vault.Seal(plain, string(id))
}

// Get loads an active carrier account.
func (s *Service) Get(ctx context.Context, id pulid.ID) (*ent.CarrierAccount, error) {
	if err := id.Validate("car"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "carrierAccountID: %v", err)
	}
	acc, err := s.DB.Client.CarrierAccount.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "carrier account %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load carrier account: %w", err)
	}
	if !acc.Active {
		return nil, fault.New(fault.Conflict, "carrier account %s is disabled", id)
	}
	return acc, nil
}

// Carrier opens the adapter that buys labels from an account (EasyPost, Ninja Van).
func (s *Service) Carrier(acc *ent.CarrierAccount) (shipping.Carrier, error) {
	a, err := s.Account(acc)
	if err != nil {
		return nil, err
	}
	c, err := registry.Open(a, s.client())
	if err != nil {
		return nil, fault.New(fault.Conflict, "carrier account %s cannot buy labels: %v", acc.ID, err)
	}
	return c, nil
}

// Tracker opens the adapter that pulls an account's tracking (EasyPost, AfterShip).
func (s *Service) Tracker(acc *ent.CarrierAccount) (shipping.Tracker, error) {
	a, err := s.Account(acc)
	if err != nil {
		return nil, err
	}
	return registry.Tracker(a, s.client())
}

// Source opens what verifies and reads an account's tracking webhooks.
func (s *Service) Source(acc *ent.CarrierAccount) (shipping.TrackingSource, error) {
	a, err := s.Account(acc)
	if err != nil {
		return nil, err
	}
	return registry.Source(a)
}

// WebhookEndpoint is where a carrier must send an account's tracking webhooks.
func (s *Service) WebhookEndpoint(acc *ent.CarrierAccount) string {
	return strings.TrimSuffix(s.PublicURL, "/") + "/webhooks/carriers/" + string(acc.ID)
}

var defaultClient = &http.Client{Timeout: 30 * time.Second}

func (s *Service) client() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	return defaultClient
}
