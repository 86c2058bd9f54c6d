// Package returns runs returns (RMAs) and claims: a customer, an agent, a channel or a carrier asks
// for units of a shipped order back; the return is approved or declined, carried back, received per
// line in parts and at any location, and each received unit is dispositioned: back on sale, damaged,
// quarantined, missing or written off. Dispositions move stock through package inventory's ledger
// in the return's transaction; every step appends its event (events/returns.go) there too, and the
// order's return status follows. The lifecycle is a pure table (lifecycle.go).
package returns
