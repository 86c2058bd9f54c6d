package auth_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
)

func TestDevelopmentAdminIsOneKeyPerStore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		keys := auth.Keys{Client: db.Client}
		secretKey := []byte("a secret key of 32 bytes, for me")
		rec, secret, err := keys.DevelopmentAdmin(ctx, secretKey)
		require.NoError(t, err)
		v, err := keys.Authenticate(ctx, secret)
		require.NoError(t, err)
		require.Equal(t, auth.Admin, v.Role)
		require.Equal(t, rec.ID, v.KeyID)

		again, secret2, err := keys.DevelopmentAdmin(ctx, secretKey)
		require.NoError(t, err)
		require.Equal(t, rec.ID, again.ID, "a restart reuses the key")
		require.Equal(t, secret, secret2)
		n, err := db.Client.APIKey.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n, "and mints none")

		other, secret3, err := keys.DevelopmentAdmin(ctx, []byte("another secret key, 32 bytes....")) // ORDO_SECRET_KEY changed
		require.NoError(t, err)
		require.NotEqual(t, rec.ID, other.ID)
		require.NotEqual(t, secret, secret3)
		_, err = keys.Authenticate(ctx, secret)
		require.Error(t, err, "the old key is revoked")
		_, err = keys.Authenticate(ctx, secret3)
		require.NoError(t, err)
	})
}
