package imports

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

// Templater is what a file import's Handler also implements to offer a template of its format (its
// header and example rows), served at GET /imports/template/{products,stock}.csv.
type Templater interface {
	Template() []byte
}

// fileKinds are the imports a file is uploaded for, by the name in their path.
var fileKinds = map[string]importjob.Kind{"products": importjob.KindPRODUCTS, "stock": importjob.KindSTOCK}

// HTTP returns the upload endpoint, served under /imports/ behind the server's authentication (an
// API key, or a console session with its CSRF token on POST), to ADMIN and OPERATOR viewers only:
//
//   - POST /imports/{products|stock}?dryRun=true&partial=true&location=loc_… with the CSV as its
//     body (text/csv, at most MaxContent: a larger one is refused 413 before it is read) starts an
//     import and answers 202 {"id": "imp_…"}; a file name may come in Content-Disposition;
//   - GET /imports/template/{products|stock}.csv is the format's template;
//   - GET /imports/{id}/rejects.csv is the rows a partial import refused, with an error column;
//   - GET /imports/export/products.csv is the whole catalogue in the products CSV's format, to fix
//     in a spreadsheet and import again.
func (s *Service) HTTP() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /imports/{kind}", s.upload)
	mux.Handle("GET /imports/export/products.csv", catalog.ExportHandler(s.DB.Client))
	mux.HandleFunc("GET /imports/{id}/{file}", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.PathValue("id") == "template":
			s.template(w, r)
		case r.PathValue("file") == "rejects.csv":
			s.rejects(w, r)
		default:
			writeError(w, http.StatusNotFound, fault.New(fault.NotFound, "nothing at %s", r.URL.Path))
		}
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "private, no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		v, ok := auth.FromContext(r.Context())
		switch {
		case !ok:
			w.Header().Set("WWW-Authenticate", "Bearer")
			writeError(w, http.StatusUnauthorized, fault.New(fault.Unauthenticated, "an API key is required: send Authorization: Bearer <key>"))
		case v.Role != auth.Admin && v.Role != auth.Operator:
			writeError(w, http.StatusForbidden, fault.New(fault.Forbidden, "imports are for ADMIN and OPERATOR keys"))
		default:
			mux.ServeHTTP(w, r)
		}
	})
}

func (s *Service) upload(w http.ResponseWriter, r *http.Request) {
	kind, ok := fileKinds[r.PathValue("kind")]
	if !ok {
		writeError(w, http.StatusNotFound, fault.New(fault.NotFound, "no import %q: upload to /imports/products or /imports/stock", r.PathValue("kind")))
		return
	}
	if r.ContentLength > MaxContent {
		writeError(w, http.StatusRequestEntityTooLarge, fault.New(fault.InvalidArgument, "the file is larger than %d MB", MaxContent>>20))
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "text/csv" {
		writeError(w, http.StatusUnsupportedMediaType, fault.New(fault.InvalidArgument, "send the file as text/csv"))
		return
	}
	q := r.URL.Query()
	in := StartInput{Kind: kind, DryRun: q.Get("dryRun") == "true", Partial: q.Get("partial") == "true",
		LocationID: pulid.ID(q.Get("location")), FileName: r.PathValue("kind") + ".csv", Actor: auth.Actor(r.Context())}
	for _, name := range []string{"dryRun", "partial"} {
		if v := q.Get(name); v != "" && v != "true" && v != "false" {
			writeError(w, http.StatusBadRequest, fault.New(fault.InvalidArgument, "%s must be true or false", name))
			return
		}
	}
	if _, ps, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil && ps["filename"] != "" {
		in.FileName = ps["filename"]
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxContent))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, fault.New(fault.InvalidArgument, "the file is larger than %d MB", MaxContent>>20))
		return
	case err != nil:
		writeError(w, http.StatusBadRequest, fault.New(fault.InvalidArgument, "the file could not be read"))
		return
	}
	in.Content = body
	job, err := s.Start(r.Context(), in)
	if err != nil {
		s.writeFault(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Location", "/imports/"+string(job.ID))
	w.WriteHeader(http.StatusAccepted)
	_ = json.NewEncoder(w).Encode(map[string]string{"id": string(job.ID)})
}

func (s *Service) template(w http.ResponseWriter, r *http.Request) {
	var t Templater
	for name, kind := range fileKinds {
		if r.PathValue("file") == name+".csv" {
			t, _ = s.Handler(kind).(Templater)
		}
	}
	if t == nil {
		writeError(w, http.StatusNotFound, fault.New(fault.NotFound, "no template %q: ask for products.csv or stock.csv", r.PathValue("file")))
		return
	}
	csv(w, r.PathValue("file"), t.Template())
}

func (s *Service) rejects(w http.ResponseWriter, r *http.Request) {
	id := pulid.ID(r.PathValue("id"))
	body, err := s.Rejects(r.Context(), id)
	if err != nil {
		s.writeFault(w, r, err)
		return
	}
	csv(w, string(id)+"-rejects.csv", body)
}

func csv(w http.ResponseWriter, name string, body []byte) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// writeFault answers err with the status its fault code calls for; what is not a fault is logged
// and answered as INTERNAL.
func (s *Service) writeFault(w http.ResponseWriter, r *http.Request, err error) {
	if f := database.Fault(err); f != nil && fault.CodeOf(err) == fault.Internal {
		err = f // the store is out of reach, or refused the text
	}
	status := http.StatusInternalServerError
	switch fault.CodeOf(err) {
	case fault.InvalidArgument:
		status = http.StatusBadRequest
	case fault.NotFound:
		status = http.StatusNotFound
	case fault.Unavailable:
		status = http.StatusServiceUnavailable
	default:
		s.log().ErrorContext(r.Context(), "import", "err", err)
	}
	writeError(w, status, err)
}

// writeError answers with status and a GraphQL-shaped error body, as the server's other endpoints
// do: {"errors": [{"message", "extensions": {"code"}}]}.
func writeError(w http.ResponseWriter, status int, err error) {
	msg := "internal error"
	var f *fault.Error
	if errors.As(err, &f) {
		msg = f.Message
	}
	type ext struct {
		Code fault.Code `json:"code"`
	}
	type item struct {
		Message    string `json:"message"`
		Extensions ext    `json:"extensions"`
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		Errors []item `json:"errors"`
	}{[]item{{msg, ext{fault.CodeOf(err)}}}})
}
