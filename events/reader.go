package events

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/checkpoint"
)

// Reader reads the event log for a consumer that must act on every event of its types once,
// whatever stops the process: it keeps its place in a checkpoint row, runs in one replica at a
// time (an advisory lock), reads in log order batch by batch, and hands each batch to Handle, which
// acts on it and moves the checkpoint past it in one transaction (SaveCheckpoint), so that a batch
// is either done and passed or read again. Channel relays (outbound/) and customer notifications
// (notifications/) are Readers. A Reader that never ran starts from the log's head: the past is not
// its business.
type Reader struct {
	DB *database.DB
	// Name names the checkpoint; Lock is the advisory lock (each Reader its own).
	Name string
	Lock int64
	// Types are the event types read; Batch the most handed over at once.
	Types []string
	Batch int
	// Poll is how often a Reader that caught up looks again without being woken (on PostgreSQL
	// other replicas commit too and nothing here wakes it for them); Wake wakes it after a local
	// commit.
	Poll func() time.Duration
	Wake <-chan struct{}
	// Handle acts on a batch and saves the checkpoint past its last event in the same transaction.
	Handle func(ctx context.Context, batch []*ent.Event) error
	Log    *slog.Logger
}

// Run reads until ctx ends, in whichever replica holds the lock; a failure (the store out of
// reach, a batch that could not be handled) is logged and the reading resumes from the checkpoint
// with backoff.
func (r *Reader) Run(ctx context.Context) {
	r.DB.Singleton(ctx, r.Lock, r.Name+" reading the event log from its checkpoint", r.log(), r.read)
}

// read reads from the checkpoint until ctx ends (nil) or the store or Handle fails.
func (r *Reader) read(ctx context.Context) error {
	from, err := r.Checkpoint(ctx)
	if err != nil {
		return err
	}
	for {
		batch, err := Read(ctx, r.DB, from, r.Batch, r.Types...)
		if err == nil && len(batch) > 0 {
			err = r.Handle(ctx, batch)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if len(batch) > 0 {
			from = PositionOf(batch[len(batch)-1])
			if len(batch) == r.Batch {
				continue
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-r.Wake:
		case <-time.After(r.Poll()):
		}
	}
}

// Checkpoint reads where the Reader stopped, creating its checkpoint at the log's head if it has
// none.
func (r *Reader) Checkpoint(ctx context.Context) (Position, error) {
	cp, err := r.DB.Client.Checkpoint.Get(ctx, r.Name)
	if ent.IsNotFound(err) {
		h, err := head(ctx, r.DB)
		if err != nil {
			return Position{}, err
		}
		err = r.DB.Client.Checkpoint.Create().SetID(r.Name).SetTxid(h.TxID).SetEventID(h.ID).
			OnConflictColumns(checkpoint.FieldID).Ignore().Exec(ctx)
		if err != nil {
			return Position{}, fmt.Errorf("create checkpoint %s: %w", r.Name, err)
		}
		cp, err = r.DB.Client.Checkpoint.Get(ctx, r.Name)
		if err != nil {
			return Position{}, fmt.Errorf("load checkpoint %s: %w", r.Name, err)
		}
	} else if err != nil {
		return Position{}, fmt.Errorf("load checkpoint %s: %w", r.Name, err)
	}
	return Position{TxID: cp.Txid, ID: cp.EventID}, nil
}

// SaveCheckpoint moves the checkpoint name past last, in tx (the transaction that acted on the
// events up to it).
func SaveCheckpoint(ctx context.Context, tx *ent.Tx, name string, last *ent.Event) error {
	p := PositionOf(last)
	if err := tx.Checkpoint.UpdateOneID(name).SetTxid(p.TxID).SetEventID(p.ID).Exec(ctx); err != nil {
		return fmt.Errorf("save checkpoint %s: %w", name, err)
	}
	return nil
}

func (r *Reader) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}
