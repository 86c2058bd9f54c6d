package returns_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/returns"
)

// Every (status, command) pair of the table: where it leads, or CONFLICT.
func TestNext(t *testing.T) {
	const (
		REQ = orderreturn.StatusREQUESTED
		APP = orderreturn.StatusAPPROVED
		DEC = orderreturn.StatusDECLINED
		TRA = orderreturn.StatusIN_TRANSIT
		REC = orderreturn.StatusRECEIVED
		INS = orderreturn.StatusINSPECTED
		COM = orderreturn.StatusCOMPLETED
		CLO = orderreturn.StatusCLOSED
		CAN = orderreturn.StatusCANCELLED
	)
	all := []orderreturn.Status{REQ, APP, DEC, TRA, REC, INS, COM, CLO, CAN}
	want := map[returns.Command]map[orderreturn.Status]orderreturn.Status{
		returns.Approve:       {REQ: APP},
		returns.Decline:       {REQ: DEC},
		returns.MarkInTransit: {APP: TRA},
		returns.Receive:       {APP: REC, TRA: REC, REC: REC, INS: REC},
		returns.Dispose:       {REC: REC},
		returns.Inspect:       {REC: INS},
		returns.Complete:      {INS: COM},
		returns.Close:         {COM: CLO},
		returns.Cancel:        {REQ: CAN, APP: CAN, TRA: CAN},
		returns.Reopen:        {CLO: APP},
	}
	for cmd, ok := range want {
		for _, cur := range all {
			got, err := returns.Next(cur, cmd)
			if to, allowed := ok[cur]; allowed {
				require.NoError(t, err, "%s from %s", cmd, cur)
				require.Equal(t, to, got, "%s from %s", cmd, cur)
				continue
			}
			require.True(t, fault.Is(err, fault.Conflict), "%s from %s: %v", cmd, cur, err)
		}
	}
	// DECLINED and CANCELLED are terminal: no command leaves them.
	for cmd := range want {
		for _, cur := range []orderreturn.Status{DEC, CAN} {
			_, err := returns.Next(cur, cmd)
			require.Error(t, err)
		}
	}
	_, err := returns.Next(REQ, "FLY")
	require.True(t, fault.Is(err, fault.InvalidArgument))
}

// A claim (nothing comes back) completes from APPROVED; a return does not.
func TestClaimCompletesWithoutReceipt(t *testing.T) {
	got, err := returns.NextFor(orderreturn.KindCLAIM, orderreturn.StatusAPPROVED, returns.Complete)
	require.NoError(t, err)
	require.Equal(t, orderreturn.StatusCOMPLETED, got)
	_, err = returns.NextFor(orderreturn.KindRETURN, orderreturn.StatusAPPROVED, returns.Complete)
	require.True(t, fault.Is(err, fault.Conflict))
}

func TestOrderStatus(t *testing.T) {
	for _, c := range []struct {
		active            int
		received, shipped int64
		want              order.ReturnStatus
	}{
		{0, 0, 3, order.ReturnStatusNONE},
		{1, 0, 3, order.ReturnStatusREQUESTED},
		{1, 2, 3, order.ReturnStatusPARTIALLY_RETURNED},
		{2, 3, 3, order.ReturnStatusRETURNED},
	} {
		require.Equal(t, c.want, returns.OrderStatus(c.active, c.received, c.shipped), "%+v", c)
	}
}
