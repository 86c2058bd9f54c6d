package database_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
)

func TestMigrateTwiceIsHarmless(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		require.NoError(t, db.Migrate(context.Background()))
		n, err := db.Client.Order.Query().Count(context.Background())
		require.NoError(t, err)
		require.Zero(t, n)
	})
}
