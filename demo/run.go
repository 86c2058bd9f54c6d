package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
)

// Products are the demo business's SKUs as the simulated shops sell them.
func Products() []marketsim.Product {
	out := make([]marketsim.Product, 0, len(items)+1)
	for _, it := range items {
		out = append(out, marketsim.Product{SKU: it.sku, Name: it.name, Price: it.price})
	}
	return append(out, marketsim.Product{SKU: "GIFT-BREAKFAST", Name: "Breakfast Gift Box (coffee + kaya)", Price: 2500})
}

// buyers are where each demo shop's simulated buyers live: one country per channel, so that
// routing has somewhere different to send each.
var buyers = map[channels.Kind]channels.Address{
	channels.Shopee:     {Line1: "88 Sukhumvit Soi 21", City: "Bangkok", PostalCode: "10110", CountryCode: "TH"},
	channels.Lazada:     {Line1: "Jl. Sudirman Kav. 52", City: "Jakarta", PostalCode: "12190", CountryCode: "ID"},
	channels.TikTokShop: {Line1: "12 Nguyen Hue", City: "Ho Chi Minh City", PostalCode: "700000", CountryCode: "VN"},
	channels.Shopify:    {Line1: "6750 Ayala Avenue", City: "Manila", PostalCode: "1226", CountryCode: "PH"},
	channels.Facebook:   {Line1: "Osmeña Boulevard 1", City: "Cebu", PostalCode: "6000", CountryCode: "PH"},
	channels.POS:        {Line1: "2 Orchard Turn", City: "Singapore", PostalCode: "238801", CountryCode: "SG"},
}

// MarketConfig is a simulated marketplace to run beside an Ordo.
type MarketConfig struct {
	// Addr is where the simulator listens (e.g. 127.0.0.1:8090).
	Addr string
	// API is the Ordo to connect the shops to, with an admin key.
	API API
	// Rate is orders per second per shop; Duration ends the stream (0: until ctx ends).
	Rate     float64
	Duration time.Duration
	// RestockEvery is how often the demo's warehouses ship and its suppliers deliver what sold
	// (Replenish); 0 is DefaultRestockEvery, below zero neither does.
	RestockEvery time.Duration
	// Seed makes the order stream repeatable (0: a new stream every run).
	Seed uint64
	Out  io.Writer
}

// RunMarket serves a marketplace simulator with the six demo shops, connects them to Ordo through
// its API and streams orders into them until ctx ends: orders flow in from every channel by
// webhook (and by pull for Meta), stock flows back to every shop, and the demo's suppliers
// replenish what sold (Replenish), so that it runs for hours.
func RunMarket(ctx context.Context, cfg MarketConfig) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("marketsim: %w", err)
	}
	base := "http://" + ln.Addr().String()
	sim := marketsim.New(base, marketsim.Options{})
	defer sim.Close()
	srv := &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	defer srv.Close()
	conn, err := ConnectMarket(ctx, cfg.API, sim, MarketOptions{Products: Products(), Addresses: buyers})
	if err != nil {
		return err
	}
	shops := make([]*marketsim.Shop, 0, len(conn))
	for _, kind := range marketsim.Kinds {
		if c, ok := conn[kind]; ok {
			shops = append(shops, c.Shop)
		}
	}
	if cfg.Out != nil {
		fmt.Fprintf(cfg.Out, "  Marketplace simulator: %s, %d shops connected (Shopify, Shopee, Lazada, TikTok Shop, Meta, Square POS); %.2g orders/s each\n",
			base, len(shops), cfg.Rate)
	}
	if cfg.Rate <= 0 {
		select {
		case <-ctx.Done():
			return nil
		case err := <-done:
			return err
		}
	}
	if cfg.RestockEvery >= 0 {
		restockCtx, stopRestock := context.WithCancel(ctx)
		restocked := make(chan struct{})
		go func() { defer close(restocked); Replenish(restockCtx, cfg.API, cfg.RestockEvery, cfg.Out) }()
		defer func() { stopRestock(); <-restocked }()
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	sim.Stream(ctx, shops, marketsim.StreamOptions{Rate: cfg.Rate, Duration: cfg.Duration, CODShare: 0.3, Seed: seed})
	if err := ctx.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
