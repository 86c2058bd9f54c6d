// Package outbound tells channels what happened in Ordo: the stock each may sell of every listing,
// each shipment of their orders as it leaves (one confirmation per shipment, from the channel's
// own id of its origin location), its delivery where the channel takes it
// (channels.DeliveryConfirmer), and their orders' cancellations; and it asks marketplaces to
// arrange their logistics for the shipments they carry (tracking numbers, airway bills). A relay reads the event log from a durable
// checkpoint and turns stock changes and order moves into River jobs in one transaction, so that no
// change is lost or sent twice however the process stops; stock pushes are coalesced per (channel,
// listing), so that a burst of changes becomes one call with the latest number, less the channel's
// buffer.
package outbound

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/connections"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/jobs"
	"github.com/ordo-oms/ordo/returns"
)

// Service runs the outbound relay and its jobs.
type Service struct {
	DB          *database.DB
	Hub         *events.Hub
	Connections *connections.Service
	// Returns records the outcome of the seller's decisions sent to channels (returns.go).
	Returns *returns.Service
	// DeadlineWarning is how long before a channel's deadline a return waiting for the seller is
	// warned about; zero: returns.DefaultDeadlineWarning.
	DeadlineWarning time.Duration
	// Queue runs the pushes and confirmations; set before Run.
	Queue *jobs.Queue
	// Coalesce is how long a stock push waits for more changes of its listing (default 50ms): the
	// price of turning a burst into one call.
	Coalesce time.Duration
	// Clock is the time pushes are stamped with; nil means the wall clock.
	Clock func() time.Time
	Log   *slog.Logger

	once sync.Once
	wake chan struct{} // see Wake
}

// Wake tells the relay that a local commit wrote events, so that it reads them now rather than at
// its next poll. It never blocks.
func (s *Service) Wake() {
	select {
	case s.wakeup() <- struct{}{}:
	default:
	}
}

func (s *Service) wakeup() chan struct{} {
	s.once.Do(func() { s.wake = make(chan struct{}, 1) })
	return s.wake
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

func (s *Service) coalesce() time.Duration {
	if s.Coalesce > 0 {
		return s.Coalesce
	}
	return 50 * time.Millisecond
}

// Register adds outbound's workers.
func (s *Service) Register(w *river.Workers) {
	river.AddWorker(w, &pushWorker{s: s})
	river.AddWorker(w, &sweepWorker{s: s})
	river.AddWorker(w, &confirmWorker{s: s})
	river.AddWorker(w, &arrangeWorker{s: s})
	river.AddWorker(w, &deliverWorker{s: s})
}

// SweepInterval is how often listings left with unpushed changes are looked for: the safety net for
// a change that arrived just as its listing's push was finishing.
const SweepInterval = 2 * time.Second

// Periodic returns outbound's scheduled jobs.
func (s *Service) Periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(SweepInterval),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

// relayLock is the advisory lock that keeps the relay to one replica at a time.
const relayLock = 7_312_002

// checkpointName names the relay's place in the event log.
const checkpointName = "outbound"

// Run runs the relay until ctx ends, in whichever replica holds its lock.
func (s *Service) Run(ctx context.Context) {
	s.reader().Run(ctx)
}

// reader is the relay's reading of the event log. It reads the log itself rather than a live
// subscription, which would drop it whenever a burst outran it; a relay that never ran starts from
// the log's head (its listings are pushed whole when they are set, so the past owes them nothing).
func (s *Service) reader() *events.Reader {
	return &events.Reader{DB: s.DB, Name: checkpointName, Lock: relayLock, Types: relayed, Batch: maxBatch,
		Poll: s.relayPoll, Wake: s.wakeup(), Handle: s.handle, Log: s.log()}
}
