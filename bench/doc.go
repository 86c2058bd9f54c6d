// Package bench measures Ordo end to end: real servers started by ordotest, real JSON over loopback
// HTTP, on SQLite and on PostgreSQL. It holds benchmarks only (`make bench`); each one reports
// throughput and latency percentiles and audits the ledger afterwards, so that a faster number can
// never come from a run that broke an invariant.
package bench
