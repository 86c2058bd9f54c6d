package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/ordo-oms/ordo/fault"
)

// The response media types of GraphQL over HTTP.
const (
	mediaGraphQLResponse = "application/graphql-response+json"
	mediaJSON            = "application/json"
)

// httpTransport serves GraphQL over HTTP as the GraphQL-over-HTTP spec has it, which gqlgen's GET and
// POST transports do not quite: 406 for an Accept that allows neither JSON type, 415 for a POST that
// is not application/json (this also keeps cross-site HTML forms out), 413 for an oversized body,
// 405 for a mutation over GET, and for request errors 400 under application/graphql-response+json
// but 200 under application/json (gqlgen says 422).
type httpTransport struct {
	maxBody int64
}

var _ graphql.Transport = httpTransport{}

// Supports takes every request that is not a websocket upgrade, so that bad methods get a 405.
func (httpTransport) Supports(r *http.Request) bool { return r.Header.Get("Upgrade") == "" }

// Do serves one GraphQL request.
func (t httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	mediaType := negotiate(r.Header.Get("Accept"))
	if mediaType == "" {
		writeError(w, r, http.StatusNotAcceptable, fault.New(fault.InvalidArgument,
			"the Accept header must allow %s or %s", mediaGraphQLResponse, mediaJSON))
		return
	}
	start := graphql.Now()
	var (
		params *graphql.RawParams
		err    error
	)
	switch r.Method {
	case http.MethodGet:
		params, err = paramsFromQuery(r.URL.RawQuery)
	case http.MethodPost:
		params, err = t.paramsFromBody(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		err = requestError(http.StatusMethodNotAllowed, "method %s is not allowed; use GET or POST", r.Method)
	}
	if err != nil {
		writeError(w, r, statusOf(err), err)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	w.Header().Set("Content-Type", mediaType)
	ctx := r.Context()
	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		status := http.StatusOK
		if mediaType == mediaGraphQLResponse && errcode.GetErrorKind(errs) == errcode.KindProtocol {
			status = http.StatusBadRequest
		}
		w.WriteHeader(status)
		writeJSON(w, exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs))
		return
	}
	switch op := opCtx.Operation.Operation; {
	case op == ast.Subscription:
		writeError(w, r, http.StatusBadRequest, fault.New(fault.InvalidArgument,
			"subscriptions are served over websockets (graphql-transport-ws), not plain HTTP"))
		return
	case op != ast.Query && r.Method == http.MethodGet:
		w.Header().Set("Allow", "POST")
		writeError(w, r, http.StatusMethodNotAllowed, fault.New(fault.InvalidArgument, "a %s needs POST; GET runs queries only", op))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	resp := responses(ctx)
	if unavailable(resp) {
		w.Header().Set("Retry-After", retryAfterSeconds)
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	writeJSON(w, resp)
}

// paramsFromQuery reads a GET request's query, operationName, variables, extensions and documentId.
func paramsFromQuery(rawQuery string) (*graphql.RawParams, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, requestError(http.StatusBadRequest, "the URL query cannot be parsed: %v", err)
	}
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	if v := q.Get("variables"); v != "" {
		if err := decodeJSON([]byte(v), &p.Variables); err != nil {
			return nil, requestError(http.StatusBadRequest, "variables are not a JSON object: %v", err)
		}
	}
	if v := q.Get("extensions"); v != "" {
		if err := decodeJSON([]byte(v), &p.Extensions); err != nil {
			return nil, requestError(http.StatusBadRequest, "extensions are not a JSON object: %v", err)
		}
	}
	withDocumentID(p, q.Get("documentId"))
	return p, nil
}

// paramsFromBody reads a POST request's JSON body, at most maxBody bytes of it: query,
// operationName, variables, extensions and documentId.
func (t httpTransport) paramsFromBody(w http.ResponseWriter, r *http.Request) (*graphql.RawParams, error) {
	mt, mtParams, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != mediaJSON || (mtParams["charset"] != "" && !strings.EqualFold(mtParams["charset"], "utf-8")) {
		return nil, requestError(http.StatusUnsupportedMediaType, "a POST body must be %s (UTF-8)", mediaJSON)
	}
	tooLarge := requestError(http.StatusRequestEntityTooLarge, "the request body is larger than %d bytes", t.maxBody)
	if r.ContentLength > t.maxBody {
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, t.maxBody))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, tooLarge
	case err != nil:
		return nil, requestError(http.StatusBadRequest, "the request body cannot be read")
	}
	var req struct {
		graphql.RawParams
		DocumentID string `json:"documentId"`
	}
	if err := decodeJSON(body, &req); err != nil {
		return nil, requestError(http.StatusBadRequest, "the request body is not a GraphQL request in JSON: %v", err)
	}
	withDocumentID(&req.RawParams, req.DocumentID)
	return &req.RawParams, nil
}

// withDocumentID passes a GraphQL-over-HTTP persisted document id ("sha256:<hex>", sent as
// documentId beside the query) on to the persisted documents extension as extensions.documentId.
func withDocumentID(p *graphql.RawParams, id string) {
	if id == "" {
		return
	}
	if p.Extensions == nil {
		p.Extensions = map[string]any{}
	}
	p.Extensions["documentId"] = id
}

// decodeJSON decodes one JSON value, keeping numbers as json.Number as gqlgen expects.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// statusError is a request refused before GraphQL sees it, with its HTTP status.
type statusError struct {
	status int
	fault  *fault.Error
}

func requestError(status int, format string, args ...any) error {
	return statusError{status: status, fault: fault.New(fault.InvalidArgument, format, args...)}
}

func (e statusError) Error() string { return e.fault.Error() }
func (e statusError) Unwrap() error { return e.fault }

func statusOf(err error) int {
	var se statusError
	if errors.As(err, &se) {
		return se.status
	}
	return http.StatusInternalServerError
}

func writeJSON(w io.Writer, resp *graphql.Response) {
	b, err := json.Marshal(resp)
	if err != nil {
		b, _ = json.Marshal(graphql.Response{Errors: gqlerror.List{{
			Message: internalMessage, Extensions: map[string]any{"code": fault.Internal},
		}}})
	}
	_, _ = w.Write(b)
}

// negotiate picks the response media type for an Accept header: the one with the higher quality;
// between equals, the one named explicitly; between two named ones, the spec's own type; between two
// reached only through wildcards, application/json, which every client understands. No Accept header
// means application/json. It returns "" when Accept allows neither.
func negotiate(accept string) string {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON
	}
	gq, gExact := quality(accept, mediaGraphQLResponse)
	jq, _ := quality(accept, mediaJSON)
	switch {
	case gq == 0 && jq == 0:
		return ""
	case gq != jq:
		if gq > jq {
			return mediaGraphQLResponse
		}
		return mediaJSON
	case gExact:
		return mediaGraphQLResponse
	default:
		return mediaJSON
	}
}

// quality is the q-value Accept gives mediaType through its most specific matching range, and
// whether that range names mediaType exactly.
func quality(accept, mediaType string) (q float64, exact bool) {
	best := -1 // specificity of the range found so far: 0 */*, 1 type/*, 2 exact
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		specificity := -1
		switch {
		case mt == mediaType:
			specificity = 2
		case mt == "application/*":
			specificity = 1
		case mt == "*/*":
			specificity = 0
		}
		if specificity <= best {
			continue
		}
		pq := 1.0
		if v, ok := params["q"]; ok {
			if pq, err = strconv.ParseFloat(v, 64); err != nil || pq < 0 || pq > 1 {
				continue
			}
		}
		best, q = specificity, pq
	}
	return q, best == 2
}
