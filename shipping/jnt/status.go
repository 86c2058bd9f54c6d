package jnt

import (
	"strings"

	"github.com/ordo-oms/ordo/shipping"
)

// meaning is what a scan type says about a parcel.
type meaning struct {
	tag   shipping.Tag
	rts   bool
	delay bool
}

// scanTypes maps J&T's scanTypeCode onto tags: the normal flow (10 pick-up, 20 departure, 30
// arrival, 94 delivery scan, 100 signed for), problems and returns (110 problem scan, 172 return
// scan, 173 return signed), the terminal abnormal states (200–306: collected back, damaged, lost,
// disposed, rejected, confiscated, past its life cycle) and the cross-border cargo and customs
// scans (400–405).
var scanTypes = map[string]meaning{
	"10":  {tag: shipping.InTransit},
	"20":  {tag: shipping.InTransit},
	"30":  {tag: shipping.InTransit},
	"94":  {tag: shipping.OutForDelivery},
	"100": {tag: shipping.Delivered},
	"110": {tag: shipping.AttemptFail, delay: true},
	"172": {tag: shipping.Exception, rts: true},
	"173": {tag: shipping.Exception, rts: true},
	"200": {tag: shipping.Exception},
	"201": {tag: shipping.Exception},
	"300": {tag: shipping.Exception},
	"301": {tag: shipping.Exception},
	"302": {tag: shipping.Exception},
	"303": {tag: shipping.Exception},
	"304": {tag: shipping.Expired},
	"305": {tag: shipping.Exception},
	"306": {tag: shipping.Exception},
	"400": {tag: shipping.InTransit},
	"401": {tag: shipping.InTransit},
	"402": {tag: shipping.InTransit},
	"403": {tag: shipping.InTransit},
	"404": {tag: shipping.InTransit},
	"405": {tag: shipping.InTransit},
}

// Tag maps a scanTypeCode onto a tag. A code the table does not know is Pending, the lowest rank,
// so that it never moves a shipment; the raw code is kept beside it.
func Tag(scanTypeCode string) shipping.Tag {
	if m, ok := scanTypes[strings.TrimSpace(scanTypeCode)]; ok {
		return m.tag
	}
	return shipping.Pending
}
