package staff_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
)

func TestDevelopmentAdmin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := system()
		s, _ := newService(db)
		key := []byte("a secret key of this store")

		email, pw, ok, err := s.DevelopmentAdmin(ctx, key)
		require.NoError(t, err)
		require.True(t, ok, "a store with no staff user gets the development admin")
		require.Equal(t, "admin@example.com", email)
		require.Len(t, pw, 16)
		_, err = s.SignIn(ctx, email, pw, "10.0.0.9", "test")
		require.NoError(t, err, "the printed password signs in")

		_, again, ok, err := s.DevelopmentAdmin(ctx, key)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, pw, again, "the same password on every start")
		_, other, ok, err := s.DevelopmentAdmin(ctx, []byte("another secret key"))
		require.NoError(t, err)
		require.False(t, ok, "under another secret key the stored hash does not match: nothing to print")
		require.NotEqual(t, pw, other)

		u, err := s.ByEmail(ctx, email)
		require.NoError(t, err)
		require.NoError(t, s.SetPassword(ctx, u.ID, "a password of my own"))
		_, _, ok, err = s.DevelopmentAdmin(ctx, key)
		require.NoError(t, err)
		require.False(t, ok, "a changed password is not printed")
		n, err := s.Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n, "no second admin is made")
	})
}
