package fulfilment

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/document"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/shipmentpackage"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// Marketplace logistics: for a MARKETPLACE shipment the marketplace books the carrier. Package
// outbound asks it (channels.Logistics, outside any transaction); what it answered is recorded here:
// the tracking numbers on the shipment, Ordo's packages made to follow the marketplace's, and the
// airway bills as documents.

// Arrangeable says why a shipment cannot be arranged with its marketplace's logistics (nil when it
// can): only a MARKETPLACE shipment still at its origin, of an order nobody holds. It is pure.
func Arrangeable(sh *ent.Shipment, o order.Status) error {
	if sh.Method != shipment.MethodMARKETPLACE {
		return fault.New(fault.Conflict, "shipment %s is carried by %s, not the marketplace's logistics", sh.ID, sh.Method).With("method", string(sh.Method))
	}
	if !slices.Contains(atOrigin, sh.Status) {
		return fault.New(fault.Conflict, "cannot arrange a shipment that is %s", sh.Status).With("status", string(sh.Status))
	}
	if slices.Contains(blocked, o) {
		return fault.New(fault.Conflict, "shipment %s waits: its order is %s", sh.ID, o).With("orderStatus", string(o))
	}
	return nil
}

// Parcel is one package of a shipment as Ordo records it.
type Parcel struct {
	Index          int
	Box            string
	WeightGrams    int
	Dims           [3]int // length, width, height in mm
	Contents       []schema.PackageItem
	TrackingNumber string
	ChannelRef     string
}

// Follow makes Ordo's packages of a shipment (ours, in index order) follow the marketplace's
// (theirs, in its order): one parcel per arranged package, numbered from 1, each with its
// tracking number and the marketplace's id. Where the marketplace carries fewer packages than
// Ordo packed, the contents and weight of the surplus go into its last one (no longer a catalogue
// box, as large as the largest merged); where it carries more, the extra ones are added empty,
// since what is in them is the marketplace's split. With no arranged package ours are kept. It
// is pure.
func Follow(ours []Parcel, theirs []channels.ArrangedPackage) []Parcel {
	if len(theirs) == 0 {
		return slices.Clone(ours)
	}
	out := make([]Parcel, len(theirs))
	for i, p := range theirs {
		if i < len(ours) {
			out[i] = ours[i]
			out[i].Contents = slices.Clone(ours[i].Contents)
		}
		out[i].Index, out[i].TrackingNumber, out[i].ChannelRef = i+1, p.TrackingNumber, p.Ref
	}
	if len(ours) > len(theirs) {
		last := &out[len(out)-1]
		for _, extra := range ours[len(theirs):] {
			last.Box = ""
			last.WeightGrams += extra.WeightGrams
			for d := range last.Dims {
				last.Dims[d] = max(last.Dims[d], extra.Dims[d])
			}
			last.Contents = mergeContents(last.Contents, extra.Contents)
		}
	}
	return out
}

// mergeContents adds b's quantities to a's, line by line, in first-seen order.
func mergeContents(a, b []schema.PackageItem) []schema.PackageItem {
	for _, it := range b {
		i := slices.IndexFunc(a, func(x schema.PackageItem) bool { return x.LineID == it.LineID })
		if i < 0 {
			a = append(a, it)
			continue
		}
		a[i].Quantity += it.Quantity
	}
	return a
}

// Complete reports whether every package of an arrangement has its tracking number: a marketplace
// may book the carrier before it assigns one (Shopee), and a shipment cannot ship without them.
func Complete(a channels.Arranged) bool {
	if len(a.Packages) == 0 {
		return false
	}
	for _, p := range a.Packages {
		if p.TrackingNumber == "" {
			return false
		}
	}
	return true
}

// arrangedTracking is a shipment's carrier and tracking numbers from its arranged packages: the
// first carrier named (else fallback), every distinct tracking number in package order.
func arrangedTracking(ps []channels.ArrangedPackage, fallback string) (carrier string, numbers []string) {
	for _, p := range ps {
		carrier = cmp.Or(carrier, p.Carrier)
		if p.TrackingNumber != "" && !slices.Contains(numbers, p.TrackingNumber) {
			numbers = append(numbers, p.TrackingNumber)
		}
	}
	return cmp.Or(carrier, fallback), numbers
}

// RecordArranged records what a marketplace arranged for a shipment, once: its carrier (the
// marketplace's name for it, else carrier), its tracking numbers, Ordo's packages following the
// marketplace's (Follow), whether the marketplace wants to hear of the handover, and a
// ShipmentArranged event. It reports false when the shipment was arranged before (nothing
// changes). A shipment that left meanwhile (the marketplace told Ordo it shipped) is recorded
// all the same: the tracking numbers are the marketplace's.
func (s *Service) RecordArranged(ctx context.Context, shipmentID pulid.ID, a channels.Arranged, carrier string) (bool, error) {
	if len(a.Packages) == 0 {
		return false, fault.New(fault.InvalidArgument, "shipment %s: the marketplace arranged no package", shipmentID)
	}
	recorded := false
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		sh, o, err := load(ctx, tx, shipmentID)
		if err != nil {
			return err
		}
		if sh.ArrangedAt != nil {
			return nil
		}
		carrier, numbers := arrangedTracking(a.Packages, carrier)
		n, err := tx.Shipment.Update().Where(shipment.ID(sh.ID), shipment.ArrangedAtIsNil()).
			SetCarrier(carrier).SetTrackingNumbers(numbers).SetArrangedAt(s.now()).SetConfirmOnHandover(a.ConfirmOnHandover).
			SetUpdatedAt(s.now()).Save(ctx)
		if err != nil {
			return fmt.Errorf("update shipment: %w", err)
		}
		if n == 0 {
			return nil // arranged by another run meanwhile
		}
		if err := s.followPackages(ctx, tx, sh.ID, a.Packages); err != nil {
			return err
		}
		recorded = true
		return events.Append(ctx, tx, s.event(ctx, o, sh, events.ShipmentArranged{ShipmentID: string(sh.ID), TrackingNumbers: numbers}))
	})
	if err != nil {
		return false, err
	}
	s.committed()
	return recorded, nil
}

// fillTracking gives a shipment leaving with its order (ShipAll) the order's carrier and tracking
// number where it has none, unless its marketplace arranged it: the marketplace's are kept,
// whichever of the two transactions commits first (the condition is read again at the update).
// sh is left with what the shipment has.
func fillTracking(ctx context.Context, tx *ent.Tx, sh *ent.Shipment, carrier, trackingNumber string) error {
	if sh.Carrier != "" && (len(sh.TrackingNumbers) > 0 || trackingNumber == "") {
		return nil
	}
	upd := tx.Shipment.Update().Where(shipment.ID(sh.ID), shipment.ArrangedAtIsNil())
	if sh.Carrier == "" {
		upd.SetCarrier(carrier)
	}
	if len(sh.TrackingNumbers) == 0 && trackingNumber != "" {
		upd.SetTrackingNumbers([]string{trackingNumber})
	}
	if err := upd.Exec(ctx); err != nil {
		return fmt.Errorf("update shipment: %w", err)
	}
	cur, err := tx.Shipment.Get(ctx, sh.ID)
	if err != nil {
		return fmt.Errorf("load shipment: %w", err)
	}
	sh.Carrier, sh.TrackingNumbers = cur.Carrier, cur.TrackingNumbers
	return nil
}

// followPackages rewrites a shipment's packages in tx to follow the marketplace's.
func (s *Service) followPackages(ctx context.Context, tx *ent.Tx, shipmentID pulid.ID, theirs []channels.ArrangedPackage) error {
	rows, err := tx.ShipmentPackage.Query().Where(shipmentpackage.ShipmentID(shipmentID)).Order(shipmentpackage.ByIndex()).All(ctx)
	if err != nil {
		return fmt.Errorf("load packages: %w", err)
	}
	ours := make([]Parcel, len(rows))
	for i, p := range rows {
		ours[i] = Parcel{Index: p.Index, Box: p.Box, WeightGrams: p.WeightGrams, Dims: [3]int{p.LengthMm, p.WidthMm, p.HeightMm},
			Contents: p.Contents, TrackingNumber: p.TrackingNumber, ChannelRef: p.ChannelRef}
	}
	for i, p := range Follow(ours, theirs) {
		if i < len(rows) {
			err = tx.ShipmentPackage.UpdateOne(rows[i]).SetIndex(p.Index).SetBox(p.Box).SetWeightGrams(p.WeightGrams).
				SetLengthMm(p.Dims[0]).SetWidthMm(p.Dims[1]).SetHeightMm(p.Dims[2]).SetContents(p.Contents).
				SetTrackingNumber(p.TrackingNumber).SetChannelRef(p.ChannelRef).Exec(ctx)
		} else {
			err = tx.ShipmentPackage.Create().SetShipmentID(shipmentID).SetIndex(p.Index).SetBox(p.Box).SetWeightGrams(p.WeightGrams).
				SetLengthMm(p.Dims[0]).SetWidthMm(p.Dims[1]).SetHeightMm(p.Dims[2]).SetContents(p.Contents).
				SetTrackingNumber(p.TrackingNumber).SetChannelRef(p.ChannelRef).Exec(ctx)
		}
		if err != nil {
			return fmt.Errorf("package %d: %w", p.Index, err)
		}
	}
	if len(rows) > len(theirs) {
		surplus := make([]pulid.ID, 0, len(rows)-len(theirs))
		for _, p := range rows[len(theirs):] {
			surplus = append(surplus, p.ID)
		}
		if _, err := tx.ShipmentPackage.Delete().Where(shipmentpackage.IDIn(surplus...)).Exec(ctx); err != nil {
			return fmt.Errorf("merge packages: %w", err)
		}
	}
	return nil
}

// Arrangement is what was recorded of a shipment's arrangement, as the marketplace gave it (its
// packages, in order, with their ids and tracking numbers), to fetch the shipping documents of.
// ok is false when the shipment was not arranged.
func Arrangement(sh *ent.Shipment, pkgs []*ent.ShipmentPackage, channelOrderID string) (a channels.Arranged, ok bool) {
	if sh.ArrangedAt == nil {
		return channels.Arranged{}, false
	}
	a = channels.Arranged{OrderID: channelOrderID, ConfirmOnHandover: sh.ConfirmOnHandover}
	for _, p := range pkgs {
		if p.ChannelRef != "" {
			a.Packages = append(a.Packages, channels.ArrangedPackage{Ref: p.ChannelRef, TrackingNumber: p.TrackingNumber, Carrier: sh.Carrier})
		}
	}
	return a, true
}

// MaxDocumentBytes bounds one shipping document Ordo keeps.
const MaxDocumentBytes = 10 << 20

// RecordDocuments stores a shipment's shipping documents as airway bills, each with a
// DocumentCreated event, once: a shipment that has airway bills already gets none more, and the
// number stored is 0. An empty or oversized document is refused and nothing is stored.
func (s *Service) RecordDocuments(ctx context.Context, shipmentID pulid.ID, docs []channels.Document) (int, error) {
	for i, d := range docs {
		if len(d.Body) == 0 || len(d.Body) > MaxDocumentBytes {
			return 0, fault.New(fault.InvalidArgument, "shipment %s: document %d (package %s) is %d bytes", shipmentID, i+1, d.PackageRef, len(d.Body))
		}
	}
	stored := 0
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		sh, o, err := load(ctx, tx, shipmentID)
		if err != nil {
			return err
		}
		have, err := tx.Document.Query().Where(document.ShipmentID(sh.ID), document.KindEQ(document.KindAIRWAY_BILL)).Exist(ctx)
		if err != nil {
			return fmt.Errorf("load documents: %w", err)
		}
		if have {
			return nil
		}
		for _, d := range docs {
			doc, err := tx.Document.Create().SetShipmentID(sh.ID).SetKind(document.KindAIRWAY_BILL).SetFormat(document.FormatPDF).
				SetContentType(cmp.Or(d.ContentType, "application/pdf")).SetSize(len(d.Body)).SetBody(d.Body).Save(ctx)
			if err != nil {
				return fmt.Errorf("store document: %w", err)
			}
			ev := events.DocumentCreated{ShipmentID: string(sh.ID), DocumentID: string(doc.ID), Document: string(doc.Kind), Format: string(doc.Format)}
			if err := events.Append(ctx, tx, s.event(ctx, o, sh, ev)); err != nil {
				return err
			}
			stored++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.committed()
	return stored, nil
}
