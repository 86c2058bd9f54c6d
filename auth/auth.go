// Package auth knows who is calling: API keys (stored as SHA-256 hashes, never in clear), their roles
// and bindings (a storefront key's customer, a partner key's locations), the Viewer that every
// request carries in its context, the row scoping that follows from it (scope.go), and the news of
// revoked keys that open connections listen for (revocation.go).
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/apikey"
	"github.com/ordo-oms/ordo/ent/location"
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
	// CustomerID is set for storefront keys bound to one customer; an unbound storefront key places
	// guest orders.
	CustomerID *pulid.ID
	// LocationIDs are the locations a partner key serves: it sees and acts on orders and stock there
	// only. A partner key with none sees nothing.
	LocationIDs []pulid.ID
	// StaffID is set when a staff user signed in to the console; KeyID is then their session's id,
	// so that signing out closes the session's websockets as revoking a key does.
	StaffID pulid.ID
}

// Serves says whether the viewer may act at a location: a partner only at the locations it is bound
// to, other viewers wherever their role allows.
func (v Viewer) Serves(location pulid.ID) bool {
	return v.Role != Partner || slices.Contains(v.LocationIDs, location)
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

// Actor names the viewer in ctx for the ledger and the event log: a staff user's id, an API key's
// id, or the name of a system viewer.
func Actor(ctx context.Context) string {
	v, ok := FromContext(ctx)
	if !ok {
		return "system"
	}
	if v.StaffID != "" {
		return string(v.StaffID)
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

// Binding narrows what a key acts on: a storefront key's one customer, a partner key's locations.
type Binding struct {
	CustomerID  *pulid.ID
	LocationIDs []pulid.ID
}

// Create makes a new key, bound to customerID when it is a storefront's, and returns its record
// and its secret; the secret is not stored and cannot be shown again. A partner key made here is
// bound to no location, so it sees no orders and no stock: CreateBound binds one.
func (k Keys) Create(ctx context.Context, name string, role Role, customerID *pulid.ID) (*ent.APIKey, string, error) {
	return k.create(ctx, name, role, Binding{CustomerID: customerID})
}

// CreateBound is Create with any binding, as the API and the CLI make keys: a storefront key may be
// bound to a customer; a partner key must be bound to the locations it serves (each must exist);
// other keys are not bound.
func (k Keys) CreateBound(ctx context.Context, name string, role Role, b Binding) (*ent.APIKey, string, error) {
	if role == Partner && len(b.LocationIDs) == 0 {
		return nil, "", fault.New(fault.InvalidArgument, "a partner key needs the locations it serves (locationIDs)")
	}
	return k.create(ctx, name, role, b)
}

func (k Keys) create(ctx context.Context, name string, role Role, b Binding) (*ent.APIKey, string, error) {
	customerID := b.CustomerID
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
	if len(b.LocationIDs) > 0 {
		if role != Partner {
			return nil, "", fault.New(fault.InvalidArgument, "only partner keys are bound to locations")
		}
		if err := k.checkLocations(ctx, b.LocationIDs); err != nil {
			return nil, "", err
		}
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", fmt.Errorf("generate key: %w", err)
	}
	secret := keyPrefix + base64.RawURLEncoding.EncodeToString(raw)
	rec, err := k.Client.APIKey.Create().
		SetName(name).SetRole(role).SetHash(hash(secret)).SetNillableCustomerID(customerID).
		SetLocationIds(ids(b.LocationIDs)).Save(ctx)
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

// checkLocations refuses an empty, malformed, repeated or unknown location id.
func (k Keys) checkLocations(ctx context.Context, locs []pulid.ID) error {
	for i, id := range locs {
		if err := id.Validate("loc"); err != nil {
			return fault.New(fault.InvalidArgument, "locationIDs: %v", err)
		}
		if slices.Contains(locs[:i], id) {
			return fault.New(fault.InvalidArgument, "locationIDs: %s is named twice", id)
		}
	}
	n, err := k.Client.Location.Query().Where(location.IDIn(locs...)).Count(ctx)
	if err != nil {
		return fmt.Errorf("look up locations: %w", err)
	}
	if n != len(locs) {
		return fault.New(fault.NotFound, "locationIDs: some of %v do not exist", locs)
	}
	return nil
}

// maxBatch bounds the ids of one lookup (SQLite and PostgreSQL both cap bound parameters).
const maxBatch = 500

// Revoked returns those of keys that are revoked or do not exist, for Revocations.
func (k Keys) Revoked(ctx context.Context, keys []pulid.ID) ([]pulid.ID, error) {
	var out []pulid.ID
	for len(keys) > 0 {
		batch := keys[:min(len(keys), maxBatch)]
		keys = keys[len(batch):]
		live, err := k.Client.APIKey.Query().Where(apikey.IDIn(batch...), apikey.RevokedAtIsNil()).IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("look up revoked keys: %w", err)
		}
		for _, id := range batch {
			if !slices.Contains(live, id) {
				out = append(out, id)
			}
		}
	}
	return out, nil
}

// ViewerOf turns a key record into the viewer it authenticates.
func ViewerOf(rec *ent.APIKey) Viewer {
	v := Viewer{KeyID: rec.ID, Name: rec.Name, Role: rec.Role, CustomerID: rec.CustomerID}
	for _, id := range rec.LocationIds {
		v.LocationIDs = append(v.LocationIDs, pulid.ID(id))
	}
	return v
}

// ids is the stored form of a list of ids.
func ids(in []pulid.ID) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, len(in))
	for i, id := range in {
		out[i] = string(id)
	}
	return out
}

// hash is the stored form of a secret. Keys carry 192 random bits, so a fast hash is enough.
func hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
