package server

import (
	"context"
	"log/slog"
	"mime"
	"net/http"
	"strconv"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/fault"
)

// DocumentStore serves stored documents (labels, packing slips, pick lists) to the viewer in ctx:
// NOT_FOUND for a document that does not exist or that the viewer may not read.
type DocumentStore interface {
	Download(ctx context.Context, id string) (name, contentType string, body []byte, err error)
}

// documentsHandler serves GET /documents/{id} with the API key of /graphql: 401 without a key, 404
// for a document the key may not read (not 403: whether it exists is not the key's to learn), else
// the bytes as an attachment that no cache keeps and no browser sniffs.
func documentsHandler(store DocumentStore, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "private, no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if _, ok := auth.FromContext(r.Context()); !ok {
			w.Header().Set("WWW-Authenticate", "Bearer")
			writeError(w, r, http.StatusUnauthorized, fault.New(fault.Unauthenticated, "an API key is required: send Authorization: Bearer <key>"))
			return
		}
		name, ctype, body, err := store.Download(r.Context(), r.PathValue("id"))
		if err != nil {
			status := http.StatusInternalServerError
			switch fault.CodeOf(err) {
			case fault.NotFound:
				status = http.StatusNotFound
			case fault.Unauthenticated:
				status = http.StatusUnauthorized
			case fault.Unavailable:
				status = http.StatusServiceUnavailable
			default:
				if database.Fault(err) == nil {
					log.ErrorContext(r.Context(), "download document", "err", err)
				}
			}
			writeError(w, r, status, err)
			return
		}
		if _, _, err := mime.ParseMediaType(ctype); err != nil {
			ctype = "application/octet-stream"
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body) // a client that went away is not the server's concern
	})
}
