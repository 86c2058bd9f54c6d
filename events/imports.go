package events

import (
	"time"

	"github.com/ordo-oms/ordo/ent"
)

// The kinds of import events: one per committed batch (or throttled step of the check) of an
// import job, and one when it ends. They concern no order: the payload names the job and carries
// its whole state, so that a subscriber follows an import without reading the store.
const (
	KindImportProgress = "import.progress"
	KindImportFinished = "import.finished"
)

// ImportState is an import job as it stood when the event was written (its content and rejects
// excepted; HasRejects says whether a partial import kept refused rows).
type ImportState struct {
	JobID      string         `json:"jobID"`
	Kind       string         `json:"kind"`
	Status     string         `json:"status"`
	DryRun     bool           `json:"dryRun,omitempty"`
	Partial    bool           `json:"partial,omitempty"`
	FileName   string         `json:"fileName,omitempty"`
	Total      int            `json:"total"`
	Done       int            `json:"done"`
	ErrorCount int            `json:"errorCount"`
	Summary    map[string]int `json:"summary,omitempty"`
	HasRejects bool           `json:"hasRejects,omitempty"`
	Actor      string         `json:"actor,omitempty"`
	CreatedAt  time.Time      `json:"createdAt"`
	StartedAt  *time.Time     `json:"startedAt,omitempty"`
	FinishedAt *time.Time     `json:"finishedAt,omitempty"`
	// CancelRequestedAt is when someone asked the import to stop.
	CancelRequestedAt *time.Time       `json:"cancelRequestedAt,omitempty"`
	Errors            []ImportRowError `json:"errors,omitempty"`
}

// ImportRowError is one refused row of an import (see ent/schema.ImportRowError).
type ImportRowError struct {
	Row     int    `json:"row"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// ImportProgress records an import's progress: rows checked, or a batch of rows applied.
type ImportProgress struct{ ImportState }

// ImportFinished records the end of an import (SUCCEEDED, FAILED or CANCELLED), with its first
// errors.
type ImportFinished struct{ ImportState }

// Kind implements Payload.
func (ImportProgress) Kind() string { return KindImportProgress }

// Kind implements Payload.
func (ImportFinished) Kind() string { return KindImportFinished }

// ImportOf is the import job an import event concerns, or "" for other events. It is cheap enough
// for a subscription's match.
func ImportOf(e *ent.Event) string {
	if e.Type != KindImportProgress && e.Type != KindImportFinished {
		return ""
	}
	id, _ := e.Data["jobID"].(string)
	return id
}
