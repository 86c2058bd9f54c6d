// Package config reads Ordo's configuration from ORDO_* environment variables, once, into a typed and
// validated struct that is passed explicitly to what needs it. The README's configuration table lists
// every variable; keep the two in step.
package config

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/vault"
)

// Config is the whole configuration of an Ordo process.
type Config struct {
	DatabaseURL     string        // ORDO_DATABASE_URL
	DBMaxConns      int           // ORDO_DB_MAX_CONNS
	HTTPAddr        string        // ORDO_HTTP_ADDR
	AllowedOrigins  []string      // ORDO_ALLOWED_ORIGINS, comma-separated
	MaxBodyBytes    int64         // ORDO_MAX_BODY_BYTES
	ComplexityLimit int           // ORDO_COMPLEXITY_LIMIT
	DepthLimit      int           // ORDO_DEPTH_LIMIT
	LogLevel        string        // ORDO_LOG_LEVEL
	LogFormat       string        // ORDO_LOG_FORMAT: text or json
	ShutdownTimeout time.Duration // ORDO_SHUTDOWN_TIMEOUT
	// SecretKey seals channel credentials (ORDO_SECRET_KEY, base64); empty: the public development
	// key, with a warning.
	SecretKey []byte
	PublicURL string // ORDO_PUBLIC_URL

	// MaxPageSize is the largest first/last a connection may be asked for (ORDO_MAX_PAGE_SIZE).
	MaxPageSize int
	// Introspection is who may introspect the schema (ORDO_INTROSPECTION): "keys" (callers with an
	// API key), "all" or "off".
	Introspection string
	// GraphiQL serves GraphiQL at / (ORDO_GRAPHIQL).
	GraphiQL bool
	// Metrics serves Prometheus metrics at /metrics to admin keys (ORDO_METRICS).
	Metrics bool
	// Profiling serves Go's pprof at /debug/pprof/ to admin keys (ORDO_PPROF).
	Profiling bool
	// Tracing exports OpenTelemetry traces over OTLP/HTTP: on when OTEL_EXPORTER_OTLP_ENDPOINT or
	// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set and OTEL_SDK_DISABLED is not true; the exporter
	// reads the other OTEL_* variables itself.
	Tracing bool
	// ReadHeaderTimeout, ReadTimeout and IdleTimeout bound slow clients
	// (ORDO_READ_HEADER_TIMEOUT, ORDO_READ_TIMEOUT, ORDO_IDLE_TIMEOUT).
	ReadHeaderTimeout, ReadTimeout, IdleTimeout time.Duration
	// MaxSubscriptionsPerKey caps the subscriptions one API key holds open in one process
	// (ORDO_MAX_SUBSCRIPTIONS_PER_KEY).
	MaxSubscriptionsPerKey int
	// SubscriptionBuffer is how many committed changes a subscriber may fall behind before it is
	// told SLOW_CONSUMER and cut off (ORDO_SUBSCRIPTION_BUFFER).
	SubscriptionBuffer int

	// SMTPURL is the mail server customer notifications are sent through (ORDO_SMTP_URL):
	// smtp://user:password@host:587 (STARTTLS when offered), smtps://… (TLS from the start); empty:
	// customers are not notified.
	SMTPURL string
	// MailFrom is the sender of notifications whose channel names none (ORDO_MAIL_FROM).
	MailFrom string
	// NotifyHTTPURL is a messaging gateway (SMS, LINE, WhatsApp) that notifications are also POSTed
	// to, signed with NotifyHTTPSecret (ORDO_NOTIFY_HTTP_URL, ORDO_NOTIFY_HTTP_SECRET); empty: none.
	NotifyHTTPURL, NotifyHTTPSecret string
	// WebhookAllowPrivate lets partner webhooks target private and loopback addresses
	// (ORDO_WEBHOOK_ALLOW_PRIVATE; `ordo serve --dev` sets it).
	WebhookAllowPrivate bool
	// WebhookTimeout bounds one webhook delivery (ORDO_WEBHOOK_TIMEOUT).
	WebhookTimeout time.Duration
	// InsecureCookies leaves Secure off the console's session cookie, so that it works over plain
	// http://localhost; only `ordo serve --dev` sets it.
	InsecureCookies bool
}

// Var documents one environment variable.
type Var struct{ Name, Default, Meaning string }

// Vars lists every variable with its default, for the README and `ordo help`.
var Vars = []Var{
	{"ORDO_DATABASE_URL", "sqlite://ordo.db", "store: sqlite://path/to/file.db or postgres://user@host:5432/db"},
	{"ORDO_DB_MAX_CONNS", "32", "most PostgreSQL connections one process opens for its pool (queries, jobs, locks; at least 2); it opens one more to LISTEN for events"},
	{"ORDO_HTTP_ADDR", "127.0.0.1:8080", "address `ordo serve` listens on"},
	{"ORDO_ALLOWED_ORIGINS", "(none)", "comma-separated browser origins allowed to open websockets (same host and non-browser clients always are)"},
	{"ORDO_MAX_BODY_BYTES", "1048576", "largest request body accepted"},
	{"ORDO_COMPLEXITY_LIMIT", "25000", "largest cost of a query accepted: each field counts 1, and a list multiplies its items' fields by its page size (first/last), or by 5 when it has none"},
	{"ORDO_DEPTH_LIMIT", "12", "deepest query accepted"},
	{"ORDO_MAX_PAGE_SIZE", "100", "largest first/last a connection may be asked for (a larger one is refused); a connection asked for neither serves 100 items, or this when smaller"},
	{"ORDO_INTROSPECTION", "keys", "who may introspect the schema: keys (callers with an API key), all, or off; `ordo serve --dev` sets all"},
	{"ORDO_GRAPHIQL", "false", "serve GraphiQL (built into the binary) at /; `ordo serve --dev` sets true"},
	{"ORDO_READ_HEADER_TIMEOUT", "10s", "how long a client may take to send a request's headers"},
	{"ORDO_READ_TIMEOUT", "30s", "how long a client may take to send a whole request, body included (websockets set their own deadlines once open)"},
	{"ORDO_IDLE_TIMEOUT", "2m", "how long a kept-alive connection may wait for its next request"},
	{"ORDO_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"ORDO_LOG_FORMAT", "text", "text, or json: one JSON object per line, with request_id and the GraphQL operation on request lines"},
	{"ORDO_METRICS", "true", "serve Prometheus metrics at /metrics, to an admin API key as bearer token"},
	{"ORDO_PPROF", "false", "serve Go's pprof at /debug/pprof/, to an admin API key"},
	{"OTEL_EXPORTER_OTLP_ENDPOINT", "(none)", "export OpenTelemetry traces over OTLP/HTTP to this collector (e.g. http://localhost:4318); the other OTEL_* variables (headers, sampler, service name) apply"},
	{"ORDO_SHUTDOWN_TIMEOUT", "15s", "how long `ordo serve` drains requests on SIGTERM"},
	{"ORDO_SECRET_KEY", "(development key)", "32 random bytes in base64 (`openssl rand -base64 32`) that seal channel credentials at rest; without it a public development key is used, with a warning"},
	{"ORDO_PUBLIC_URL", "http://ORDO_HTTP_ADDR", "Ordo's address as channels reach it; webhook endpoints are ORDO_PUBLIC_URL/webhooks/{kind}/{channelID}"},
	{"ORDO_MAX_SUBSCRIPTIONS_PER_KEY", "100", "subscriptions one API key may hold open at once (per process); more are refused with TOO_MANY_SUBSCRIPTIONS"},
	{"ORDO_SMTP_URL", "(none)", "mail server for customer notifications: smtp://user:password@host:587 (STARTTLS when offered) or smtps://user:password@host:465; unset: customers are not notified (previews still work)"},
	{"ORDO_MAIL_FROM", "Ordo <no-reply@localhost>", "sender of customer notifications whose channel's branding names none"},
	{"ORDO_NOTIFY_HTTP_URL", "(none)", "a messaging gateway (SMS, LINE, WhatsApp) notifications are also POSTed to, as JSON signed per Standard Webhooks"},
	{"ORDO_NOTIFY_HTTP_SECRET", "(none)", "the gateway's signing secret (whsec_…)"},
	{"ORDO_WEBHOOK_ALLOW_PRIVATE", "false", "let partner webhook endpoints be private or loopback addresses; `ordo serve --dev` sets true"},
	{"ORDO_WEBHOOK_TIMEOUT", "15s", "how long one partner webhook delivery may take"},
	{"ORDO_SUBSCRIPTION_BUFFER", "256", "committed changes a live subscriber may fall behind before it gets SLOW_CONSUMER (with its resume cursor) and is cut off"},
}

// Dev is c for trying Ordo out (`ordo serve --dev`): GraphiQL at /, introspection for anyone,
// webhooks to local receivers, and console cookies over plain HTTP.
func (c Config) Dev() Config {
	c.Introspection, c.GraphiQL, c.WebhookAllowPrivate, c.InsecureCookies = "all", true, true, true
	return c
}

// FromEnv reads the configuration from the environment.
func FromEnv() (Config, error) { return parse(os.Getenv) }

func parse(get func(string) string) (Config, error) {
	val := func(name, def string) string {
		if v := strings.TrimSpace(get(name)); v != "" {
			return v
		}
		return def
	}
	var errs []string
	num := func(name string, def int64) int64 {
		n, err := strconv.ParseInt(val(name, strconv.FormatInt(def, 10)), 10, 64)
		if err != nil || n <= 0 {
			errs = append(errs, fmt.Sprintf("%s must be a positive integer", name))
		}
		return n
	}
	c := Config{
		DatabaseURL:            val("ORDO_DATABASE_URL", "sqlite://ordo.db"),
		DBMaxConns:             int(num("ORDO_DB_MAX_CONNS", 32)),
		HTTPAddr:               val("ORDO_HTTP_ADDR", "127.0.0.1:8080"),
		MaxBodyBytes:           num("ORDO_MAX_BODY_BYTES", 1<<20),
		ComplexityLimit:        int(num("ORDO_COMPLEXITY_LIMIT", 25000)),
		DepthLimit:             int(num("ORDO_DEPTH_LIMIT", 12)),
		MaxPageSize:            int(num("ORDO_MAX_PAGE_SIZE", 100)),
		Introspection:          strings.ToLower(val("ORDO_INTROSPECTION", "keys")),
		LogLevel:               strings.ToLower(val("ORDO_LOG_LEVEL", "info")),
		LogFormat:              strings.ToLower(val("ORDO_LOG_FORMAT", "text")),
		MaxSubscriptionsPerKey: int(num("ORDO_MAX_SUBSCRIPTIONS_PER_KEY", 100)),
		SubscriptionBuffer:     int(num("ORDO_SUBSCRIPTION_BUFFER", 256)),
	}
	duration := func(name, def string) time.Duration {
		d, err := time.ParseDuration(val(name, def))
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Sprintf("%s must be a positive duration such as %s", name, def))
		}
		return d
	}
	c.ReadHeaderTimeout = duration("ORDO_READ_HEADER_TIMEOUT", "10s")
	c.ReadTimeout = duration("ORDO_READ_TIMEOUT", "30s")
	c.IdleTimeout = duration("ORDO_IDLE_TIMEOUT", "2m")
	c.WebhookTimeout = duration("ORDO_WEBHOOK_TIMEOUT", "15s")
	c.SMTPURL = strings.TrimSpace(get("ORDO_SMTP_URL"))
	c.MailFrom = val("ORDO_MAIL_FROM", "Ordo <no-reply@localhost>")
	c.NotifyHTTPURL = strings.TrimSpace(get("ORDO_NOTIFY_HTTP_URL"))
	c.NotifyHTTPSecret = strings.TrimSpace(get("ORDO_NOTIFY_HTTP_SECRET"))
	for _, o := range strings.Split(get("ORDO_ALLOWED_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.AllowedOrigins = append(c.AllowedOrigins, o)
		}
	}
	var err error
	switch c.Introspection {
	case "keys", "all", "off":
	default:
		errs = append(errs, "ORDO_INTROSPECTION must be keys, all or off")
	}
	if c.GraphiQL, err = strconv.ParseBool(val("ORDO_GRAPHIQL", "false")); err != nil {
		errs = append(errs, "ORDO_GRAPHIQL must be true or false")
	}
	if c.Metrics, err = strconv.ParseBool(val("ORDO_METRICS", "true")); err != nil {
		errs = append(errs, "ORDO_METRICS must be true or false")
	}
	c.Tracing = !strings.EqualFold(val("OTEL_SDK_DISABLED", "false"), "true") &&
		(val("OTEL_EXPORTER_OTLP_ENDPOINT", "") != "" || val("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "") != "")
	if c.Profiling, err = strconv.ParseBool(val("ORDO_PPROF", "false")); err != nil {
		errs = append(errs, "ORDO_PPROF must be true or false")
	}
	if c.WebhookAllowPrivate, err = strconv.ParseBool(val("ORDO_WEBHOOK_ALLOW_PRIVATE", "false")); err != nil {
		errs = append(errs, "ORDO_WEBHOOK_ALLOW_PRIVATE must be true or false")
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			errs = append(errs, "ORDO_SMTP_URL must be smtp://[user:password@]host:port or smtps://…")
		}
	}
	if c.NotifyHTTPURL != "" {
		if u, err := url.Parse(c.NotifyHTTPURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, "ORDO_NOTIFY_HTTP_URL must be an http(s) URL")
		}
		if c.NotifyHTTPSecret == "" {
			errs = append(errs, "ORDO_NOTIFY_HTTP_URL needs ORDO_NOTIFY_HTTP_SECRET")
		}
	}
	if c.ShutdownTimeout, err = time.ParseDuration(val("ORDO_SHUTDOWN_TIMEOUT", "15s")); err != nil {
		errs = append(errs, "ORDO_SHUTDOWN_TIMEOUT must be a duration such as 15s")
	}
	if k := strings.TrimSpace(get("ORDO_SECRET_KEY")); k != "" {
		if c.SecretKey, err = vault.ParseKey(k); err != nil {
			errs = append(errs, err.Error())
		}
	}
	c.PublicURL = strings.TrimRight(val("ORDO_PUBLIC_URL", "http://"+c.HTTPAddr), "/")
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, "ORDO_PUBLIC_URL must be an http(s) URL such as https://oms.example.com")
	}
	if c.DBMaxConns == 1 {
		errs = append(errs, "ORDO_DB_MAX_CONNS must be at least 2 (migrations hold a lock on one connection while they use another)")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, "ORDO_LOG_LEVEL must be debug, info, warn or error")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, "ORDO_LOG_FORMAT must be text or json")
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("configuration: %s", strings.Join(errs, "; "))
	}
	return c, nil
}
