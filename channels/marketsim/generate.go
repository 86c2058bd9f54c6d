package marketsim

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// StreamOptions shape a generated order stream.
type StreamOptions struct {
	// Rate is orders per second per shop.
	Rate float64
	// Duration ends the stream; zero runs until ctx ends.
	Duration time.Duration
	// MaxLines and MaxQuantity bound each order's lines and each line's units (defaults 2 and 2).
	MaxLines    int
	MaxQuantity int64
	// Skew makes some listings sell more than others: a Zipf exponent above 1; 0 is uniform.
	Skew float64
	// CODShare is the share of orders paid cash on delivery.
	CODShare float64
	// Seed makes the stream repeatable.
	Seed uint64
	// Packages splits each order of more than one line into up to that many packages (TikTok
	// Shop, Shopee), at random; 0 or 1: one package per order.
	Packages int
}

// StreamStats counts what a stream did, per shop.
type StreamStats struct {
	Created map[string]int // by shop id
	// SoldOut counts the orders not placed because the shop had nothing left to sell.
	SoldOut map[string]int
	Errors  map[string]int
}

// Stream creates orders in the given shops at opt.Rate each (11.11 mode), from the listings each
// shop still sells (as far as Ordo's stock pushes say), until opt.Duration passes or ctx ends.
func (s *Sim) Stream(ctx context.Context, shops []*Shop, opt StreamOptions) StreamStats {
	if opt.MaxLines <= 0 {
		opt.MaxLines = 2
	}
	if opt.MaxQuantity <= 0 {
		opt.MaxQuantity = 2
	}
	if opt.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opt.Duration)
		defer cancel()
	}
	stats := StreamStats{Created: map[string]int{}, SoldOut: map[string]int{}, Errors: map[string]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, sh := range shops {
		rng := rand.New(rand.NewPCG(opt.Seed, uint64(i)+1))
		wg.Go(func() {
			interval := time.Duration(float64(time.Second) / opt.Rate)
			next := time.Now()
			for {
				next = next.Add(interval)
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Until(next)):
				}
				spec, ok := sh.randomOrder(rng, opt)
				key := sh.cfg.ShopID
				if !ok {
					mu.Lock()
					stats.SoldOut[key]++
					mu.Unlock()
					continue
				}
				_, err := sh.CreateOrder(spec)
				mu.Lock()
				if err != nil {
					stats.Errors[key]++
				} else {
					stats.Created[key]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return stats
}

// randomOrder picks lines among the listings the shop still sells.
func (sh *Shop) randomOrder(rng *rand.Rand, opt StreamOptions) (OrderSpec, bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	var open []string
	for _, id := range sh.listingOrder {
		if !sh.pushed[id] || sh.stock[id] > 0 {
			open = append(open, id)
		}
	}
	if len(open) == 0 {
		return OrderSpec{}, false
	}
	pick := func() string { return open[rng.IntN(len(open))] }
	if opt.Skew > 1 {
		z := rand.NewZipf(rng, opt.Skew, 1, uint64(len(open)-1))
		pick = func() string { return open[z.Uint64()] }
	}
	spec := OrderSpec{COD: rng.Float64() < opt.CODShare, Shipping: 150}
	if opt.Packages > 1 {
		spec.Packages = 1 + rng.IntN(opt.Packages)
	}
	seen := map[string]bool{}
	for range 1 + rng.IntN(opt.MaxLines) {
		id := pick()
		if seen[id] {
			continue
		}
		seen[id] = true
		q := 1 + rng.Int64N(opt.MaxQuantity)
		if sh.pushed[id] {
			q = min(q, sh.stock[id])
		}
		spec.Lines = append(spec.Lines, SpecLine{ListingID: id, Quantity: q})
	}
	return spec, true
}
