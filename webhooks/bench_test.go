package webhooks

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/webhookendpoint"
	"github.com/ordo-oms/ordo/events"
)

// BenchmarkFanOut delivers b.N events, committed five to a transaction, to ten endpoints on
// PostgreSQL, and reports deliveries per second and the lag from an event's commit to its
// receipt at an endpoint (p50, p99).
func BenchmarkFanOut(b *testing.B) {
	const endpoints, perTx = 10, 5
	db := dbtest.Postgres(b)
	var (
		mu       sync.Mutex
		received = map[int64][]time.Time{}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var env struct {
			Data struct {
				Sequence int64 `json:"sequence"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &env); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		received[env.Data.Sequence] = append(received[env.Data.Sequence], time.Now())
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	b.Cleanup(srv.Close)
	s := newService(b, db)
	for range endpoints {
		if _, _, err := s.Create(adminCtx(), EndpointInput{URL: srv.URL}); err != nil {
			b.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { s.Run(ctx); close(stopped) }()
	b.Cleanup(func() { cancel(); <-stopped })

	committed := map[int64]time.Time{}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i += perTx {
		evs := make([]events.Event, perTx)
		for j := range evs {
			evs[j] = moved("ord_"+string(rune('a'+(i/perTx)%26)), j)
		}
		var top int64
		err := db.Tx(ctx, func(tx *ent.Tx) error {
			if err := events.Append(ctx, tx, evs...); err != nil {
				return err
			}
			e, err := tx.Event.Query().Order(ent.Desc(event.FieldID)).First(ctx)
			if err == nil {
				top = e.ID
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		at := time.Now()
		for id := top - perTx + 1; id <= top; id++ {
			committed[id] = at
		}
		s.Wake()
	}
	head, err := db.Client.Event.Query().Order(ent.Desc(event.FieldID)).First(ctx)
	if err != nil {
		b.Fatal(err)
	}
	last := head.ID
	for {
		n, err := db.Client.WebhookEndpoint.Query().Where(webhookendpoint.CursorEventID(last)).Count(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if n == endpoints {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()

	mu.Lock()
	defer mu.Unlock()
	var lags []time.Duration
	for id, ats := range received {
		for _, at := range ats {
			lags = append(lags, at.Sub(committed[id]))
		}
	}
	slices.Sort(lags)
	b.ReportMetric(float64(len(lags))/elapsed.Seconds(), "deliveries/s")
	if len(lags) > 0 {
		b.ReportMetric(float64(lags[len(lags)/2].Microseconds())/1000, "p50-lag-ms")
		b.ReportMetric(float64(lags[len(lags)*99/100].Microseconds())/1000, "p99-lag-ms")
	}
}
