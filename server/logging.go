package server

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// logRequests logs one line per request: method, path, status, duration, the request's id (the
// client's X-Request-Id when it is a short token, else a new one, answered in X-Request-Id) and
// the GraphQL operation it ran. It logs neither the query string (GET variables) nor any header,
// so keys and personal data stay out of the logs. A websocket is logged when it ends, with status
// 101 and its whole lifetime as duration. obs, when set, is told of each request with the pattern
// that served it.
func logRequests(log *slog.Logger, obs Observer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: requestID(r)}
		w.Header().Set("X-Request-Id", info.id)
		rec := &statusRecorder{ResponseWriter: w}
		inner := r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		next.ServeHTTP(rec, inner)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		d := time.Since(start)
		if span := trace.SpanFromContext(r.Context()); span.IsRecording() {
			span.SetName(r.Method + " " + routeName(inner.Pattern))
		}
		if obs != nil {
			obs.HTTP(inner.Pattern, status, d, status == http.StatusSwitchingProtocols)
		}
		level := slog.LevelInfo
		if status >= http.StatusInternalServerError {
			level = slog.LevelError
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Duration("duration", d),
		}
		if op := info.operation(); op != "" {
			attrs = append(attrs, slog.String("operation", op))
		}
		log.LogAttrs(inner.Context(), level, "http request", attrs...)
	})
}

// statusRecorder remembers the status a handler wrote. It passes Hijack through for websockets and
// Unwrap for http.ResponseController (flushing).
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(status int) {
	if s.status == 0 {
		s.status = status
	}
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(s.ResponseWriter).Hijack()
	if err == nil {
		s.status = http.StatusSwitchingProtocols
	}
	return conn, rw, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// routeName is a request's route for span names: the pattern without its method, or "unmatched".
func routeName(pattern string) string {
	if _, path, ok := strings.Cut(pattern, " "); ok {
		return path
	}
	if pattern == "" {
		return "unmatched"
	}
	return pattern
}
