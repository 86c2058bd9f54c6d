package events

// KindJobFailed is the alert raised when a background job fails for good (bad data, refused by the
// channel, an unparseable answer): the job stops retrying and this event says which job and why,
// on the order's timeline when the job was about an order, else on its channel's.
const KindJobFailed = "job.failed"

// JobFailed is the payload of a KindJobFailed event.
type JobFailed struct {
	JobID   int64  `json:"jobID"`
	Job     string `json:"job"` // the job's kind, e.g. channel_fetch
	Attempt int    `json:"attempt"`
	Reason  string `json:"reason"`
	// ExternalIDs are the channel's ids of the orders the job was about, when Ordo may not have them.
	ExternalIDs []string `json:"externalIDs,omitempty"`
}

// Kind implements Payload.
func (JobFailed) Kind() string { return KindJobFailed }

// Event is the event that records f, about an order and/or a channel (either may be empty).
func (f JobFailed) Event(orderID, channelID string) Event {
	return Event{Payload: f, OrderID: orderID, ChannelID: channelID, Actor: "system:jobs"}
}
