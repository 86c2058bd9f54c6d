package returns

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/carriers"
	"github.com/ordo-oms/ordo/documents"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/document"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/returnline"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/fulfilment"
	"github.com/ordo-oms/ordo/packing"
)

// Labels issues the labels of returns Ordo manages: the return shipment, a carrier's label for it
// when a carrier account is named, and the return label the customer sticks on the parcel.
type Labels struct {
	Returns    *Service
	Fulfilment *fulfilment.Service
	Carriers   *carriers.Service
}

// LabelInput asks for a return label.
type LabelInput struct {
	// CarrierAccountID books the parcel with that account's carrier (a prepaid label); nil: a
	// label without a carrier, the customer sends the parcel by any means under the RMA number.
	CarrierAccountID *pulid.ID
	// Format is PDF 4×6 in or PDF A6.
	Format documents.Format
}

// Label is a return with its return shipment and the return label document (without its body;
// download it at fulfilment.DocumentURL).
type Label struct {
	Return   *ent.OrderReturn
	Shipment *ent.Shipment
	Document *ent.Document
}

// CreateReturnLabel gives an approved return its return shipment (RETURN, from the customer back to
// the return's location, with the RMA number as its reference), buys a carrier's label for it when
// in names an account, and renders and stores the return label (kind LABEL): the return address,
// the customer as sender, the RMA number and lines, the tracking number (or the RMA number) as Code
// 128 and the tracking page (or the RMA number) as QR. Asking again returns the label made, unless
// a carrier's label is asked for a shipment that has none yet. Claims (nothing goes back), returns
// of marketplace orders (the marketplace's logistics bring them back) and returns no longer
// approved are a CONFLICT; a storefront key labels only its own customer's returns.
func (l *Labels) CreateReturnLabel(ctx context.Context, returnID pulid.ID, in LabelInput) (*Label, error) {
	if err := returnID.Validate("ret"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "returnID: %v", err)
	}
	if in.Format != documents.PDF4x6 && in.Format != documents.PDFA6 {
		return nil, fault.New(fault.InvalidArgument, "format: a return label is PDF_4X6 or PDF_A6")
	}
	if in.CarrierAccountID != nil {
		if err := in.CarrierAccountID.Validate("car"); err != nil {
			return nil, fault.New(fault.InvalidArgument, "carrierAccountID: %v", err)
		}
	}
	db := l.Returns.DB.Client
	r, err := db.OrderReturn.Get(ctx, returnID)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "return %s not found", returnID)
	}
	if err != nil {
		return nil, fmt.Errorf("load return: %w", err)
	}
	o, err := db.Order.Query().Where(order.ID(r.OrderID)).WithChannel().Only(ctx) // scoped to the viewer
	if ent.IsNotFound(err) || (err == nil && !auth.Sees(ctx, o)) {
		return nil, fault.New(fault.NotFound, "return %s not found", returnID)
	}
	if err != nil {
		return nil, fmt.Errorf("load order: %w", err)
	}
	var kind channel.Kind
	if o.Edges.Channel != nil {
		kind = o.Edges.Channel.Kind
	}
	sh, err := l.returnShipment(ctx, r)
	if err != nil {
		return nil, err
	}
	if err := Labelable(r, kind, sh != nil); err != nil {
		return nil, err
	}
	if sh == nil {
		if sh, err = l.createShipment(ctx, r); err != nil {
			return nil, err
		}
	}
	before := sh.CarrierRef
	if in.CarrierAccountID != nil {
		if sh, err = l.Fulfilment.BuyLabel(ctx, l.Carriers, fulfilment.LabelInput{ShipmentID: sh.ID,
			CarrierAccountID: *in.CarrierAccountID, Format: in.Format}); err != nil {
			return nil, err
		}
	}
	var doc *ent.Document
	if sh.CarrierRef == before {
		doc, err = latestLabel(ctx, db, sh.ID)
		if err != nil {
			return nil, err
		}
	}
	if doc == nil {
		if doc, err = l.render(ctx, r, o, sh, in.Format); err != nil {
			return nil, err
		}
	}
	if r, err = db.OrderReturn.Get(ctx, r.ID); err != nil {
		return nil, fmt.Errorf("load return: %w", err)
	}
	return &Label{Return: r, Shipment: sh, Document: doc}, nil
}

// Labelable says whether a return may get a return label: a RETURN (a claim sends nothing back) of
// an order Ordo ships itself (a marketplace's logistics bring its returns back), APPROVED, or
// further along when it has its return shipment already (asking again returns it). It is pure.
func Labelable(r *ent.OrderReturn, channelKind channel.Kind, hasShipment bool) error {
	switch channelKind {
	case channel.KindSHOPEE, channel.KindLAZADA, channel.KindTIKTOK_SHOP:
		return fault.New(fault.Conflict, "the returns of %s orders travel with the marketplace's logistics: it issues their labels", channelKind).
			With("channelKind", string(channelKind))
	}
	if r.Kind != orderreturn.KindRETURN {
		return fault.New(fault.Conflict, "a %s sends nothing back: it needs no return label", r.Kind).With("kind", string(r.Kind))
	}
	if r.Status == orderreturn.StatusAPPROVED || (hasShipment && r.Status == orderreturn.StatusIN_TRANSIT) {
		return nil
	}
	return fault.New(fault.Conflict, "a return that is %s gets no return label: approve it first", r.Status).With("status", string(r.Status))
}

// returnShipment is the return's return shipment, or nil when it has none (or only a cancelled
// one, or the outbound parcel a carrier brings back).
func (l *Labels) returnShipment(ctx context.Context, r *ent.OrderReturn) (*ent.Shipment, error) {
	if r.ShipmentID == nil {
		return nil, nil
	}
	sh, err := l.Returns.DB.Client.Shipment.Get(ctx, *r.ShipmentID)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load return shipment: %w", err)
	}
	if sh.Direction != shipment.DirectionRETURN {
		return nil, fault.New(fault.Conflict, "return %s comes back in shipment %s, which the carrier returns to the sender", r.Number, sh.Number)
	}
	if sh.Status == shipment.StatusCANCELLED {
		return nil, nil
	}
	return sh, nil
}

// createShipment makes the return shipment of r and records it on the return, in one transaction.
func (l *Labels) createShipment(ctx context.Context, r *ent.OrderReturn) (*ent.Shipment, error) {
	var id pulid.ID
	_, err := l.Returns.run(ctx, r.ID, func(ctx context.Context, p *op) error {
		if p.r.Version != r.Version {
			return fault.New(fault.Conflict, "return %s changed while its label was made; retry", r.ID)
		}
		if p.r.LocationID == nil {
			return fault.New(fault.Conflict, "return %s has no location to come back to: approve it with one", r.Number)
		}
		loc, err := p.tx.Location.Get(ctx, *p.r.LocationID)
		if err != nil {
			return fmt.Errorf("load location: %w", err)
		}
		if loc.Address.Line1 == "" || loc.Address.CountryCode == "" {
			return fault.New(fault.Conflict, "location %s needs a street address and a country to take returns", loc.Code)
		}
		lines, err := p.tx.ReturnLine.Query().Where(returnline.ReturnID(r.ID)).Order(returnline.ByID()).WithOrderLine(func(q *ent.OrderLineQuery) {
			q.WithVariant()
		}).All(ctx)
		if err != nil {
			return fmt.Errorf("load return lines: %w", err)
		}
		in := parcelOf(lines)
		in.ReturnID, in.Number, in.LocationID = r.ID, p.r.Number, loc.ID
		sh, err := l.Fulfilment.CreateReturnShipment(ctx, p.tx, p.o, in)
		if err != nil {
			return err
		}
		id = sh.ID
		n, err := p.tx.OrderReturn.Update().Where(orderReturnIs(p.r)).SetShipmentID(sh.ID).AddVersion(1).Save(ctx)
		if err != nil {
			return fmt.Errorf("record return shipment: %w", err)
		}
		if n == 0 {
			return fault.New(fault.Conflict, "return %s changed while its label was made; retry", r.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return l.Returns.DB.Client.Shipment.Get(ctx, id)
}

// parcelOf estimates the one package a return's lines go back in: their units, their weight
// (packing's assumed weight for a unit without one) and the largest unit's dimensions. It is pure.
func parcelOf(lines []*ent.ReturnLine) fulfilment.ReturnShipmentInput {
	var in fulfilment.ReturnShipmentInput
	for _, l := range lines {
		in.Contents = append(in.Contents, schema.PackageItem{LineID: l.OrderLineID, SKU: l.Sku, Quantity: l.Quantity})
		g := packing.AssumedWeightGrams
		if ol := l.Edges.OrderLine; ol != nil && ol.Edges.Variant != nil {
			v := ol.Edges.Variant
			g = cmp.Or(v.WeightGrams, g)
			in.LengthMM, in.WidthMM, in.HeightMM = max(in.LengthMM, v.LengthMm), max(in.WidthMM, v.WidthMm), max(in.HeightMM, v.HeightMm)
		}
		in.WeightGrams += g * int(l.Quantity)
	}
	return in
}

// latestLabel is the newest label document of a shipment, or nil.
func latestLabel(ctx context.Context, db *ent.Client, shipmentID pulid.ID) (*ent.Document, error) {
	d, err := db.Document.Query().Where(document.ShipmentID(shipmentID), document.KindEQ(document.KindLABEL)).
		Order(ent.Desc(document.FieldCreatedAt), ent.Desc(document.FieldID)).
		Select(document.FieldID, document.FieldShipmentID, document.FieldKind, document.FieldFormat, document.FieldContentType,
			document.FieldSize, document.FieldCreatedAt).First(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load label: %w", err)
	}
	return d, nil
}

// render renders the return label of r and stores it on its return shipment.
func (l *Labels) render(ctx context.Context, r *ent.OrderReturn, o *ent.Order, sh *ent.Shipment, f documents.Format) (*ent.Document, error) {
	db := l.Returns.DB.Client
	loc, err := db.Location.Get(ctx, sh.LocationID)
	if err != nil {
		return nil, fmt.Errorf("load location: %w", err)
	}
	lines, err := db.ReturnLine.Query().Where(returnline.ReturnID(r.ID)).Order(returnline.ByID()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load return lines: %w", err)
	}
	ids := make([]pulid.ID, len(lines))
	for i, rl := range lines {
		ids[i] = rl.OrderLineID
	}
	ols, err := db.OrderLine.Query().Where(orderline.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load order lines: %w", err)
	}
	body, err := documents.ReturnLabel(ReturnLabelData(r, o, loc, sh, lines, ols, l.Returns.now()), f)
	if err != nil {
		return nil, fault.New(fault.InvalidArgument, "return label of %s: %v", r.Number, err)
	}
	return l.Fulfilment.AttachLabel(ctx, sh.ID, f, body)
}

// ReturnLabelData is what the return label of r shows: its RMA number and lines (named as the
// order named them), the customer (the order's ship-to address) as sender, the location as the
// return address, and the carrier's tracking number and page when a label was bought. It is pure.
func ReturnLabelData(r *ent.OrderReturn, o *ent.Order, loc *ent.Location, sh *ent.Shipment, lines []*ent.ReturnLine, ols []*ent.OrderLine, at time.Time) documents.ReturnLabelData {
	names := make(map[pulid.ID]string, len(ols))
	for _, ol := range ols {
		names[ol.ID] = ol.Name
	}
	d := documents.ReturnLabelData{RMANumber: r.Number, OrderNumber: o.Number, From: printed(o.ShippingAddress, ""),
		To: printed(loc.Address, loc.Name), PrintedAt: at}
	for _, l := range lines {
		d.Lines = append(d.Lines, documents.ReturnLine{SKU: l.Sku, Name: names[l.OrderLineID], Quantity: int(l.Quantity)})
	}
	if sh.Method == shipment.MethodCARRIER && len(sh.TrackingNumbers) > 0 {
		d.TrackingNumber, d.Carrier, d.Service, d.QR = sh.TrackingNumbers[0], sh.Carrier, sh.Service, sh.TrackingURL
	}
	return d
}

// printed is an address as a label prints it, under company when the address names no one.
func printed(a schema.Address, company string) documents.Address {
	p := documents.Address{Name: cmp.Or(a.Name, company), Phone: a.Phone, City: a.City, Region: a.Region, PostalCode: a.PostalCode, Country: a.CountryCode}
	for _, line := range []string{company, a.Line1, a.Line2} {
		if line != "" && line != p.Name {
			p.Lines = append(p.Lines, line)
		}
	}
	return p
}
