package events

// KindVariantsImported is written once per applied batch of a products import that created or
// updated SKUs (not once per SKU, so that a 5,000-SKU file adds ten events, not 5,000).
const KindVariantsImported = "catalog.variants_imported"

// VariantsImported records a batch of a products import: how many SKUs it created and updated, and
// which (at most a batch's worth).
type VariantsImported struct {
	JobID   string   `json:"jobID,omitempty"`
	Created int      `json:"created"`
	Updated int      `json:"updated"`
	SKUs    []string `json:"skus"`
}

// Kind implements Payload.
func (VariantsImported) Kind() string { return KindVariantsImported }
