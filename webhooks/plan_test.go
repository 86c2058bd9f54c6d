package webhooks

import (
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent/webhookattempt"
)

func TestChains(t *testing.T) {
	for _, tc := range []struct {
		name string
		keys []string
		done []bool
		want [][]int
	}{
		{"nothing", nil, nil, nil},
		{"one order's events form one chain, in log order",
			[]string{"a", "a", "a"}, []bool{false, false, false}, [][]int{{0, 1, 2}}},
		{"orders interleaved: one chain each, in the order of their first event",
			[]string{"b", "a", "b", "c", "a"}, []bool{false, false, false, false, false}, [][]int{{0, 2}, {1, 4}, {3}}},
		{"events about no order are chains of their own",
			[]string{"", "a", "", "a"}, []bool{false, false, false, false}, [][]int{{0}, {1, 3}, {2}}},
		{"delivered events are left out and do not start a chain",
			[]string{"a", "b", "a", "b"}, []bool{false, true, false, false}, [][]int{{0, 2}, {3}}},
		{"everything delivered: nothing to send",
			[]string{"a", ""}, []bool{true, true}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, Chains(tc.keys, tc.done))
		})
	}
}

func TestAdvance(t *testing.T) {
	for _, tc := range []struct {
		name      string
		delivered []bool
		want      int
	}{
		{"empty batch", nil, 0},
		{"all delivered", []bool{true, true, true}, 3},
		{"the head failed: the cursor stays", []bool{false, true, true}, 0},
		{"stops before the first not delivered, whatever follows", []bool{true, true, false, true, false}, 2},
		{"only the last missing", []bool{true, true, false}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, Advance(tc.delivered))
		})
	}
}

func TestRetry(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name       string
		attempt    int
		retryAfter time.Time
		want       time.Time
		exhausted  bool
	}{
		{"the first failure waits the first step", 1, time.Time{}, now.Add(5 * time.Second), false},
		{"the third failure waits the third step", 3, time.Time{}, now.Add(30 * time.Minute), false},
		{"the ninth failure waits the last step", 9, time.Time{}, now.Add(24 * time.Hour), false},
		{"the tenth failure exhausts the schedule", 10, time.Time{}, time.Time{}, true},
		{"a later Retry-After wins", 1, now.Add(2 * time.Minute), now.Add(2 * time.Minute), false},
		{"an earlier Retry-After does not shorten the schedule", 2, now.Add(time.Minute), now.Add(5 * time.Minute), false},
		{"a Retry-After beyond the longest step is cut to it", 1, now.Add(30 * 24 * time.Hour), now.Add(24 * time.Hour), false},
		{"attempt zero is not a failure to schedule", 0, time.Time{}, time.Time{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next, exhausted := Retry(Spec, tc.attempt, now, tc.retryAfter)
			require.Equal(t, tc.exhausted, exhausted)
			require.Equal(t, tc.want, next)
		})
	}
	t.Run("the spec's schedule adds up to the spec's 75 hours", func(t *testing.T) {
		var total time.Duration
		for _, d := range Spec {
			total += d
		}
		require.Equal(t, 75*time.Hour+35*time.Minute+5*time.Second, total)
	})
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   time.Time
	}{
		{"", time.Time{}},
		{"120", now.Add(2 * time.Minute)},
		{" 7 ", now.Add(7 * time.Second)},
		{"-1", time.Time{}},
		{"soon", time.Time{}},
		{now.Add(time.Hour).Format(http.TimeFormat), now.Add(time.Hour)},
		{"99999999999", now.Add(7 * 24 * time.Hour)},
	} {
		t.Run(tc.header, func(t *testing.T) {
			require.Equal(t, tc.want, RetryAfter(tc.header, now))
		})
	}
}

func TestOutcome(t *testing.T) {
	for _, tc := range []struct {
		status int
		err    error
		want   webhookattempt.Outcome
	}{
		{200, nil, webhookattempt.OutcomeDELIVERED},
		{204, nil, webhookattempt.OutcomeDELIVERED},
		{410, nil, webhookattempt.OutcomeGONE},
		{301, nil, webhookattempt.OutcomeFAILED},
		{302, nil, webhookattempt.OutcomeFAILED},
		{400, nil, webhookattempt.OutcomeFAILED},
		{429, nil, webhookattempt.OutcomeFAILED},
		{500, nil, webhookattempt.OutcomeFAILED},
		{503, nil, webhookattempt.OutcomeFAILED},
		{0, errRefused, webhookattempt.OutcomeREFUSED},
		{0, http.ErrHandlerTimeout, webhookattempt.OutcomeFAILED},
	} {
		require.Equal(t, tc.want, Outcome(tc.status, tc.err), "%d %v", tc.status, tc.err)
	}
}

func TestPrivate(t *testing.T) {
	for _, tc := range []struct {
		addr    string
		private bool
	}{
		{"127.0.0.1", true}, {"127.8.9.10", true}, {"10.1.2.3", true}, {"172.16.0.1", true}, {"192.168.1.1", true},
		{"169.254.169.254", true}, {"0.0.0.0", true}, {"100.64.0.1", true}, {"224.0.0.1", true},
		{"::1", true}, {"::", true}, {"fe80::1", true}, {"fc00::1", true}, {"ff02::1", true}, {"::ffff:127.0.0.1", true},
		{"::ffff:10.0.0.1", true},
		{"8.8.8.8", false}, {"203.0.113.7", false}, {"100.128.0.1", false}, {"2001:4860:4860::8888", false},
		{"::ffff:8.8.8.8", false},
	} {
		require.Equal(t, tc.private, Private(netip.MustParseAddr(tc.addr)), tc.addr)
	}
}
