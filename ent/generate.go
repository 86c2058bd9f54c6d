// Package ent is the generated ent client for Ordo's data model; the hand-written schema is in ent/schema.
package ent

//go:generate go run -mod=mod entc.go
