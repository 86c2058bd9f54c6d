package webhooks

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/jobs"
	"github.com/ordo-oms/ordo/vault"
)

// Service registers partner endpoints and delivers the event log to them.
type Service struct {
	DB *database.DB
	// Vault seals endpoint secrets (each bound to its endpoint's id).
	Vault *vault.Vault
	// Queue runs redeliveries; set before Run.
	Queue *jobs.Queue
	// AllowPrivate lets endpoints reach private, loopback and link-local addresses (development
	// and tests); otherwise they are refused at registration and again at connect time. It and
	// Timeout are read once, when the first delivery builds the HTTP client.
	AllowPrivate bool
	// Timeout bounds one delivery; zero: 15 s.
	Timeout time.Duration
	// Schedule are the waits before retries 2..n of a failing delivery; nil: Spec. After the last,
	// the endpoint is disabled.
	Schedule []time.Duration
	// Concurrency is how many deliveries one endpoint has in flight; zero: 8.
	Concurrency int
	// Retention is how long the attempt log keeps an attempt; zero: DefaultRetention.
	Retention time.Duration
	// Committed is called after each commit that appended events, to wake the event hub.
	Committed func()
	// Clock is the time deliveries are stamped with; nil: the wall clock.
	Clock func() time.Time
	Log   *slog.Logger

	once    sync.Once
	wake    chan struct{} // events were committed: the dispatchers look for them
	changed chan struct{} // endpoints were added, enabled or removed: the supervisor looks again
	client  *http.Client
	events  *feed
}

// Spec is the Standard Webhooks retry schedule after the first attempt: 5 s, 5 min, 30 min, 2 h,
// 5 h, 10 h, 14 h, 20 h and 24 h (75 hours in all).
var Spec = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 24 * time.Hour}

// dispatchLock is the advisory lock that keeps the dispatchers to one replica at a time.
const dispatchLock = 7_312_021

// Register adds the redelivery and pruning workers.
func (s *Service) Register(w *river.Workers) {
	river.AddWorker(w, &redeliverWorker{s: s})
	river.AddWorker(w, &pruneWorker{s: s})
}

// Wake tells the dispatchers that a local commit wrote events, so that they look now rather than at
// their next poll. It never blocks.
func (s *Service) Wake() {
	s.init()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// endpointsChanged tells the supervisor that an endpoint was created, enabled, disabled or deleted
// here, so that it starts or stops its dispatcher now rather than at its next scan.
func (s *Service) endpointsChanged() {
	s.init()
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

func (s *Service) init() {
	s.once.Do(func() {
		s.wake = make(chan struct{}, 1)
		s.changed = make(chan struct{}, 1)
		s.client = newClient(s.timeout(), s.AllowPrivate)
		s.events = &feed{db: s.DB}
	})
}

// feed is the dispatchers' shared reading of the log.
func (s *Service) feed() *feed {
	s.init()
	return s.events
}

// Run runs the dispatchers until ctx ends, in whichever replica holds their lock.
func (s *Service) Run(ctx context.Context) {
	s.init()
	s.DB.Singleton(ctx, dispatchLock, "webhook dispatch from the endpoints' cursors", s.log(), s.dispatch)
}

func (s *Service) now() time.Time {
	if s.Clock != nil {
		return s.Clock().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Service) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return 15 * time.Second
}

func (s *Service) schedule() []time.Duration {
	if s.Schedule != nil {
		return s.Schedule
	}
	return Spec
}

func (s *Service) concurrency() int {
	if s.Concurrency > 0 {
		return s.Concurrency
	}
	return 8
}

func (s *Service) committed() {
	if s.Committed != nil {
		s.Committed()
	}
}
