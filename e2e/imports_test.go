package e2e_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
)

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
