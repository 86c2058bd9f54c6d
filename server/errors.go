package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

// internalMessage is all a client learns about an error that is not a fault.
const internalMessage = "internal error"

// presentError is Ordo's one error presenter. It decides what a client sees of an error:
//   - an argument that could not be read (a scalar's parser refused it: a malformed id, cursor,
//     time or Int64): INVALID_ARGUMENT, with the argument's path and what was wrong;
//   - a *fault.Error anywhere in the chain: its message, extensions.code and extensions.details;
//   - ent's not-found and validation errors, and malformed ids: NOT_FOUND or INVALID_ARGUMENT;
//   - a failure of the store that callers are told about (database.Fault): UNAVAILABLE when it is
//     out of reach or refuses writes (the transport answers 503 with Retry-After), INVALID_ARGUMENT
//     for text it cannot hold; never the store's own message;
//   - a GraphQL error made by gqlparser or gqlgen (parse, validation, input coercion, request
//     limits): its message, with extensions.code INVALID_ARGUMENT;
//   - anything else: "internal error" with extensions.code INTERNAL; the real error is logged.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		in := graphql.DefaultErrorPresenter(ctx, err)
		out := &gqlerror.Error{Message: in.Message, Path: in.Path, Locations: in.Locations, Rule: in.Rule}
		var fe *fault.Error
		if arg, ok := argumentError(ctx, in); ok {
			out.Message = arg
			out.Extensions = map[string]any{"code": fault.InvalidArgument}
			return out
		}
		if f := database.Fault(err); f != nil && !errors.As(err, &fe) {
			log.WarnContext(ctx, "graphql: store failure", "err", err, "path", in.Path.String())
			err = f
		}
		switch {
		case errors.As(err, &fe):
			out.Message = fe.Message
			out.Extensions = map[string]any{"code": fe.Code}
			if len(fe.Details) > 0 {
				out.Extensions["details"] = fe.Details
			}
		case ent.IsNotFound(err):
			out.Message = "not found"
			out.Extensions = map[string]any{"code": fault.NotFound}
		case errors.Is(err, pulid.ErrMalformed):
			out.Message = "malformed id: " + strings.TrimPrefix(err.Error(), pulid.ErrMalformed.Error()+": ")
			out.Extensions = map[string]any{"code": fault.InvalidArgument}
		case ent.IsValidationError(err):
			out.Message = strings.TrimPrefix(err.Error(), "ent: ")
			out.Extensions = map[string]any{"code": fault.InvalidArgument}
		case in.Extensions["code"] == string(fault.NotFound): // entgql's "could not resolve to a node"
			out.Extensions = map[string]any{"code": fault.NotFound}
		case isGraphQLError(in):
			out.Extensions = map[string]any{"code": fault.InvalidArgument}
		default:
			log.ErrorContext(ctx, "graphql: internal error", "err", err, "path", in.Path.String())
			out.Message = internalMessage
			out.Extensions = map[string]any{"code": fault.Internal}
		}
		return out
	}
}

// argumentError recognises an error raised while gqlgen read a field's arguments (the field's
// context has no arguments yet, and the error's path runs past the field into them): a scalar's
// UnmarshalGQL refused what the client sent. It returns the client's message: the argument's path
// and what was wrong. Cursors are opaque, so a bad one is only said to be malformed.
func argumentError(ctx context.Context, e *gqlerror.Error) (string, bool) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Args != nil || e.Err == nil {
		return "", false
	}
	field := fc.Path()
	if len(e.Path) <= len(field) {
		return "", false
	}
	for i := range field {
		if field[i] != e.Path[i] {
			return "", false
		}
	}
	var at strings.Builder
	for i, p := range e.Path[len(field):] {
		switch p := p.(type) {
		case ast.PathIndex:
			fmt.Fprintf(&at, "[%d]", int(p))
		case ast.PathName:
			if i > 0 {
				at.WriteByte('.')
			}
			at.WriteString(string(p))
		}
	}
	what := e.Message
	if name, ok := e.Path[len(field)].(ast.PathName); ok && fc.Field.Field != nil && fc.Field.Definition != nil {
		if def := fc.Field.Definition.Arguments.ForName(string(name)); def != nil && def.Type.Name() == "Cursor" {
			what = "malformed cursor; use a cursor from a page of this connection"
		}
	}
	return fmt.Sprintf("%s: %s", at.String(), what), true
}

// Retry-After that an UNAVAILABLE answer carries: how long a client should wait before trying again.
const retryAfterSeconds = "5"

// unavailable reports whether a response carries an UNAVAILABLE error: the store is out of reach
// or refuses writes. Such a response is answered 503 with Retry-After, whatever the media type,
// so that clients and load balancers back off instead of counting it a server bug.
func unavailable(resp *graphql.Response) bool {
	if resp == nil {
		return false
	}
	for _, e := range resp.Errors {
		if e.Extensions["code"] == fault.Unavailable {
			return true
		}
	}
	return false
}

// isGraphQLError says whether e was made by gqlparser or gqlgen for the client: it carries one of
// their request-error codes, or it has no underlying Go error whose text could leak internals.
func isGraphQLError(e *gqlerror.Error) bool {
	switch e.Extensions["code"] {
	case errcode.ParseFailed, errcode.ValidationFailed:
		return true
	}
	return e.Err == nil
}

// recoverPanic is gqlgen's RecoverFunc: it logs a resolver's panic with its stack and answers INTERNAL.
func recoverPanic(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "graphql: panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return fault.New(fault.Internal, internalMessage)
	}
}

// writeError answers a request that never reached GraphQL execution (bad method, media type, size,
// key) with a GraphQL-shaped error body in the negotiated media type. Only a fault's message is
// shown; a store failure becomes its fault (database.Fault: an outage is 503 with Retry-After);
// any other error becomes "internal error".
func writeError(w http.ResponseWriter, r *http.Request, status int, err error) {
	if f := database.Fault(err); f != nil && fault.CodeOf(err) == fault.Internal {
		err = f // e.g. the API key could not be looked up: the store is out of reach
		switch f.Code {
		case fault.Unavailable:
			status = http.StatusServiceUnavailable
		case fault.InvalidArgument:
			status = http.StatusBadRequest
		}
	}
	msg := internalMessage
	var fe *fault.Error
	if errors.As(err, &fe) {
		msg = fe.Message
	}
	body, _ := json.Marshal(struct {
		Errors gqlerror.List `json:"errors"`
	}{gqlerror.List{{Message: msg, Extensions: map[string]any{"code": fault.CodeOf(err)}}}})
	mediaType := negotiate(r.Header.Get("Accept"))
	if mediaType == "" {
		mediaType = mediaJSON
	}
	w.Header().Set("Content-Type", mediaType)
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", retryAfterSeconds)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
