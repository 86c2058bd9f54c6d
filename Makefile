# Ordo's developer commands. `make run` and `make test` are the two a new user needs.
GO        ?= go
PKGS      ?= ./...
BENCHTIME ?= 5s

.PHONY: all generate check-generated build run test bench lint clean fuzz

all: build

## generate: regenerate the ent client, graph/ent.graphqls and the gqlgen executor
generate:
	cd ent && $(GO) run -mod=mod entc.go
	$(GO) tool gqlgen generate

## check-generated: fail when committed generated code differs from a fresh generation
check-generated: generate
	@git diff --exit-code -- ent graph gqlgen.yml schema.graphqls go.mod go.sum || \
		(echo "generated code is stale: run 'make generate' and commit the result" >&2; exit 1)
	@test -z "$$(git status --porcelain --untracked-files=all -- ent graph)" || \
		(git status --porcelain -- ent graph; echo "make generate created untracked files: commit them" >&2; exit 1)

## build: build the ordo binary into bin/
build:
	$(GO) build -o bin/ordo ./cmd/ordo

## run: serve Ordo on SQLite (ordo.db) with demo data, GraphiQL at http://127.0.0.1:8080/ and the marketplace simulator feeding it orders
run: build
	./bin/ordo seed --if-empty
	./bin/ordo serve --dev --market

## test: the whole suite, race detector on, against SQLite and PostgreSQL
test:
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

## bench: placeOrder through HTTP, the 500 orders/s channel peak, simulateRouting over 10,000 orders, one routing decision, packing
bench:
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) -timeout 60m ./bench/... ./routing/ ./packing/

## lint: go vet and gofmt
lint:
	$(GO) vet $(PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)

clean:
	rm -rf bin ordo.db ordo.db-wal ordo.db-shm

## fuzz: run every webhook parser's and normalizer's fuzz target for FUZZTIME each
FUZZTIME ?= 10s
fuzz:
	@for pkg in $$(go list ./channels/...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "$$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s $$pkg || exit 1; \
		done; \
	done
