# Ordo's developer commands. `make run` and `make test` are the two a new user needs.
GO        ?= go
PKGS      ?= ./...
BENCHTIME ?= 5s
# VERSION is what `ordo version` prints for a binary built here.
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: all console check-console generate check-generated migration migration-hash check-migrations build run test bench lint check-files hooks clean fuzz

all: build

## generate: regenerate the ent client, graph/ent.graphqls and the gqlgen executor (one `go generate ./...`: ent, then gqlgen)
generate:
	$(GO) generate ./...

## migration: write the next versioned migration, for SQLite and PostgreSQL, from the ent schema: make migration NAME=add_order_notes
migration:
	@test -n "$(NAME)" || (echo "usage: make migration NAME=describe_the_change" >&2; exit 1)
	$(GO) run ./ent/migrate/gen $(NAME)

## migration-hash: rewrite atlas.sum after a migration file was edited by hand
migration-hash:
	$(GO) run ./ent/migrate/gen -hash

## check-migrations: fail when the ent schema and the migration files disagree, or atlas.sum is stale
check-migrations:
	$(GO) run ./ent/migrate/gen -check

## check-generated: fail when committed generated code differs from a fresh generation, or the migrations from the ent schema
check-generated: generate check-migrations
	@git diff --exit-code -- ent graph gqlgen.yml schema.graphqls go.mod go.sum || \
		(echo "generated code is stale: run 'make generate' and commit the result" >&2; exit 1)
	@test -z "$$(git status --porcelain --untracked-files=all -- ent graph)" || \
		(git status --porcelain -- ent graph; echo "make generate created untracked files: commit them" >&2; exit 1)

## console: rebuild the web console's bundle (console/web -> console/dist; needs Node 20 and npm); prints its sizes
console:
	cd console/web && npm ci --no-audit --no-fund && node build.mjs

## check-console: fail when the committed console/dist differs from a fresh build
check-console: console
	@git diff --exit-code -- console/dist || (echo "console/dist is stale: run 'make console' and commit the result" >&2; exit 1)
	@test -z "$$(git status --porcelain --untracked-files=all -- console/dist)" || \
		(git status --porcelain -- console/dist; echo "make console created untracked files: commit them" >&2; exit 1)

## build: build the ordo binary into bin/
build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o bin/ordo ./cmd/ordo

## run: serve Ordo on SQLite (ordo.db) with demo data, GraphiQL at http://127.0.0.1:8080/ and the marketplace simulator feeding it orders
run: build
	./bin/ordo seed --if-empty
	./bin/ordo serve --dev --market

## test: the whole suite, race detector on, against SQLite and PostgreSQL
test:
	$(GO) test -race -count=1 -timeout 60m $(PKGS)

## bench: placeOrder through HTTP, the 500 orders/s channel peak, simulateRouting over 10,000 orders, one routing decision, packing
bench:
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) -timeout 60m ./bench/... ./routing/ ./packing/

## lint: go vet, gofmt, no tracked binaries or big files, and instance/ (production) imports no demo code
lint: check-files
	$(GO) vet $(PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	@! $(GO) list -deps ./instance | grep -x 'github.com/ordo-oms/ordo/demo' || (echo "instance/ must not import demo/" >&2; exit 1)

## check-files: fail when git tracks (or the index holds) a binary or a file over 5 MB not listed in .ci/allowed-files
check-files:
	@.ci/check-files

## hooks: use .githooks/ (pre-commit: no binaries or big files, gofmt) in this clone
hooks:
	git config core.hooksPath .githooks

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
