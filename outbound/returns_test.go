package outbound

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/returns"
)

// fakeReturns is a channel's returns that records the decisions it is sent and answers with err.
type fakeReturns struct {
	got []channels.ReturnDecision
	err error
}

func (f *fakeReturns) UpdatedReturns(context.Context, channels.PullQuery) (channels.ReturnPage, error) {
	return channels.ReturnPage{}, nil
}

func (f *fakeReturns) ReturnsByID(context.Context, []string) ([]channels.Return, error) {
	return nil, nil
}

func (f *fakeReturns) DecideReturn(_ context.Context, d channels.ReturnDecision) error {
	f.got = append(f.got, d)
	return f.err
}

// lazadaReturn is a Lazada order shipped by Ordo (two units of one line, per-unit ids) and the
// channel's return of both, as Ordo converged it.
func lazadaReturn(t *testing.T, db *database.DB) (*returns.Service, *ent.OrderReturn) {
	ctx := context.Background()
	cat := &catalog.Service{DB: db}
	loc, err := cat.CreateLocation(ctx, ent.CreateLocationInput{Code: "BKK", Name: "BKK", Kind: location.KindWAREHOUSE})
	require.NoError(t, err)
	p, err := cat.CreateProduct(ctx, ent.CreateProductInput{Name: "TEE"})
	require.NoError(t, err)
	price, cur := int64(1000), "THB"
	v, err := cat.CreateVariant(ctx, ent.CreateVariantInput{Sku: "TEE", Name: "TEE", ProductID: p.ID, PriceAmount: &price, Currency: &cur})
	require.NoError(t, err)
	ch, err := db.Client.Channel.Create().SetKind(channel.KindLAZADA).SetName("lazada").SetShopID("1").Save(ctx)
	require.NoError(t, err)
	o, err := db.Client.Order.Create().SetNumber("SO-1").SetStatus(order.StatusSHIPPED).SetCurrency("THB").
		SetSubtotalAmount(2000).SetTotalAmount(2000).SetChannelID(ch.ID).SetExternalID("T1").Save(ctx)
	require.NoError(t, err)
	l, err := db.Client.OrderLine.Create().SetOrderID(o.ID).SetSku("TEE").SetVariantID(v.ID).SetQuantity(2).
		SetUnitPriceAmount(1000).SetExternalUnitIds([]string{"u1", "u2"}).Save(ctx)
	require.NoError(t, err)
	_, err = db.Client.Allocation.Create().SetLineID(l.ID).SetOrderID(o.ID).SetVariantID(v.ID).SetLocationID(loc.ID).
		SetQuantity(2).SetStatus(allocation.StatusSHIPPED).Save(ctx)
	require.NoError(t, err)
	svc := &returns.Service{DB: db}
	sync := &returns.Channels{Returns: svc, Refunds: &returns.Refunds{DB: db, Returns: svc}}
	out, err := sync.SyncChannelReturn(ctx, ch.ID, channels.Return{
		ExternalID: "RO1", OrderID: "T1", Status: channels.RMARequested, ChannelStatus: "REQUEST_INITIATE", UpdatedAt: time.Now(),
		Lines: []channels.ReturnLine{{UnitIDs: []string{"u1"}, ReturnLineIDs: []string{"rl1"}}, {UnitIDs: []string{"u2"}, ReturnLineIDs: []string{"rl2"}}},
	})
	require.NoError(t, err)
	return svc, out.Return
}

func decisionEvents(t *testing.T, db *database.DB, r *ent.OrderReturn) []events.ReturnDecisionSynced {
	evs, err := db.Client.Event.Query().Where(event.OrderID(string(r.OrderID)), event.Type(events.KindReturnDecisionSynced)).All(context.Background())
	require.NoError(t, err)
	var out []events.ReturnDecisionSynced
	for _, e := range evs {
		p, err := events.Decode[events.ReturnDecisionSynced](e)
		require.NoError(t, err)
		out = append(out, p)
	}
	return out
}

// A decision sent: the channel gets the return's ids, its lines' ids and a stable key; taken, it is
// SENT; refused for good, FAILED with the channel's words and the job ends; a transient failure is
// returned to be retried and leaves it PENDING.
func TestSendDecision(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc, r := lazadaReturn(t, db)
		s := &Service{DB: db, Returns: svc}
		decide := func(in returns.DecideInput) DecideArgs {
			var args DecideArgs
			_, err := svc.Decide(ctx, in, func(_ *ent.Tx, r *ent.OrderReturn) error {
				args = DecideArgs{ReturnID: r.ID, Action: string(in.Action), Version: r.Version, OrderID: r.OrderID,
					Reason: in.Reason, Comment: in.Comment, Evidence: in.Evidence}
				return nil
			})
			require.NoError(t, err)
			return args
		}
		fake := &fakeReturns{}
		open := func(*ent.Channel) (channels.Returns, bool, error) { return fake, true, nil }
		state := func() *ent.OrderReturn {
			got, err := db.Client.OrderReturn.Get(ctx, r.ID)
			require.NoError(t, err)
			return got
		}

		// Refused for good: FAILED, the alert, and no retry.
		refuse := decide(returns.DecideInput{ReturnID: r.ID, Action: orderreturn.SellerDecisionREFUSE, Reason: "12", Comment: "worn",
			Evidence: []string{"https://p/1.jpg"}})
		fake.err = channels.Refused("E0109: reverse order is not in a refusable state")
		require.NoError(t, s.sendDecision(ctx, refuse, open))
		require.Equal(t, orderreturn.DecisionSyncFAILED, state().DecisionSync)
		require.Contains(t, state().DecisionError, "E0109")
		d := fake.got[0]
		require.Equal(t, "RO1", d.ReturnID)
		require.Equal(t, "T1", d.OrderID)
		require.Equal(t, channels.DecideRefuse, d.Action)
		require.Equal(t, "12", d.Reason)
		require.Equal(t, []string{"https://p/1.jpg"}, d.Evidence)
		require.Len(t, d.Lines, 1)
		require.Equal(t, []string{"rl1", "rl2"}, d.Lines[0].ReturnLineIDs)
		require.Equal(t, returns.DecisionKey(r.ID, "REFUSE", refuse.Version), d.IdempotencyKey)

		// Approved: a transient failure is retried (PENDING), with the same key each time.
		approve := decide(returns.DecideInput{ReturnID: r.ID, Action: orderreturn.SellerDecisionAPPROVE})
		fake.err = errors.New("503 from the channel")
		require.Error(t, s.sendDecision(ctx, approve, open))
		require.Equal(t, orderreturn.DecisionSyncPENDING, state().DecisionSync)
		fake.err = nil
		require.NoError(t, s.sendDecision(ctx, approve, open))
		require.Equal(t, orderreturn.DecisionSyncSENT, state().DecisionSync)
		require.Equal(t, orderreturn.StatusAPPROVED, state().Status)
		require.Len(t, fake.got, 3)
		require.Equal(t, fake.got[1].IdempotencyKey, fake.got[2].IdempotencyKey)
		require.NotEqual(t, d.IdempotencyKey, fake.got[2].IdempotencyKey)

		// The job run again (a retry after its success was recorded) sends nothing.
		require.NoError(t, s.sendDecision(ctx, approve, open))
		require.Len(t, fake.got, 3)
		synced := decisionEvents(t, db, r)
		require.Len(t, synced, 2, "one FAILED, one SENT: the transient failure and the rerun record nothing")
		require.Equal(t, "FAILED", synced[0].Sync)
		require.Contains(t, synced[0].Error, "E0109")
		require.Equal(t, events.ReturnDecisionSynced{ReturnID: string(r.ID), Action: "APPROVE", Sync: "SENT"}, synced[1])
	})
}

func TestReceiveWanted(t *testing.T) {
	require.True(t, ReceiveWanted(channel.KindLAZADA))
	require.True(t, ReceiveWanted(channel.KindSHOPIFY))
	require.False(t, ReceiveWanted(channel.KindSHOPEE))
	require.False(t, ReceiveWanted(channel.KindTIKTOK_SHOP))
}

// Ordo's receipt of a channel's return is told (RECEIVE) once per move to RECEIVED, never when the
// channel itself reported it, nor for a return of no channel.
func TestReceiveOf(t *testing.T) {
	ev := func(actor, channelID string, p events.ReturnStatusChanged) *ent.Event {
		b, err := json.Marshal(p)
		require.NoError(t, err)
		var data map[string]any
		require.NoError(t, json.Unmarshal(b, &data))
		return &ent.Event{Type: events.KindReturnStatusChanged, Actor: actor, ChannelID: channelID, OrderID: "ord_1", Data: data}
	}
	received := events.ReturnStatusChanged{ReturnID: "ret_1", Command: "RECEIVE", From: "IN_TRANSIT", To: "RECEIVED"}
	require.Equal(t, DecideArgs{ReturnID: "ret_1", Action: channels.DecideReceive, OrderID: "ord_1"}, receiveOf(ev("key:ops", "chn_1", received)))
	require.Nil(t, receiveOf(ev("channel:chn_1", "chn_1", received)), "the channel's own report")
	require.Nil(t, receiveOf(ev("key:ops", "", received)), "no channel")
	again := received
	again.From = "RECEIVED"
	require.Nil(t, receiveOf(ev("key:ops", "chn_1", again)), "a second parcel")
	approved := events.ReturnStatusChanged{ReturnID: "ret_1", Command: "APPROVE", From: "REQUESTED", To: "APPROVED"}
	require.Nil(t, receiveOf(ev("key:ops", "chn_1", approved)))
}

// A RECEIVE names the received units of each line; a decision names every line asked back.
func TestDecisionLines(t *testing.T) {
	ext, oext := "RO1", "T1"
	r := &ent.OrderReturn{ID: "ret_1", ExternalID: &ext, Edges: ent.OrderReturnEdges{
		Order: &ent.Order{ExternalID: &oext, Currency: "THB"},
		Lines: []*ent.ReturnLine{
			{Sku: "TEE", Quantity: 2, ReceivedQuantity: 1, ExternalIds: []string{"rl1", "rl2"},
				Edges: ent.ReturnLineEdges{OrderLine: &ent.OrderLine{ExternalUnitIds: []string{"u1", "u2"}}}},
			{Sku: "CAP", Quantity: 1, ExternalIds: []string{"rl3"}, Edges: ent.ReturnLineEdges{OrderLine: &ent.OrderLine{ExternalLineID: "L2"}}},
		},
	}}
	d := Decision(r, DecideArgs{Action: channels.DecideApprove, Version: 4})
	require.Equal(t, "RO1", d.ReturnID)
	require.Equal(t, "T1", d.OrderID)
	require.Equal(t, "THB", d.Currency)
	require.Equal(t, "ret_1:APPROVE:4", d.IdempotencyKey)
	require.Len(t, d.Lines, 2)
	require.Equal(t, int64(2), d.Lines[0].Quantity)
	require.Equal(t, "L2", d.Lines[1].LineID)

	d = Decision(r, DecideArgs{Action: channels.DecideReceive})
	require.Len(t, d.Lines, 1, "only what arrived")
	require.Equal(t, int64(1), d.Lines[0].Quantity)
	require.Equal(t, []string{"u1", "u2"}, d.Lines[0].UnitIDs)
}
