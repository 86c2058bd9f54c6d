// Package fault is Ordo's closed set of error categories. Domain packages return a *fault.Error with a
// code and a message fit for the caller; the GraphQL error presenter turns the code into
// extensions.code and never shows anything else of an error it does not recognise.
package fault

import (
	"errors"
	"fmt"
)

// Code is the category of an error, as API clients see it in extensions.code.
type Code string

// The codes clients may see.
const (
	NotFound          Code = "NOT_FOUND"
	InvalidArgument   Code = "INVALID_ARGUMENT"
	Conflict          Code = "CONFLICT"
	InsufficientStock Code = "INSUFFICIENT_STOCK"
	Capacity          Code = "CAPACITY" // the locations that have the stock are at their daily capacity
	Unauthenticated   Code = "UNAUTHENTICATED"
	Forbidden         Code = "FORBIDDEN"
	Unavailable       Code = "UNAVAILABLE" // the server is stopping or cannot reach its store; retry
	Internal          Code = "INTERNAL"
	// PersistedQueryNotFound is Apollo's code for an automatic persisted query whose hash the
	// server does not know yet: the client sends the hash again with the full document.
	PersistedQueryNotFound Code = "PERSISTED_QUERY_NOT_FOUND"
	// SlowConsumer ends a live stream whose client fell behind; it resumes from the cursor given.
	SlowConsumer Code = "SLOW_CONSUMER"
	// TooManySubscriptions refuses a subscription beyond the per-key limit.
	TooManySubscriptions Code = "TOO_MANY_SUBSCRIPTIONS"
)

// Error is an error with a category and a message that is safe to show to the caller.
type Error struct {
	Code    Code
	Message string
	// Details are extra machine-readable facts for the caller, e.g. the SKUs that are short.
	Details map[string]any
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// New returns an error of the given category.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// With returns a copy of e carrying one more detail.
func (e *Error) With(key string, value any) *Error {
	c := *e
	c.Details = make(map[string]any, len(e.Details)+1)
	for k, v := range e.Details {
		c.Details[k] = v
	}
	c.Details[key] = value
	return &c
}

// CodeOf returns the category of err, or Internal when err carries none.
func CodeOf(err error) Code {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Code
	}
	return Internal
}

// Is reports whether err is a fault of the given category.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }
