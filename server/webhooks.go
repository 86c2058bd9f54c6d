package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/fault"
)

// WebhookReceiver takes the channels' webhooks: kind and channelID come from the path
// /webhooks/{kind}/{channelID}, body is the raw request body its signature is over.
type WebhookReceiver interface {
	Receive(ctx context.Context, kind, channelID string, h http.Header, body []byte) error
}

// webhooks serves POST /webhooks/{kind}/{channelID}. Success is 200 with an empty body (Shopee
// counts anything else as a failure); a refused signature is 401 and stores nothing; an oversized
// body is 413. Only an answer of 200 means the delivery was durably taken.
func webhooks(rcv WebhookReceiver, maxBody int64, obs Observer, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if obs != nil {
			rec := &statusRecorder{ResponseWriter: w}
			w = rec
			defer func() { obs.WebhookIn(webhookChannel(r.PathValue("kind"), rec.status), webhookResult(rec.status)) }()
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, fmt.Sprintf("webhook body over %d bytes", maxBody), http.StatusRequestEntityTooLarge)
			return
		}
		if err != nil {
			http.Error(w, "cannot read the body", http.StatusBadRequest)
			return
		}
		err = rcv.Receive(r.Context(), r.PathValue("kind"), r.PathValue("channelID"), r.Header, body)
		if err == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		webhookError(w, r, err, log)
	})
}

// webhookError answers a webhook that was not taken: 401 for a refused signature, 400 for a body
// that cannot be read, 404 for an unknown receiver, 409, 503 with Retry-After when the store is
// out of reach, 500 otherwise (the cause goes to the log only).
func webhookError(w http.ResponseWriter, r *http.Request, err error, log *slog.Logger) {
	if f := database.Fault(err); f != nil && fault.CodeOf(err) == fault.Internal {
		log.WarnContext(r.Context(), "webhook: store failure", "path", r.URL.Path, "err", err)
		err = f
	}
	status := http.StatusInternalServerError
	switch fault.CodeOf(err) {
	case fault.Unauthenticated:
		status = http.StatusUnauthorized
	case fault.NotFound:
		status = http.StatusNotFound
	case fault.InvalidArgument:
		status = http.StatusBadRequest
	case fault.Conflict:
		status = http.StatusConflict
	case fault.Unavailable:
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", retryAfterSeconds)
	}
	msg := internalMessage
	var fe *fault.Error
	if errors.As(err, &fe) {
		msg = fe.Message
	} else {
		log.ErrorContext(r.Context(), "webhook failed", "path", r.URL.Path, "err", err)
	}
	http.Error(w, msg, status)
}

// webhookChannel is the channel label of a webhook: its path's kind, or "unknown" when no receiver
// took it (so that made-up paths add no series).
func webhookChannel(kind string, status int) string {
	if status == http.StatusNotFound || len(kind) > 20 || !token(kind) {
		return "unknown"
	}
	return kind
}

// webhookResult names a webhook's answer for the metrics.
func webhookResult(status int) string {
	switch status {
	case http.StatusOK, 0:
		return "accepted"
	case http.StatusUnauthorized:
		return "refused_signature"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusBadRequest:
		return "bad_request"
	case http.StatusNotFound:
		return "unknown_channel"
	case http.StatusConflict:
		return "conflict"
	case http.StatusServiceUnavailable:
		return "unavailable"
	default:
		return "error"
	}
}
