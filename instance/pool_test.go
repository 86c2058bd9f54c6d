package instance_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/instance"
	"github.com/ordo-oms/ordo/inventory"
)

// TestConnectionsStayWithinTheConfiguredPool runs a whole Ordo process (event hub LISTENing, River's
// job queue, the outbound relay holding its lock) on PostgreSQL with ORDO_DB_MAX_CONNS=3 under a
// burst of concurrent stock commands, and counts its connections on the server the whole time:
// never more than the pool plus the one LISTEN connection.
func TestConnectionsStayWithinTheConfiguredPool(t *testing.T) {
	const maxConns = 3
	dbURL := dbtest.PostgresURL(t)
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	dbName := strings.TrimPrefix(u.Path, "/")
	admin := os.Getenv("ORDO_TEST_DATABASE_URL")
	if admin == "" {
		admin = dbtest.DefaultPostgresURL
	}
	adb, err := sql.Open("pgx", admin)
	require.NoError(t, err)
	adb.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = adb.Close() })
	connections := func() int {
		var n int
		require.NoError(t, adb.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", dbName).Scan(&n))
		return n
	}

	cfg, err := config.FromEnv()
	require.NoError(t, err)
	cfg.DatabaseURL, cfg.DBMaxConns = dbURL, maxConns
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	inst, err := instance.Open(ctx, cfg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { _ = inst.Close() })
	done := make(chan error, 1)
	go func() { done <- inst.Run(ctx) }()

	// Wait until the server shows the process: a pool connection and the hub's LISTEN connection.
	deadline := time.Now().Add(30 * time.Second)
	for connections() < 2 {
		require.True(t, time.Now().Before(deadline), "Ordo never connected")
		time.Sleep(20 * time.Millisecond) // polling the server's view: no event to wait on
	}

	sys := auth.NewContext(ctx, auth.System)
	loc, err := inst.Catalog.CreateLocation(sys, ent.CreateLocationInput{Code: "BKK", Name: "Bangkok", Kind: location.KindWAREHOUSE})
	require.NoError(t, err)
	p, err := inst.Catalog.CreateProduct(sys, ent.CreateProductInput{Name: "Scarf"})
	require.NoError(t, err)
	_, err = inst.Catalog.CreateVariant(sys, ent.CreateVariantInput{Sku: "SCARF", Name: "Scarf", ProductID: p.ID})
	require.NoError(t, err)

	var peak int
	sampled := make(chan struct{})
	stopSampling := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			if n := connections(); n > peak {
				peak = n
			}
			select {
			case <-stopSampling:
				return
			case <-tick.C:
			}
		}
	}()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for w := range 40 {
		wg.Go(func() {
			for i := range 5 {
				_, err := inst.Inventory.Receive(sys, inventory.Receive{SKU: "SCARF", LocationID: loc.ID, Quantity: 1, Reference: fmt.Sprintf("w%d-%d", w, i)})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(stopSampling)
	<-sampled
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	lvl, err := inst.DB.Client.InventoryLevel.Query().Only(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 200, lvl.OnHand)
	require.LessOrEqual(t, peak, maxConns+1, "the pool (queries, River, the relay's lock) plus one LISTEN connection")
	require.GreaterOrEqual(t, peak, 2, "the sampler saw the process")
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}
