// Package e2e holds Ordo's end-to-end tests: real servers (ordotest, or the ordo binary itself) on
// SQLite and PostgreSQL, driven over real HTTP and websockets.
package e2e
