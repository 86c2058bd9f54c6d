package fulfilment

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/documents"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/document"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/shipmentline"
	"github.com/ordo-oms/ordo/ent/shipmentpackage"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// store saves rendered documents of one kind for sh (or, for a pick list, sh nil and a location)
// in tx, each with its DocumentCreated event.
func (s *Service) store(ctx context.Context, tx *ent.Tx, o *ent.Order, sh *ent.Shipment, location pulid.ID, kind document.Kind, docs ...rendered) ([]pulid.ID, error) {
	evs := make([]events.Event, 0, len(docs))
	ids := make([]pulid.ID, 0, len(docs))
	for _, d := range docs {
		c := tx.Document.Create().SetKind(kind).SetFormat(d.format).SetContentType(d.contentType).SetSize(len(d.body)).
			SetBody(d.body).SetCreatedAt(s.now())
		ev := events.DocumentCreated{Document: string(kind), Format: string(d.format)}
		e := events.Event{LocationID: string(location), Actor: auth.Actor(ctx)}
		if sh != nil {
			c.SetShipmentID(sh.ID)
			ev.ShipmentID = string(sh.ID)
			e = s.event(ctx, o, sh, nil)
		} else {
			c.SetLocationID(location)
		}
		row, err := c.Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("store %s: %w", kind, err)
		}
		ids = append(ids, row.ID)
		ev.DocumentID = string(row.ID)
		e.Payload = ev
		evs = append(evs, e)
	}
	return ids, events.Append(ctx, tx, evs...)
}

// print stores one rendered PDF (a packing slip of sh, or a pick list of location) and returns it
// as the API lists documents: without its body.
func (s *Service) print(ctx context.Context, o *ent.Order, sh *ent.Shipment, location pulid.ID, kind document.Kind, body []byte) (*ent.Document, error) {
	var doc *ent.Document
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		ids, err := s.store(ctx, tx, o, sh, location, kind, rendered{format: document.FormatPDF_A4, contentType: "application/pdf", body: body})
		if err != nil {
			return err
		}
		doc, err = tx.Document.Query().Where(document.ID(ids[0])).Select(listed...).Only(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	return doc, nil
}

// AttachLabel stores a label rendered outside package fulfilment (a return's, by package returns)
// for a shipment, in format f, with its event, and returns it as the API lists documents.
func (s *Service) AttachLabel(ctx context.Context, shipmentID pulid.ID, f documents.Format, body []byte) (*ent.Document, error) {
	format, ok := labelFormats[f]
	if !ok || len(body) == 0 {
		return nil, fault.New(fault.InvalidArgument, "a label needs a format (PDF_4X6, PDF_A6, ZPL) and a body")
	}
	var doc *ent.Document
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		sh, o, err := load(ctx, tx, shipmentID)
		if err != nil {
			return err
		}
		ids, err := s.store(ctx, tx, o, sh, sh.LocationID, document.KindLABEL, rendered{format: format, contentType: f.MediaType(), body: body})
		if err != nil {
			return err
		}
		doc, err = tx.Document.Query().Where(document.ID(ids[0])).Select(listed...).Only(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	return doc, nil
}

// PrintPackingSlip renders and stores the packing slip of a shipment: its order and channel, where
// it goes, and what each box holds, with the shipment number as a Code 128.
func (s *Service) PrintPackingSlip(ctx context.Context, shipmentID pulid.ID) (*ent.Document, error) {
	if err := shipmentID.Validate("shp"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "shipmentID: %v", err)
	}
	sh, err := s.DB.Client.Shipment.Query().Where(shipment.ID(shipmentID)).
		WithPackages(func(q *ent.ShipmentPackageQuery) { q.Order(shipmentpackage.ByIndex()) }).
		WithLines(func(q *ent.ShipmentLineQuery) { q.Order(shipmentline.ByID()) }).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "shipment %s not found", shipmentID)
	}
	if err != nil {
		return nil, fmt.Errorf("load shipment: %w", err)
	}
	o, err := s.DB.Client.Order.Query().Where(order.ID(sh.OrderID)).WithChannel().
		WithLines(func(q *ent.OrderLineQuery) { q.WithVariant().Order(orderline.ByID()) }).Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("load order: %w", err)
	}
	body, err := documents.PackingSlip(slipData(sh, o, s.now()))
	if err != nil {
		return nil, fault.New(fault.InvalidArgument, "packing slip of shipment %s: %v", sh.Number, err)
	}
	return s.print(ctx, o, sh, sh.LocationID, document.KindPACKING_SLIP, body)
}

// slipData is what the packing slip of sh shows; o comes with its channel and its lines' variants.
// Lines follow the packages (one per SKU and box); a shipment without package contents lists its
// lines. It is pure.
func slipData(sh *ent.Shipment, o *ent.Order, at time.Time) documents.SlipData {
	names := map[pulid.ID]string{}
	bySKU := map[string]string{}
	for _, l := range o.Edges.Lines {
		name := l.Name
		if l.Edges.Variant != nil {
			name = cmp.Or(name, l.Edges.Variant.Name)
		}
		names[l.ID] = name
		bySKU[l.Sku] = cmp.Or(bySKU[l.Sku], name)
	}
	d := documents.SlipData{ShipmentRef: sh.Number, OrderNumber: o.Number, PlacedAt: o.PlacedAt, ShipTo: printedAddress(o.ShippingAddress),
		Note: o.Note, PrintedAt: at}
	if o.Edges.Channel != nil {
		d.ChannelName = o.Edges.Channel.Name
	}
	for _, p := range sh.Edges.Packages {
		box := cmp.Or(p.Box, fmt.Sprintf("Parcel %d", p.Index))
		for _, it := range p.Contents {
			d.Lines = append(d.Lines, documents.SlipLine{SKU: it.SKU, Name: cmp.Or(names[it.LineID], bySKU[it.SKU]), Quantity: int(it.Quantity), Box: box})
		}
	}
	if len(d.Lines) == 0 {
		for _, l := range sh.Edges.Lines {
			d.Lines = append(d.Lines, documents.SlipLine{SKU: l.Sku, Name: cmp.Or(names[l.OrderLineID], bySKU[l.Sku]), Quantity: int(l.Quantity)})
		}
	}
	return d
}

func printedAddress(a schema.Address) documents.Address {
	return printed(party(a, ""))
}

// pickable are the shipment states a pick list gathers: not yet picked.
var pickable = []shipment.Status{shipment.StatusOPEN, shipment.StatusPICKING}

// maxPickShipments bounds one pick list.
const maxPickShipments = 500

// PrintPickList renders and stores a batch pick list of a location's open shipments (OPEN and
// PICKING, oldest first, at most 500): one line per SKU with the total and each shipment's share,
// and each shipment's number as a Code 128 for sorting. A partner prints only at its locations.
func (s *Service) PrintPickList(ctx context.Context, locationID pulid.ID) (*ent.Document, error) {
	if err := locationID.Validate("loc"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "locationID: %v", err)
	}
	if v, ok := auth.FromContext(ctx); ok && !v.Serves(locationID) {
		return nil, fault.New(fault.Forbidden, "this partner key does not serve location %s", locationID)
	}
	loc, err := s.DB.Client.Location.Get(ctx, locationID)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "location %s not found", locationID)
	}
	if err != nil {
		return nil, fmt.Errorf("load location: %w", err)
	}
	open, err := s.DB.Client.Shipment.Query().Where(shipment.LocationID(loc.ID), shipment.StatusIn(pickable...),
		shipment.DirectionEQ(shipment.DirectionOUTBOUND)).
		WithLines().Order(shipment.ByCreatedAt(), shipment.ByID()).Limit(maxPickShipments).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load shipments: %w", err)
	}
	if len(open) == 0 {
		return nil, fault.New(fault.Conflict, "location %s has no open shipments to pick", loc.Code)
	}
	var skus []string
	for _, sh := range open {
		for _, l := range sh.Edges.Lines {
			if !slices.Contains(skus, l.Sku) {
				skus = append(skus, l.Sku)
			}
		}
	}
	vs, err := s.DB.Client.Variant.Query().Where(variant.SkuIn(skus...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load variants: %w", err)
	}
	names := map[string]string{}
	for _, v := range vs {
		names[v.Sku] = v.Name
	}
	now := s.now()
	data := documents.NewPickList(loc.Code+" "+loc.Name, now, pickItems(open, names))
	body, err := documents.PickList(data)
	if err != nil {
		return nil, fault.New(fault.InvalidArgument, "pick list of %s: %v", loc.Code, err)
	}
	return s.print(ctx, nil, nil, loc.ID, document.KindPICK_LIST, body)
}

// pickItems are the open shipments' lines as pick list items, named by SKU. It is pure.
func pickItems(open []*ent.Shipment, names map[string]string) []documents.PickItem {
	var items []documents.PickItem
	for _, sh := range open {
		for _, l := range sh.Edges.Lines {
			items = append(items, documents.PickItem{Shipment: sh.Number, SKU: l.Sku, Name: names[l.Sku], Quantity: int(l.Quantity)})
		}
	}
	return items
}

// listed are the columns of a document without its body.
var listed = []string{document.FieldID, document.FieldShipmentID, document.FieldLocationID, document.FieldKind,
	document.FieldFormat, document.FieldContentType, document.FieldSize, document.FieldCreatedAt}

// Documents lists a shipment's documents, newest first, without their bodies. The caller has
// loaded the shipment as its viewer; a storefront lists only the labels of its return shipments.
func (s *Service) Documents(ctx context.Context, sh *ent.Shipment) ([]*ent.Document, error) {
	q := s.DB.Client.Document.Query().Where(document.ShipmentID(sh.ID))
	if v, ok := auth.FromContext(ctx); ok && v.Role == auth.Storefront {
		if !inbound(sh) {
			return nil, nil
		}
		q.Where(document.KindEQ(document.KindLABEL))
	}
	return q.Order(ent.Desc(document.FieldCreatedAt), ent.Desc(document.FieldID)).Select(listed...).Limit(100).All(ctx)
}

// DocumentURL is where a document is downloaded, relative to Ordo's address.
func DocumentURL(id pulid.ID) string { return "/documents/" + string(id) }

// readers are the roles that may download documents: staff, partners at their locations, and
// storefronts the labels of their own orders' return shipments (see readable).
var readers = []auth.Role{auth.Admin, auth.Operator, auth.Support, auth.Partner, auth.Storefront}

// readable says whether a viewer of role may read a document of kind on a shipment going in
// direction: a storefront only the label its customer sends a return back with; others what their
// scope lets them load. It is pure.
func readable(role auth.Role, kind document.Kind, direction shipment.Direction) bool {
	if role != auth.Storefront {
		return true
	}
	return kind == document.KindLABEL && direction == shipment.DirectionRETURN
}

// Download returns a stored document for the viewer in ctx: its file name, content type and
// bytes. A document the viewer may not read (a shipment its scope hides, a pick list of a location
// it does not serve) is NOT_FOUND, as is one that does not exist. It implements
// server.DocumentStore.
func (s *Service) Download(ctx context.Context, id string) (name, contentType string, body []byte, err error) {
	v, ok := auth.FromContext(ctx)
	if !ok {
		return "", "", nil, fault.New(fault.Unauthenticated, "an API key is required: send Authorization: Bearer <key>")
	}
	missing := fault.New(fault.NotFound, "document %s not found", id)
	docID := pulid.ID(id)
	if docID.Validate("doc") != nil || !slices.Contains(readers, v.Role) {
		return "", "", nil, missing
	}
	d, err := s.DB.Client.Document.Get(ctx, docID)
	if ent.IsNotFound(err) {
		return "", "", nil, missing
	}
	if err != nil {
		return "", "", nil, fmt.Errorf("load document: %w", err)
	}
	ref := string(d.ID)
	switch {
	case d.ShipmentID != nil:
		sh, err := s.DB.Client.Shipment.Query().Where(shipment.ID(*d.ShipmentID)).Only(ctx) // scoped to the viewer
		if ent.IsNotFound(err) {
			return "", "", nil, missing
		}
		if err != nil {
			return "", "", nil, fmt.Errorf("load shipment: %w", err)
		}
		if !readable(v.Role, d.Kind, sh.Direction) {
			return "", "", nil, missing
		}
		ref = sh.Number
	case d.LocationID != nil:
		if v.Role == auth.Storefront || !v.Serves(*d.LocationID) {
			return "", "", nil, missing
		}
	default:
		return "", "", nil, missing
	}
	return FileName(d.Kind, ref, d.ID, d.Format), d.ContentType, d.Body, nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// FileName is a document's download name, made of letters, digits, dots, dashes and underscores
// only: label-SO-7KX2M9QD-1-doc_01….pdf. It is pure.
func FileName(kind document.Kind, ref string, id pulid.ID, f document.Format) string {
	ext := "pdf"
	if f == document.FormatZPL {
		ext = "zpl"
	}
	name := strings.ToLower(strings.ReplaceAll(string(kind), "_", "-"))
	if ref != "" && ref != string(id) {
		name += "-" + ref
	}
	name = unsafeName.ReplaceAllString(name+"-"+string(id), "_")
	return strings.Trim(name, "._-") + "." + ext
}
