package notifications

import "context"

// Checkpoint creates the relay's checkpoint at the log's head, as a relay's first run does.
func (s *Service) Checkpoint(ctx context.Context) error {
	_, err := s.reader().Checkpoint(ctx)
	return err
}

// UnsubscribeURLFor is a service's unsubscribe link of messages to an address.
var UnsubscribeURLFor = (*Service).unsubscribeURL
