package graph

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/fault"
)

//go:embed persisted/*.graphql
var persistedFiles embed.FS

// PersistedOperation is one trusted document: partners may run these and nothing else.
type PersistedOperation struct {
	Name     string // the file's name, which is also the operation's name
	SHA256   string // hex SHA-256 of Document, the id clients send
	Document string
}

// PersistedOperations loads the allow-list shipped in graph/persisted.
func PersistedOperations() ([]PersistedOperation, error) {
	entries, err := fs.Glob(persistedFiles, "persisted/*.graphql")
	if err != nil {
		return nil, err
	}
	ops := make([]PersistedOperation, 0, len(entries))
	for _, e := range entries {
		b, err := persistedFiles.ReadFile(e)
		if err != nil {
			return nil, err
		}
		ops = append(ops, PersistedOperation{
			Name: strings.TrimSuffix(path.Base(e), ".graphql"), SHA256: sha256Hex(string(b)), Document: string(b),
		})
	}
	return ops, nil
}

func sha256Hex(doc string) string {
	sum := sha256.Sum256([]byte(doc))
	return hex.EncodeToString(sum[:])
}

// Persisted is the gqlgen extension that serves documents by id and keeps partner keys to the
// trusted ones. A request names a document in one of two ways:
//   - Apollo's {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}}, with or
//     without the document. A trusted document (graph/persisted, checked at start-up) runs for
//     anyone. Other hashes are automatic persisted queries, for the roles that may send full
//     documents (everyone but partners): an unknown hash alone is PERSISTED_QUERY_NOT_FOUND, and
//     the hash sent with its document registers the document (in a bounded cache, per process).
//   - GraphQL over HTTP's {"documentId": "sha256:<hex>"}, which the HTTP transport passes on as
//     extensions.documentId: trusted documents only.
//
// Partner keys run trusted documents only, and nothing they send is registered.
type Persisted struct {
	byHash  map[string]PersistedOperation
	learned graphql.Cache[string] // automatic persisted queries, by hex SHA-256
}

var (
	_ graphql.HandlerExtension          = Persisted{}
	_ graphql.OperationParameterMutator = Persisted{}
)

// Bounds of the automatic persisted query cache: at most apqEntries documents of at most
// apqMaxBytes each (a larger document runs, but is not kept).
const (
	apqEntries  = 1000
	apqMaxBytes = 64 << 10
)

// NewPersisted returns the extension over ops.
func NewPersisted(ops []PersistedOperation) Persisted {
	p := Persisted{byHash: make(map[string]PersistedOperation, len(ops)), learned: lru.New[string](apqEntries)}
	for _, op := range ops {
		p.byHash[op.SHA256] = op
	}
	return p
}

// ExtensionName implements graphql.HandlerExtension.
func (Persisted) ExtensionName() string { return "OrdoPersistedOperations" }

// Validate checks every persisted document against the schema, so that a broken one cannot ship.
func (p Persisted) Validate(es graphql.ExecutableSchema) error {
	for _, op := range p.byHash {
		if _, errs := gqlparserLoad(es, op.Document); errs != nil {
			return fmt.Errorf("persisted operation %s: %v", op.Name, errs)
		}
	}
	return nil
}

// MutateOperationParameters implements graphql.OperationParameterMutator.
func (p Persisted) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	v, _ := auth.FromContext(ctx)
	partner := v.Role == auth.Partner
	ref, err := documentRef(raw.Extensions)
	switch {
	case err != nil:
		return coded(fault.InvalidArgument, err.Error())
	case ref.hash == "" && partner:
		return coded(fault.Forbidden, "partner keys run persisted operations only: send extensions.persistedQuery.sha256Hash or documentId")
	case ref.hash == "":
		return nil
	}
	if op, ok := p.byHash[ref.hash]; ok {
		if raw.Query != "" && raw.Query != op.Document {
			return coded(fault.InvalidArgument, "the query does not match the persisted operation it names")
		}
		raw.Query = op.Document
		return nil
	}
	switch {
	case ref.trustedOnly || (partner && raw.Query == ""):
		return coded(fault.NotFound, fmt.Sprintf("no persisted operation %s", ref.hash))
	case partner:
		return coded(fault.Forbidden, "partner keys run persisted operations only, and this document is not one of them")
	case raw.Query == "":
		q, ok := p.learned.Get(ctx, ref.hash)
		if !ok {
			return coded(fault.PersistedQueryNotFound, "PersistedQueryNotFound")
		}
		raw.Query = q
		return nil
	case sha256Hex(raw.Query) != ref.hash:
		return coded(fault.InvalidArgument, "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query")
	}
	if len(raw.Query) <= apqMaxBytes {
		p.learned.Add(ctx, ref.hash, raw.Query)
	}
	return nil
}

// documentReference is the document a request names by id, if any.
type documentReference struct {
	hash        string // lower-case hex SHA-256; "" when the request names none
	trustedOnly bool   // named by documentId, which resolves trusted documents only
}

// documentRef reads the id of the document a request's extensions name: documentId
// ("sha256:<hex>", put there by the HTTP transport) or Apollo's persistedQuery.
func documentRef(ext map[string]any) (documentReference, error) {
	if id, ok := ext["documentId"]; ok {
		s, _ := id.(string)
		hash, ok := strings.CutPrefix(s, "sha256:")
		if !ok || !isSHA256Hex(hash) {
			return documentReference{}, fmt.Errorf(`documentId must be "sha256:" and 64 hex digits, not %q`, s)
		}
		return documentReference{hash: strings.ToLower(hash), trustedOnly: true}, nil
	}
	pq, ok := ext["persistedQuery"]
	if !ok {
		return documentReference{}, nil
	}
	m, _ := pq.(map[string]any)
	if version := fmt.Sprint(m["version"]); version != "1" {
		return documentReference{}, fmt.Errorf("extensions.persistedQuery.version must be 1, not %s", version)
	}
	hash, _ := m["sha256Hash"].(string)
	if !isSHA256Hex(hash) {
		return documentReference{}, fmt.Errorf("extensions.persistedQuery.sha256Hash must be 64 hex digits, not %q", hash)
	}
	return documentReference{hash: strings.ToLower(hash)}, nil
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

func coded(code fault.Code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Err: fault.New(code, "%s", msg), Extensions: map[string]any{"code": string(code)}}
}

// gqlparserLoad parses and validates a document against the executable schema.
func gqlparserLoad(es graphql.ExecutableSchema, doc string) (*ast.QueryDocument, gqlerror.List) {
	return gqlparser.LoadQuery(es.Schema(), doc)
}

// Manifest is the allow-list in the shape of Apollo's persisted query manifest
// (https://www.apollographql.com/docs/graphos/platform/security/persisted-queries), which
// partners' tooling (Apollo Client's persisted query link, GraphOS) reads to send operations by
// id. `ordo operations --json` prints it; graph/persisted/manifest.json is its committed copy.
type Manifest struct {
	Format     string              `json:"format"`  // always "apollo-persisted-query-manifest"
	Version    int                 `json:"version"` // always 1
	Operations []ManifestOperation `json:"operations"`
}

// ManifestOperation is one trusted document in a Manifest.
type ManifestOperation struct {
	ID   string `json:"id"`   // hex SHA-256 of Body: extensions.persistedQuery.sha256Hash
	Name string `json:"name"` // the operation's name
	Type string `json:"type"` // query, mutation or subscription
	Body string `json:"body"` // the document
}

// NewManifest returns the manifest of ops.
func NewManifest(ops []PersistedOperation) (Manifest, error) {
	m := Manifest{Format: "apollo-persisted-query-manifest", Version: 1, Operations: make([]ManifestOperation, 0, len(ops))}
	for _, op := range ops {
		doc, err := parser.ParseQuery(&ast.Source{Name: op.Name, Input: op.Document})
		if err != nil {
			return Manifest{}, fmt.Errorf("persisted operation %s: %w", op.Name, err)
		}
		if len(doc.Operations) != 1 {
			return Manifest{}, fmt.Errorf("persisted operation %s holds %d operations, not one", op.Name, len(doc.Operations))
		}
		m.Operations = append(m.Operations, ManifestOperation{
			ID: op.SHA256, Name: op.Name, Type: string(doc.Operations[0].Operation), Body: op.Document,
		})
	}
	return m, nil
}

// Encode writes m as indented JSON, as graph/persisted/manifest.json holds it.
func (m Manifest) Encode(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}
