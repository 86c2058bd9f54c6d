package metrics

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/notification"
	"github.com/ordo-oms/ordo/ent/webhookattempt"
	"github.com/ordo-oms/ordo/ent/webhookendpoint"
	"github.com/ordo-oms/ordo/pulse"
)

// StoreEvery is the least time between two reads of the store by the collector: scrapes in
// between (several Prometheus servers, a tight scrape interval) are answered from the last read.
const StoreEvery = 5 * time.Second

// storeTimeout bounds one read of the store.
const storeTimeout = 3 * time.Second

var (
	queueJobs = prometheus.NewDesc("ordo_job_queue_jobs", "River jobs per queue and state (available, running, retryable, discarded).",
		[]string{"queue", "state"}, nil)
	queueOldest = prometheus.NewDesc("ordo_job_queue_oldest_available_seconds", "Age of the oldest job waiting in each queue.",
		[]string{"queue"}, nil)
	syncLag = prometheus.NewDesc("ordo_stock_sync_lag_seconds", "How long the oldest stock change not yet pushed has waited, per channel.",
		[]string{"channel", "kind"}, nil)
	pushErrors = prometheus.NewDesc("ordo_stock_push_errors", "Listings whose last stock push failed, per channel.",
		[]string{"channel", "kind"}, nil)
	lateRisk = prometheus.NewDesc("ordo_shipments_late_risk", "Shipments in transit that their carrier flags as at risk of arriving late.",
		nil, nil)
	delayed       = prometheus.NewDesc("ordo_shipments_delayed", "Outbound shipments not delivered past their promised delivery.", nil, nil)
	notifications = prometheus.NewDesc("ordo_notifications", "Customer notifications waiting to be sent (PENDING) or failed (FAILED).",
		[]string{"status"}, nil)
	webhookAttempts = prometheus.NewDesc("ordo_partner_webhook_attempts_5m", "Partner webhook delivery attempts in the last 5 minutes, by outcome.",
		[]string{"outcome"}, nil)
	webhookFailing = prometheus.NewDesc("ordo_partner_webhook_endpoints_failing", "Enabled partner webhook endpoints whose deliveries are failing.",
		nil, nil)
	storeUp = prometheus.NewDesc("ordo_store_read_ok", "1 when the collector's last read of the store succeeded.", nil, nil)
)

// Store is a collector of what only the store knows, read at most every StoreEvery.
type Store struct {
	db  *database.DB
	log *slog.Logger
	now func() time.Time

	mu      sync.Mutex
	readAt  time.Time
	metrics []prometheus.Metric
}

// NewStore returns the store's collector.
func NewStore(db *database.DB, log *slog.Logger) *Store {
	return &Store{db: db, log: log, now: time.Now}
}

// Describe sends the descriptions of every metric the store's collector sends.
func (s *Store) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{queueJobs, queueOldest, syncLag, pushErrors, lateRisk, delayed, notifications,
		webhookAttempts, webhookFailing, storeUp} {
		ch <- d
	}
}

// Collect sends the last read, reading the store again when it is older than StoreEvery.
func (s *Store) Collect(ch chan<- prometheus.Metric) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now := s.now(); now.Sub(s.readAt) >= StoreEvery {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		ms, err := s.read(ctx, now)
		cancel()
		ok := 1.0
		if err != nil {
			s.log.Warn("metrics: cannot read the store", "err", err)
			ok, ms = 0, nil
		}
		s.metrics = append(ms, prometheus.MustNewConstMetric(storeUp, prometheus.GaugeValue, ok))
		s.readAt = now
	}
	for _, m := range s.metrics {
		ch <- m
	}
}

func (s *Store) read(ctx context.Context, now time.Time) ([]prometheus.Metric, error) {
	p, err := pulse.Read(ctx, s.db, pulse.MinMinutes, now)
	if err != nil {
		return nil, err
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
		return prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	var out []prometheus.Metric
	for _, q := range p.Queues {
		out = append(out,
			gauge(queueJobs, float64(q.Available), q.Queue, "available"),
			gauge(queueJobs, float64(q.Running), q.Queue, "running"),
			gauge(queueJobs, float64(q.Retryable), q.Queue, "retryable"),
			gauge(queueJobs, float64(q.Failed), q.Queue, "discarded"),
			gauge(queueOldest, q.OldestSeconds, q.Queue))
	}
	for _, c := range p.Channels {
		id, kind := string(c.Channel.ID), string(c.Channel.Kind)
		out = append(out, gauge(syncLag, c.StockSyncLagSeconds, id, kind), gauge(pushErrors, float64(c.PushErrors), id, kind))
	}
	out = append(out, gauge(lateRisk, float64(p.LateRiskShipments)), gauge(delayed, float64(p.DelayedShipments)))

	for _, st := range []notification.Status{notification.StatusPENDING, notification.StatusFAILED} {
		n, err := s.db.Client.Notification.Query().Where(notification.StatusEQ(st)).Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("count notifications: %w", err)
		}
		out = append(out, gauge(notifications, float64(n), string(st)))
	}
	var attempts []struct {
		Outcome string `json:"outcome"`
		Count   int    `json:"count"`
	}
	if err := s.db.Client.WebhookAttempt.Query().Where(webhookattempt.CreatedAtGT(now.Add(-5*time.Minute))).
		GroupBy(webhookattempt.FieldOutcome).Aggregate(ent.Count()).Scan(ctx, &attempts); err != nil {
		return nil, fmt.Errorf("count webhook attempts: %w", err)
	}
	seen := map[string]int{}
	for _, a := range attempts {
		seen[a.Outcome] = a.Count
	}
	for _, o := range []webhookattempt.Outcome{webhookattempt.OutcomeDELIVERED, webhookattempt.OutcomeFAILED, webhookattempt.OutcomeGONE, webhookattempt.OutcomeREFUSED} {
		out = append(out, gauge(webhookAttempts, float64(seen[string(o)]), string(o)))
	}
	failing, err := s.db.Client.WebhookEndpoint.Query().
		Where(webhookendpoint.StatusEQ(webhookendpoint.StatusENABLED), webhookendpoint.FailingSinceNotNil()).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("count failing webhook endpoints: %w", err)
	}
	return append(out, gauge(webhookFailing, float64(failing))), nil
}

// Watch registers what one process watches: the store (NewStore), its connection pool, and the
// subscriptions its clients hold open.
func (m *Metrics) Watch(db *database.DB, subscriptions func() int, log *slog.Logger) error {
	if err := m.Register(NewStore(db, log)); err != nil {
		return err
	}
	if err := m.Register(collectors.NewDBStatsCollector(db.SQL, "ordo")); err != nil {
		return err
	}
	return m.GaugeFunc("ordo_subscriptions_open", "GraphQL subscriptions clients hold open in this process.",
		func() float64 { return float64(subscriptions()) })
}
