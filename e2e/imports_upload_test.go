package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/imports"
	"github.com/ordo-oms/ordo/ordotest"
)

// okRows imports a file of lines after a header: "ok" rows are applied (writing nothing), others
// refused; partial imports get them back with an error column.
type okRows struct{}

type rowCount int

func (n rowCount) Len() int { return int(n) }

func (okRows) Kind() importjob.Kind { return importjob.KindPRODUCTS }

func (okRows) Check(_ context.Context, _ *ent.Client, job *ent.ImportJob, progress func(int, int)) (imports.Checked, error) {
	ls := strings.Split(strings.TrimSpace(string(job.Content)), "\n")[1:]
	c := imports.Checked{Total: len(ls)}
	ok := 0
	for i, l := range ls {
		if l == "ok" {
			ok++
		} else {
			c.Errors = append(c.Errors, imports.RowError{Row: i + 2, Field: "value", Message: "not ok"})
			c.Rejects = append(c.Rejects, l+",not ok\n"...)
		}
		progress(i+1, len(ls))
	}
	c.Plan = rowCount(ok)
	return c, nil
}

func (okRows) Apply(_ context.Context, _ *ent.Tx, _ *ent.ImportJob, _ imports.Plan, from, to int) (map[string]int, error) {
	return map[string]int{"created": to - from}, nil
}

func (okRows) Template() []byte { return []byte("value\nok\n") }

// upload POSTs a file to path as a client of the API would (key) or as the console does (cookie
// and CSRF token).
func upload(t *testing.T, base, path, contentType string, body io.Reader, key, cookie, csrf string) (int, map[string]any, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, body)
	require.NoError(t, err)
	if body == nil {
		req.Method = http.MethodGet
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", base)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "ordo_session", Value: cookie})
	}
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return res.StatusCode, m, b
}

// The upload endpoint: ADMIN and OPERATOR keys, or a console session with its CSRF token; bodies
// capped before they are read; the import runs on the server's queue to its end.
func TestImportUpload(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := startConsole(t, url, nil, nil)
		srv.Inst.Imports.Register(okRows{})
		base := srv.URL
		operator, support := srv.Key(t, auth.Operator, nil), srv.Key(t, auth.Support, nil)
		file := func() io.Reader { return strings.NewReader("value\n" + strings.Repeat("ok\n", 1200) + "bad\n") }
		count := func() int {
			n, err := srv.Inst.DB.Client.ImportJob.Query().Count(context.Background())
			require.NoError(t, err)
			return n
		}

		status, body, _ := upload(t, base, "/imports/products", "text/csv", file(), "", "", "")
		require.Equal(t, http.StatusUnauthorized, status, body)
		status, body, _ = upload(t, base, "/imports/products", "text/csv", file(), support, "", "")
		require.Equal(t, http.StatusForbidden, status, body)
		status, body, _ = upload(t, base, "/imports/products", "text/csv", bytes.NewReader(make([]byte, imports.MaxContent+1)), operator, "", "")
		require.Equal(t, http.StatusRequestEntityTooLarge, status, body)
		status, body, _ = upload(t, base, "/imports/products", "application/json", file(), operator, "", "")
		require.Equal(t, http.StatusUnsupportedMediaType, status, body)
		status, body, _ = upload(t, base, "/imports/shoes", "text/csv", file(), operator, "", "")
		require.Equal(t, http.StatusNotFound, status, body)
		status, body, _ = upload(t, base, "/imports/stock?location=loc_01M99AAAAAAAAAAAAAAAAAAAAA", "text/csv", file(), operator, "", "")
		require.Equal(t, http.StatusNotFound, status, "a stock count of a location that does not exist: %v", body)
		cookie, csrf, _ := signIn(t, base, "admin@example.com")
		status, body, _ = upload(t, base, "/imports/products", "text/csv", file(), "", cookie, "")
		require.Equal(t, http.StatusForbidden, status, "a session without its CSRF token: %v", body)
		require.Zero(t, count(), "nothing refused was created")

		status, body, _ = upload(t, base, "/imports/products?partial=true", "text/csv", file(), "", cookie, csrf)
		require.Equal(t, http.StatusAccepted, status, body)
		id := pulid.ID(body["id"].(string))
		var got struct {
			ImportJob struct {
				Status     string
				Total      int
				Done       int
				ErrorCount int
				HasRejects bool
				Errors     []struct{ Row int }
				Summary    []struct {
					Outcome string
					Count   int
				}
			}
		}
		require.Eventually(t, func() bool {
			srv.Client(support).MustDo(t, `query($id: ID!) { importJob(id: $id) { status total done errorCount hasRejects errors { row } summary { outcome count } } }`,
				map[string]any{"id": id}, &got)
			return got.ImportJob.Status == "SUCCEEDED"
		}, 30*time.Second, 50*time.Millisecond)
		require.Equal(t, 1201, got.ImportJob.Total)
		require.Equal(t, 1, got.ImportJob.ErrorCount)
		require.True(t, got.ImportJob.HasRejects)
		require.Equal(t, 1202, got.ImportJob.Errors[0].Row)
		require.Contains(t, got.ImportJob.Summary, struct {
			Outcome string
			Count   int
		}{"created", 1200})

		status, _, raw := upload(t, base, "/imports/"+string(id)+"/rejects.csv", "", nil, operator, "", "")
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, "bad,not ok\n", string(raw))
		status, _, raw = upload(t, base, "/imports/template/products.csv", "", nil, operator, "", "")
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, "value\nok\n", string(raw))
		status, _, raw = upload(t, base, "/imports/template/stock.csv", "", nil, operator, "", "")
		require.Equal(t, http.StatusOK, status)
		require.True(t, strings.HasPrefix(string(raw), "sku,location,counted,scope\n"), "%s", raw)
		status, _, _ = upload(t, base, "/imports/"+string(id)+"/rejects.csv", "", nil, support, "", "")
		require.Equal(t, http.StatusForbidden, status)
	})
}

// A subscriber follows an import batch by batch, to its end.
func TestImportProgressStream(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		srv.Inst.Imports.Register(okRows{})
		ctx := auth.NewContext(t.Context(), auth.System)
		job, err := srv.Inst.Imports.Start(ctx, imports.StartInput{Kind: importjob.KindPRODUCTS,
			Content: []byte("value\n" + strings.Repeat("ok\n", 1700)), Local: true})
		require.NoError(t, err)
		// From the cursor of the event that told of the queued job: the stream misses nothing after.
		queued, err := srv.Inst.DB.Client.Event.Query().Where(event.Type(events.KindImportProgress)).Order(ent.Desc(event.FieldID)).First(ctx)
		require.NoError(t, err)
		require.Equal(t, string(job.ID), events.ImportOf(queued))
		sub, err := srv.Subscribe(t.Context(), srv.Key(t, auth.Support, nil),
			`subscription($id: ID!, $after: String) { importProgress(id: $id, after: $after) { id status done total summary { outcome count } } }`,
			map[string]any{"id": job.ID, "after": events.PositionOf(queued).Cursor()})
		require.NoError(t, err)
		defer sub.Close()
		require.NoError(t, srv.Inst.Imports.Run(ctx, job.ID, nil))
		var dones []int
		for {
			m, err := sub.Next(t.Context())
			require.NoError(t, err)
			require.Empty(t, m.Errors)
			var p struct {
				ImportProgress struct {
					ID     pulid.ID
					Status string
					Done   int
					Total  int
				}
			}
			require.NoError(t, json.Unmarshal(m.Data, &p))
			require.Equal(t, job.ID, p.ImportProgress.ID)
			if p.ImportProgress.Status == "RUNNING" && p.ImportProgress.Done > 0 {
				dones = append(dones, p.ImportProgress.Done)
			}
			if p.ImportProgress.Status == "SUCCEEDED" {
				require.Equal(t, 1700, p.ImportProgress.Done)
				break
			}
		}
		require.Equal(t, []int{500, 1000, 1500, 1700}, dones, "one message per committed batch")
	})
}
