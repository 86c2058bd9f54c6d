package webhooks

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Retry decides what follows the failed attempt number attempt (1 for the first) of the delivery
// at the head of an endpoint's stream: the time of the next try, now plus the schedule's wait for
// it, or the receiver's Retry-After when that is later (but no later than the schedule's longest
// wait, so that a receiver cannot park its stream for good); or exhausted, when the schedule has no
// more waits and the endpoint is to be disabled. It is pure.
func Retry(schedule []time.Duration, attempt int, now, retryAfter time.Time) (next time.Time, exhausted bool) {
	if attempt < 1 || attempt > len(schedule) {
		return time.Time{}, true
	}
	next = now.Add(schedule[attempt-1])
	if retryAfter.After(next) {
		next = retryAfter
		if longest := now.Add(slices.Max(schedule)); next.After(longest) {
			next = longest
		}
	}
	return next, false
}

// RetryAfter reads a Retry-After header, in seconds or as an HTTP date, into the time it names;
// the zero time when there is none or it does not parse. It is pure.
func RetryAfter(h string, now time.Time) time.Time {
	h = strings.TrimSpace(h)
	if h == "" {
		return time.Time{}
	}
	if n, err := strconv.ParseInt(h, 10, 64); err == nil {
		if n < 0 {
			return time.Time{}
		}
		return now.Add(time.Duration(min(n, int64(7*24*time.Hour/time.Second))) * time.Second)
	}
	if t, err := http.ParseTime(h); err == nil {
		return t.UTC()
	}
	return time.Time{}
}
