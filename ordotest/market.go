package ordotest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// Market is a marketplace simulator beside a test's Ordo, with one shop per channel kind, each
// connected to Ordo through its GraphQL API (demo.ConnectMarket) and sending its webhooks to Ordo's
// endpoint for it.
type Market struct {
	Sim      *marketsim.Sim
	URL      string
	Shops    map[channels.Kind]*marketsim.Shop
	Channels map[channels.Kind]pulid.ID
}

// MarketOptions shape a Market.
type MarketOptions struct {
	demo.MarketOptions
	Sim marketsim.Options
}

// ConnectMarket starts a simulator for the rest of the test and connects its shops to s.
func (s *Server) ConnectMarket(t testing.TB, opt MarketOptions) *Market {
	t.Helper()
	sim := marketsim.New("", opt.Sim)
	srv := httptest.NewServer(sim.Handler())
	sim.SetBase(srv.URL)
	t.Cleanup(func() {
		sim.Close()
		srv.Close()
	})
	conn, err := demo.ConnectMarket(context.Background(), s.Admin(), sim, opt.MarketOptions)
	if err != nil {
		t.Fatal(err)
	}
	m := &Market{Sim: sim, URL: srv.URL, Shops: map[channels.Kind]*marketsim.Shop{}, Channels: map[channels.Kind]pulid.ID{}}
	for kind, c := range conn {
		m.Shops[kind], m.Channels[kind] = c.Shop, c.ChannelID
	}
	return m
}

// Query implements demo.API.
func (c *Client) Query(ctx context.Context, query string, vars map[string]any, out any) error {
	res, err := c.Do(ctx, query, vars)
	if err != nil {
		return err
	}
	if len(res.Errors) > 0 {
		return fmt.Errorf("graphql: %s (%s)", res.Errors[0].Message, res.Errors[0].Code())
	}
	if out == nil {
		return nil
	}
	return res.Decode(out)
}
