package outbound

import (
	"context"
	"fmt"
	"time"

	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// Status is where a channel's stock sync stands.
type Status struct {
	Listings, Pending, Failing int
	// OldestPendingSince is when the oldest change not yet pushed happened; nil when none waits.
	OldestPendingSince *time.Time
	// Lag is how long that change has waited; LastPushLag the longest lag of any listing's last push.
	Lag, LastPushLag time.Duration
	LastPushedAt     *time.Time
}

// Status reports a channel's stock sync over its active listings.
func (s *Service) Status(ctx context.Context, channelID pulid.ID) (Status, error) {
	ls, err := s.DB.Client.ChannelListing.Query().
		Where(channellisting.ChannelID(channelID), channellisting.Active(true)).All(ctx)
	if err != nil {
		return Status{}, fmt.Errorf("load listings: %w", err)
	}
	now := s.now()
	var st Status
	st.Listings = len(ls)
	for _, l := range ls {
		if l.DirtySeq > l.PushedSeq {
			st.Pending++
			if l.DirtySince != nil && (st.OldestPendingSince == nil || l.DirtySince.Before(*st.OldestPendingSince)) {
				st.OldestPendingSince = l.DirtySince
			}
		}
		if l.LastPushError != "" {
			st.Failing++
		}
		if l.LastPushLagMs != nil {
			st.LastPushLag = max(st.LastPushLag, time.Duration(*l.LastPushLagMs)*time.Millisecond)
		}
		if l.LastPushedAt != nil && (st.LastPushedAt == nil || l.LastPushedAt.After(*st.LastPushedAt)) {
			st.LastPushedAt = l.LastPushedAt
		}
	}
	if st.OldestPendingSince != nil {
		st.Lag = max(0, now.Sub(*st.OldestPendingSince))
	}
	return st, nil
}
