// Package tracing sets up OpenTelemetry traces for one Ordo process: spans for each HTTP request,
// GraphQL operation, store transaction, River job and call to a channel or carrier, exported over
// OTLP/HTTP when the standard OTEL_EXPORTER_OTLP_ENDPOINT (or …_TRACES_ENDPOINT) is set. Without it
// nothing is set up and the spans cost nothing. W3C trace context is read from and sent with HTTP
// requests, and carried into River jobs, so one trace follows an order from the request that placed
// it to the stock pushes it caused.
package tracing

import (
	"context"
	"net/http"
	"os"
	"runtime/debug"

	"github.com/riverqueue/river/rivertype"
	"github.com/riverqueue/rivercontrib/otelriver"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace/noop"
)

// Start installs the process's tracer provider, exporting in batches over OTLP/HTTP as the OTEL_*
// variables say (endpoint, headers, sampler), and the W3C propagators. stop flushes what is
// buffered and ends the export. Call it only when config says traces are wanted.
func Start(ctx context.Context) (stop func(context.Context) error, err error) {
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, err
	}
	service := os.Getenv("OTEL_SERVICE_NAME")
	if service == "" {
		service = "ordo"
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(semconv.ServiceName(service), semconv.ServiceVersion(version())))
	if err != nil {
		return nil, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return func(ctx context.Context) error {
		otel.SetTracerProvider(noop.NewTracerProvider())
		return tp.Shutdown(ctx)
	}, nil
}

// Handler gives each request a server span (continuing the caller's trace); the server names it by
// the route that served it once the route is known.
func Handler(h http.Handler) http.Handler {
	return otelhttp.NewHandler(h, "http", otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
		return r.Method
	}))
}

// Client wraps c (nil: a new client) so that each call is a client span carrying the trace
// context.
func Client(c *http.Client) *http.Client {
	out := &http.Client{}
	if c != nil {
		*out = *c
	}
	base := out.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	out.Transport = otelhttp.NewTransport(base)
	return out
}

// JobMiddleware traces River: inserts carry the trace context and each job's work is a span.
func JobMiddleware() rivertype.Middleware {
	return otelriver.NewMiddleware(&otelriver.MiddlewareConfig{EnableTracePropagation: true, EnableWorkSpanJobKindSuffix: true})
}

// version is the main module's version as the build recorded it.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.Main.Version
	}
	return ""
}
