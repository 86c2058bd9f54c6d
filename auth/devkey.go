package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/apikey"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// DevelopmentKeyName names the one development admin key of a store.
const DevelopmentKeyName = "development admin (ordo serve --dev)"

// DevelopmentAdmin returns the store's development admin key and its secret, creating the key on
// first use, so that `ordo serve --dev` prints the same key on every start instead of minting new
// ones. The secret is derived from secretKey (ORDO_SECRET_KEY, or the public development key) and
// the key's id; only its hash is stored, as for any key. When secretKey changed since the key was
// made, the old key is revoked and a new one takes its place. Revoking the key (by its id) ends
// it; the next start makes another.
func (k Keys) DevelopmentAdmin(ctx context.Context, secretKey []byte) (*ent.APIKey, string, error) {
	rec, err := k.Client.APIKey.Query().
		Where(apikey.Name(DevelopmentKeyName), apikey.RevokedAtIsNil()).
		Order(ent.Asc(apikey.FieldCreatedAt), ent.Asc(apikey.FieldID)).
		First(ctx)
	switch {
	case ent.IsNotFound(err):
	case err != nil:
		return nil, "", fmt.Errorf("development key: %w", err)
	default:
		secret := developmentSecret(secretKey, rec.ID)
		if hmac.Equal([]byte(rec.Hash), []byte(hash(secret))) {
			return rec, secret, nil
		}
		if err := k.Revoke(ctx, rec.ID); err != nil {
			return nil, "", fmt.Errorf("development key made under another secret key: %w", err)
		}
	}
	id := pulid.New("key")
	secret := developmentSecret(secretKey, id)
	rec, err = k.Client.APIKey.Create().SetID(id).SetName(DevelopmentKeyName).SetRole(Admin).SetHash(hash(secret)).Save(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("development key: %w", err)
	}
	return rec, secret, nil
}

func developmentSecret(secretKey []byte, id pulid.ID) string {
	m := hmac.New(sha256.New, secretKey)
	m.Write([]byte("ordo development admin key\x00" + string(id)))
	return keyPrefix + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:24])
}
