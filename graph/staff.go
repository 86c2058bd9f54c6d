package graph

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent/apikey"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// mutationsOf lists the root mutations role may call, by name.
func mutationsOf(role auth.Role) []string {
	var out []string
	for field, rs := range RootPolicy {
		if name, ok := strings.CutPrefix(field, "Mutation."); ok && slices.Contains(rs, role) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// The actor-name cache: names are looked up in batches (the events of one list resolve their
// actorName concurrently, and those asked within batchWait share one query per kind), and kept
// nameTTL, at most maxNames of them.
const (
	batchWait = 2 * time.Millisecond
	nameTTL   = time.Minute
	maxNames  = 10000
)

// actorNames turns event actors (a staff user's id, an API key's id, or a system name) into
// readable names: the user's email, the key's name, or the actor as it is.
type actorNames struct {
	r *Resolver

	mu    sync.Mutex
	names map[string]cachedName
	batch *nameBatch
}

type cachedName struct {
	name string
	at   time.Time
}

type nameBatch struct {
	ids   []pulid.ID
	done  chan struct{}
	names map[string]string
	err   error
}

// name returns the readable name of actor.
func (a *actorNames) name(ctx context.Context, actor string) (string, error) {
	prefix, err := pulid.ID(actor).Prefix()
	if err != nil || (prefix != "stf" && prefix != "key") {
		return actor, nil
	}
	a.mu.Lock()
	if c, ok := a.names[actor]; ok && time.Since(c.at) < nameTTL {
		a.mu.Unlock()
		return c.name, nil
	}
	b := a.batch
	if b == nil {
		b = &nameBatch{done: make(chan struct{})}
		a.batch = b
		time.AfterFunc(batchWait, func() { a.load(b) })
	}
	b.ids = append(b.ids, pulid.ID(actor))
	a.mu.Unlock()
	select {
	case <-b.done:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	if b.err != nil {
		return "", b.err
	}
	if n, ok := b.names[actor]; ok {
		return n, nil
	}
	return actor, nil
}

// load looks up one batch's names, as the system (the names are not the asker's rows).
func (a *actorNames) load(b *nameBatch) {
	a.mu.Lock()
	a.batch = nil
	ids := b.ids
	a.mu.Unlock()
	defer close(b.done)
	ctx, cancel := context.WithTimeout(auth.NewContext(context.Background(), auth.System), 10*time.Second)
	defer cancel()
	var staffIDs, keyIDs []pulid.ID
	for _, id := range ids {
		if p, _ := id.Prefix(); p == "stf" {
			staffIDs = append(staffIDs, id)
		} else if !slices.Contains(keyIDs, id) {
			keyIDs = append(keyIDs, id)
		}
	}
	b.names = map[string]string{}
	if len(staffIDs) > 0 {
		emails, err := a.r.StaffAccounts.Emails(ctx, staffIDs)
		if err != nil {
			b.err = err
			return
		}
		for id, e := range emails {
			b.names[string(id)] = e
		}
	}
	if len(keyIDs) > 0 {
		keys, err := a.r.DB.Client.APIKey.Query().Where(apikey.IDIn(keyIDs...)).Select(apikey.FieldID, apikey.FieldName).All(ctx)
		if err != nil {
			b.err = err
			return
		}
		for _, k := range keys {
			b.names[string(k.ID)] = k.Name
		}
	}
	now := time.Now()
	a.mu.Lock()
	if a.names == nil || len(a.names) > maxNames {
		a.names = map[string]cachedName{}
	}
	for id, n := range b.names {
		a.names[id] = cachedName{name: n, at: now}
	}
	a.mu.Unlock()
}
