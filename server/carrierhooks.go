package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
)

// CarrierHookReceiver takes carriers' tracking webhooks: accountID comes from the path
// /webhooks/carriers/{accountID}, body is the raw request body its signature is over. A carrier
// that expects a particular answer gets contentType and ack back; others get an empty 200.
type CarrierHookReceiver interface {
	ReceiveTracking(ctx context.Context, accountID string, h http.Header, body []byte) (contentType string, ack []byte, err error)
}

// carrierHooks serves POST /webhooks/carriers/{accountID}. Success is 200 (with the carrier's
// acknowledgement, when it expects one), written after the events are committed; tracking numbers
// Ordo does not know are 200 too, so that the carrier stops resending them. A refused signature is
// 401 and stores nothing; a body that is not the carrier's format is 400; an oversized body 413.
func carrierHooks(rcv CarrierHookReceiver, maxBody int64, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
		ct, ack, err := rcv.ReceiveTracking(r.Context(), r.PathValue("accountID"), r.Header, body)
		if err != nil {
			webhookError(w, r, err, log)
			return
		}
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(ack)
	})
}
