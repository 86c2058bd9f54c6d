package listings

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// DefaultPullInterval is how often every active channel's catalogue is imported again, so that
// listings added on the channel are discovered even before they sell.
const DefaultPullInterval = 6 * time.Hour

// Puller imports the catalogue of every active channel whose connector lists one, periodically.
type Puller struct {
	DB *database.DB
	// Interval between pulls; DefaultPullInterval when zero, none when negative.
	Interval time.Duration
	// Readable says whether a channel's connector lists its catalogue (connections.Service's
	// CatalogReader says ok).
	Readable func(ch *ent.Channel) bool
	// Start starts a CHANNEL_CATALOG import of the channel (imports.Service.Start).
	Start func(ctx context.Context, channelID pulid.ID) error
}

// CatalogPullArgs is the periodic job that starts the catalogue imports.
type CatalogPullArgs struct{}

// Kind implements river.JobArgs.
func (CatalogPullArgs) Kind() string { return "listings.catalog_pull" }

// Register adds the pull's worker.
func (p *Puller) Register(w *river.Workers) { river.AddWorker(w, &pullWorker{p: p}) }

// Periodic returns the pull's schedule (River runs it on one replica at a time).
func (p *Puller) Periodic() []*river.PeriodicJob {
	every := p.Interval
	if every == 0 {
		every = DefaultPullInterval
	}
	if every < 0 {
		return nil
	}
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return CatalogPullArgs{}, nil }, nil)}
}

type pullWorker struct {
	river.WorkerDefaults[CatalogPullArgs]
	p *Puller
}

func (w *pullWorker) Work(ctx context.Context, _ *river.Job[CatalogPullArgs]) error {
	_, err := w.p.Pull(ctx)
	return err
}

// Pull starts a catalogue import for each active channel that lists its catalogue and has none
// queued or running already, and returns how many it started.
func (p *Puller) Pull(ctx context.Context) (int, error) {
	chs, err := p.DB.Client.Channel.Query().Where(channel.Active(true)).Order(channel.ByID()).Limit(1000).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("load channels: %w", err)
	}
	busy, err := p.DB.Client.ImportJob.Query().Where(importjob.KindEQ(importjob.KindCHANNEL_CATALOG),
		importjob.StatusIn(importjob.StatusQUEUED, importjob.StatusRUNNING), importjob.ChannelIDNotNil()).
		Select(importjob.FieldChannelID).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("load imports: %w", err)
	}
	running := map[pulid.ID]bool{}
	for _, j := range busy {
		running[*j.ChannelID] = true
	}
	started := 0
	for _, ch := range chs {
		if running[ch.ID] || !p.Readable(ch) {
			continue
		}
		if err := p.Start(ctx, ch.ID); err != nil {
			return started, fmt.Errorf("start the catalogue import of %s: %w", ch.ID, err)
		}
		started++
	}
	return started, nil
}
