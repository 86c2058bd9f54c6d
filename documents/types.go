package documents

import (
	"errors"
	"time"
)

// ErrInvalid is wrapped by every error about a document's input (a missing tracking number, a
// value a barcode cannot carry, an impossible parcel count).
var ErrInvalid = errors.New("documents: invalid input")

// Format is the output a label is rendered to.
type Format int

const (
	// PDF4x6 is a PDF page of 4×6 in (101.6×152.4 mm), the common thermal label size.
	PDF4x6 Format = iota + 1
	// PDFA6 is a PDF page of A6 (105×148 mm), the label size of most Southeast Asian carriers.
	PDFA6
	// ZPL is Zebra's printer language for a 4×6 in label at 203 dpi.
	ZPL
)

// String names the format as the API spells it.
func (f Format) String() string {
	switch f {
	case PDF4x6:
		return "PDF_4X6"
	case PDFA6:
		return "PDF_A6"
	case ZPL:
		return "ZPL"
	}
	return "UNKNOWN"
}

// MediaType is the content type to store and serve the rendered bytes under.
func (f Format) MediaType() string {
	if f == ZPL {
		return "application/x-zpl"
	}
	return "application/pdf"
}

// Paper is the sheet size of an office-printer document.
type Paper int

const (
	// PaperA4 is 210×297 mm; the zero value.
	PaperA4 Paper = iota
	// PaperA5 is 148×210 mm.
	PaperA5
)

// Address is a postal address as it is printed: Lines are the street lines in order.
type Address struct {
	Name       string
	Phone      string
	Lines      []string
	City       string
	Region     string
	PostalCode string
	Country    string
}

// Amount is money to print: Minor units of Currency (ISO 4217), which has Digits decimal digits
// (channels.Exponent: 2 for THB, 0 for VND).
type Amount struct {
	Minor    int64
	Currency string
	Digits   int
}

// LabelData is what a shipping label shows for one package of a shipment.
type LabelData struct {
	ShipmentRef    string // Ordo's shipment reference, printed as text
	TrackingNumber string // required; printed as Code 128
	Carrier        string
	Service        string
	From, To       Address
	OrderNumber    string
	WeightGrams    int       // 0 leaves the weight off
	PackageIndex   int       // 1-based; 0 with PackageCount 0 leaves the parcel count off
	PackageCount   int       //
	COD            *Amount   // cash to collect on delivery; nil when prepaid
	QRURL          string    // tracking page, printed as QR; empty leaves the QR off
	ShipBy         time.Time // zero leaves it off
	PrintedAt      time.Time // the PDF's creation date; zero is the Unix epoch, so output is reproducible
}

// SlipLine is one line of a packing slip.
type SlipLine struct {
	SKU      string
	Name     string
	Quantity int
	Box      string // which box of the shipment it is packed in
}

// SlipData is what a packing slip shows: the order, where it goes, and what is in the parcel.
type SlipData struct {
	ShipmentRef string // required; printed as Code 128
	OrderNumber string
	ChannelName string
	PlacedAt    time.Time // zero leaves it off
	ShipTo      Address
	Lines       []SlipLine
	Note        string
	Paper       Paper
	PrintedAt   time.Time // the PDF's creation date; zero is the Unix epoch
}

// PickShare is how many units of a pick line one shipment takes.
type PickShare struct {
	Shipment string
	Quantity int
}

// PickLine is one SKU to pick in a batch: the total and how it splits between shipments.
type PickLine struct {
	Bin       string
	SKU       string
	Name      string
	Quantity  int
	Shipments []PickShare
}

// PickListData is a batch pick list for one location. Shipments are the batch's shipment
// references, each printed as a Code 128 for the sorting step; NewPickList fills both.
type PickListData struct {
	Location    string
	GeneratedAt time.Time
	Lines       []PickLine
	Shipments   []string
}
