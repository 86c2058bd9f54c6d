package listings_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/listings"
)

// The periodic pull starts one catalogue import per active channel that lists its catalogue, and
// none for a channel whose import is still queued or running, inactive, or unable to list.
func TestPullStartsCatalogueImports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		mk := func(shop string, active bool) pulid.ID {
			ch, err := db.Client.Channel.Create().SetKind(channel.KindSHOPEE).SetName(shop).SetShopID(shop).SetActive(active).Save(ctx)
			require.NoError(t, err)
			return ch.ID
		}
		ready, busy, off, mute := mk("ready", true), mk("busy", true), mk("off", false), mk("mute", true)
		require.NoError(t, db.Client.ImportJob.Create().SetKind(importjob.KindCHANNEL_CATALOG).SetChannelID(busy).
			SetStatus(importjob.StatusRUNNING).Exec(ctx))
		var started []pulid.ID
		p := &listings.Puller{DB: db,
			Readable: func(ch *ent.Channel) bool { return ch.ID != mute },
			Start:    func(_ context.Context, id pulid.ID) error { started = append(started, id); return nil }}
		n, err := p.Pull(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		require.Equal(t, []pulid.ID{ready}, started)
		require.NotContains(t, started, off)
		require.Len(t, p.Periodic(), 1)
		require.Empty(t, (&listings.Puller{Interval: -1}).Periodic())
	})
}
