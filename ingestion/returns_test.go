package ingestion

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// A push naming returns queues their fetch (beside any order work it also calls for); one naming
// none queues no return work.
func TestNotificationJobsForReturns(t *testing.T) {
	ch := pulid.ID("chn_1")
	work := notificationJobs(ch, channels.Notification{Topic: "10", ReturnIDs: []string{"RO1", "RO2"}})
	require.Len(t, work, 1)
	require.Equal(t, ReturnFetchArgs{ChannelID: ch, ReturnIDs: []string{"RO1", "RO2"}, Topic: "10"}, work[0].Args)

	work = notificationJobs(ch, channels.Notification{Topic: "12", ReturnIDs: []string{"R9"}, OrderIDs: []string{"O9"}})
	require.Len(t, work, 2)
	require.IsType(t, ReturnFetchArgs{}, work[0].Args)
	require.Equal(t, FetchArgs{ChannelID: ch, OrderIDs: []string{"O9"}, Topic: "12"}, work[1].Args)

	work = notificationJobs(ch, channels.Notification{OrderIDs: []string{"O9"}})
	require.Len(t, work, 1)
	require.IsType(t, FetchArgs{}, work[0].Args)
}
