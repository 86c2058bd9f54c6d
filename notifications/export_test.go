package notifications

import "context"

// Checkpoint creates the relay's checkpoint at the log's head, as a relay's first run does.
func (s *Service) Checkpoint(ctx context.Context) error {
	_, err := s.checkpoint(ctx)
	return err
}

// UnsubscribeURL is the unsubscribe link of a message to address.
var UnsubscribeURLFor = (*Service).unsubscribeURL
