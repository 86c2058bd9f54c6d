package events

// Passes returns how many reads of the log h has completed, so tests can wait for one that started
// after a given moment.
func Passes(h *Hub) int64 { return h.passes.Load() }

// Listening reports whether h's LISTEN connection is up.
func Listening(h *Hub) bool { return h.listening.Load() }

// Transactions exposes transactions to the tests.
var Transactions = transactions
