// Package auth knows who is calling: API keys (stored as SHA-256 hashes, never in clear), their roles,
// and the Viewer that every request carries in its context.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/apikey"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

// Role is what a key may do; the policy per role is in graph/access.go.
type Role = apikey.Role

// The roles.
const (
	Admin      = apikey.RoleADMIN
	Operator   = apikey.RoleOPERATOR
	Support    = apikey.RoleSUPPORT
	Storefront = apikey.RoleSTOREFRONT
	Partner    = apikey.RolePARTNER
)

// Viewer is the caller of a request, resolved from its API key.
type Viewer struct {
	KeyID pulid.ID
	Name  string
	Role  Role
	// CustomerID is set for storefront keys bound to one customer.
	CustomerID *pulid.ID
}

type viewerKey struct{}

// NewContext returns ctx carrying v.
func NewContext(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// FromContext returns the viewer of the request, if it was authenticated.
func FromContext(ctx context.Context) (Viewer, bool) {
	v, ok := ctx.Value(viewerKey{}).(Viewer)
	return v, ok
}

// System is the viewer of work Ordo does on its own (seeding, background jobs, the CLI).
var System = Viewer{Name: "system", Role: Admin}

// Actor names the viewer in ctx for the ledger and the event log.
func Actor(ctx context.Context) string {
	v, ok := FromContext(ctx)
	if !ok {
		return "system"
	}
	if v.KeyID == "" {
		return v.Name
	}
	return string(v.KeyID)
}

// keyPrefix starts every secret so that leaked keys are easy to recognise and scan for.
const keyPrefix = "ordo_"

// Keys creates and checks API keys.
type Keys struct{ Client *ent.Client }

// Create makes a new key and returns its record and its secret; the secret is not stored and cannot
// be shown again.
func (k Keys) Create(ctx context.Context, name string, role Role, customerID *pulid.ID) (*ent.APIKey, string, error) {
	if strings.TrimSpace(name) == "" {
		return nil, "", fault.New(fault.InvalidArgument, "a key needs a name")
	}
	if err := apikey.RoleValidator(role); err != nil {
		return nil, "", fault.New(fault.InvalidArgument, "unknown role %q", role)
	}
	if customerID != nil {
		if role != Storefront {
			return nil, "", fault.New(fault.InvalidArgument, "only storefront keys are bound to a customer")
		}
		if err := customerID.Validate("cus"); err != nil {
			return nil, "", fault.New(fault.InvalidArgument, "customerID: %v", err)
		}
		if _, err := k.Client.Customer.Get(ctx, *customerID); err != nil {
			return nil, "", fault.New(fault.NotFound, "customer %s not found", *customerID)
		}
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", fmt.Errorf("generate key: %w", err)
	}
	secret := keyPrefix + base64.RawURLEncoding.EncodeToString(raw)
	rec, err := k.Client.APIKey.Create().
		SetName(name).SetRole(role).SetHash(hash(secret)).SetNillableCustomerID(customerID).
		Save(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("store key: %w", err)
	}
	return rec, secret, nil
}

// Authenticate returns the viewer for a secret, or an UNAUTHENTICATED fault.
func (k Keys) Authenticate(ctx context.Context, secret string) (Viewer, error) {
	if !strings.HasPrefix(secret, keyPrefix) {
		return Viewer{}, fault.New(fault.Unauthenticated, "invalid API key")
	}
	rec, err := k.Client.APIKey.Query().Where(apikey.Hash(hash(secret)), apikey.RevokedAtIsNil()).Only(ctx)
	if ent.IsNotFound(err) {
		return Viewer{}, fault.New(fault.Unauthenticated, "invalid API key")
	}
	if err != nil {
		return Viewer{}, fmt.Errorf("look up key: %w", err)
	}
	return ViewerOf(rec), nil
}

// Revoke disables a key at once.
func (k Keys) Revoke(ctx context.Context, id pulid.ID) error {
	n, err := k.Client.APIKey.Update().Where(apikey.ID(id), apikey.RevokedAtIsNil()).SetRevokedAt(time.Now().UTC()).Save(ctx)
	if err != nil {
		return fmt.Errorf("revoke key: %w", err)
	}
	if n == 0 {
		return fault.New(fault.NotFound, "API key %s not found or already revoked", id)
	}
	return nil
}

// ViewerOf turns a key record into the viewer it authenticates.
func ViewerOf(rec *ent.APIKey) Viewer {
	return Viewer{KeyID: rec.ID, Name: rec.Name, Role: rec.Role, CustomerID: rec.CustomerID}
}

// hash is the stored form of a secret. Keys carry 192 random bits, so a fast hash is enough.
func hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
