package webhooks

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/webhookattempt"
)

// Pruning deletes the attempts past the retention, in batches, and keeps the others.
func TestPruneKeepsTheRetention(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newService(t, db)
		c := &clock{at: time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)}
		s.Clock, s.Retention = c.now, 24*time.Hour
		r := newReceiver(t, nil)
		ep, _, err := s.Create(adminCtx(), EndpointInput{URL: r.URL()})
		require.NoError(t, err)
		var rows []*ent.WebhookAttemptCreate
		for i := range pruneBatch + 7 { // old: more than one batch
			rows = append(rows, db.Client.WebhookAttempt.Create().SetEndpointID(ep.ID).SetEventID(int64(i)).SetEventType("order.placed").
				SetAttempt(1).SetOutcome(webhookattempt.OutcomeDELIVERED).SetCreatedAt(c.now().Add(-25*time.Hour)))
		}
		for i := range 3 { // within the retention
			rows = append(rows, db.Client.WebhookAttempt.Create().SetEndpointID(ep.ID).SetEventID(int64(100_000+i)).SetEventType("order.placed").
				SetAttempt(1).SetOutcome(webhookattempt.OutcomeFAILED).SetCreatedAt(c.now().Add(-23*time.Hour)))
		}
		for start := 0; start < len(rows); start += 1000 {
			require.NoError(t, db.Client.WebhookAttempt.CreateBulk(rows[start:min(start+1000, len(rows))]...).Exec(t.Context()))
		}
		n, err := s.Prune(t.Context())
		require.NoError(t, err)
		require.Equal(t, pruneBatch+7, n)
		left, err := db.Client.WebhookAttempt.Query().All(t.Context())
		require.NoError(t, err)
		require.Len(t, left, 3)
		for _, a := range left {
			require.Equal(t, webhookattempt.OutcomeFAILED, a.Outcome)
		}
	})
}
