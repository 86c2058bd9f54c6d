package graph

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

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
		sum := sha256.Sum256(b)
		ops = append(ops, PersistedOperation{
			Name: strings.TrimSuffix(path.Base(e), ".graphql"), SHA256: hex.EncodeToString(sum[:]), Document: string(b),
		})
	}
	return ops, nil
}

// Persisted is the gqlgen extension that serves persisted operations, sent as
// {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<id>"}}} with or without the
// document, and keeps partner keys to them. Unlike automatic persisted queries, it never learns new
// documents: the list is what ships in graph/persisted, and it is checked at start-up.
type Persisted struct{ byHash map[string]PersistedOperation }

var (
	_ graphql.HandlerExtension          = Persisted{}
	_ graphql.OperationParameterMutator = Persisted{}
)

// NewPersisted returns the extension over ops.
func NewPersisted(ops []PersistedOperation) Persisted {
	p := Persisted{byHash: make(map[string]PersistedOperation, len(ops))}
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
	hash := persistedHash(raw.Extensions)
	if hash == "" {
		if v, ok := auth.FromContext(ctx); ok && v.Role == auth.Partner {
			return coded(fault.Forbidden, "partner keys run persisted operations only: send extensions.persistedQuery.sha256Hash")
		}
		return nil
	}
	op, ok := p.byHash[hash]
	if !ok {
		return coded(fault.NotFound, fmt.Sprintf("no persisted operation %s", hash))
	}
	if raw.Query != "" && raw.Query != op.Document {
		return coded(fault.InvalidArgument, "the query does not match the persisted operation it names")
	}
	raw.Query = op.Document
	return nil
}

func persistedHash(ext map[string]any) string {
	pq, _ := ext["persistedQuery"].(map[string]any)
	h, _ := pq["sha256Hash"].(string)
	return strings.ToLower(h)
}

func coded(code fault.Code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Err: fault.New(code, "%s", msg), Extensions: map[string]any{"code": string(code)}}
}

// gqlparserLoad parses and validates a document against the executable schema.
func gqlparserLoad(es graphql.ExecutableSchema, doc string) (*ast.QueryDocument, gqlerror.List) {
	return gqlparser.LoadQuery(es.Schema(), doc)
}
