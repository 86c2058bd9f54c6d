package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/imports"
)

// emptyCatalog is a CHANNEL_CATALOG handler that finds nothing at once: the access matrix checks
// who may start a catalogue import, and a real one would keep writing (retrying an unreachable
// channel) while later rows check that refusals change nothing. What a catalogue import does is
// e2e/catalogs_test.go's.
type emptyCatalog struct{}

type noRows struct{}

func (noRows) Len() int { return 0 }

func (emptyCatalog) Kind() importjob.Kind { return importjob.KindCHANNEL_CATALOG }

func (emptyCatalog) Check(context.Context, *ent.Client, *ent.ImportJob, func(int, int)) (imports.Checked, error) {
	return imports.Checked{Plan: noRows{}}, nil
}

func (emptyCatalog) Apply(context.Context, *ent.Tx, *ent.ImportJob, imports.Plan, int, int) (map[string]int, error) {
	return nil, nil
}

// catalogImportsDone waits until the channel catalogue imports started through the queue have
// ended, so that they write nothing while a later row reads the store.
func (f *accessFixture) catalogImportsDone(t *testing.T) {
	t.Helper()
	require.Eventually(t, func() bool {
		n, err := f.srv.Inst.DB.Client.ImportJob.Query().Where(importjob.KindEQ(importjob.KindCHANNEL_CATALOG),
			importjob.StatusIn(importjob.StatusQUEUED, importjob.StatusRUNNING)).Count(context.Background())
		require.NoError(t, err)
		return n == 0
	}, 20*time.Second, 20*time.Millisecond, "the catalogue imports the matrix started end")
}

// importJob writes a queued import (no queue job runs it) and returns its id.
func (f *accessFixture) importJob(t *testing.T) pulid.ID {
	t.Helper()
	j, err := f.srv.Inst.DB.Client.ImportJob.Create().SetKind(importjob.KindPRODUCTS).SetFileName("access.csv").
		SetContent([]byte("sku\nACC-1\n")).Save(context.Background())
	require.NoError(t, err)
	return j.ID
}

// importProgressed tells of progress of f.importID, as a runner's batch does.
func (f *accessFixture) importProgressed(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	j, err := f.srv.Inst.Imports.Get(ctx, f.importID)
	require.NoError(t, err)
	require.NoError(t, f.srv.Inst.DB.Tx(ctx, func(tx *ent.Tx) error {
		return events.Append(ctx, tx, events.Event{Payload: events.ImportProgress{ImportState: events.ImportState{
			JobID: string(j.ID), Kind: string(j.Kind), Status: "RUNNING", Done: 1, Total: 1, CreatedAt: j.CreatedAt}}})
	}))
	f.srv.Inst.Hub.Wake()
}
