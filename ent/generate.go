// Package ent is the generated ent client for Ordo's data model; the hand-written schema is in ent/schema.
package ent

// The whole generate chain, in order: `go generate ./...` (and `make generate`) runs ent, then gqlgen
// over the schema ent wrote.
//go:generate go run -mod=mod entc.go
//go:generate go -C .. tool gqlgen generate
