package fulfilment

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/carriers"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/documents"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/document"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/ent/shipmentpackage"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/shipping"
)

// LabelInput buys a shipping label for a shipment from a carrier account.
type LabelInput struct {
	ShipmentID       pulid.ID
	CarrierAccountID pulid.ID
	// Service is the carrier's service (EasyPost: Priority, GroundAdvantage…); empty: the cheapest.
	Service string
	// Format is the label wanted: PDF 4×6 in, PDF A6 or ZPL.
	Format documents.Format
}

// A label is bought in three steps: the shipment is claimed (its carrier_ref set to a pending
// marker, so that two buyers cannot both pay), the carrier is called outside any transaction, and
// the label is recorded in one transaction. A claim older than claimTTL was left by a process that
// died mid-call; it may be taken over.
const (
	claimPrefix = "pending:"
	claimTTL    = 5 * time.Minute
	// maxLabelBytes caps a label document fetched from the carrier's URL.
	maxLabelBytes = 10 << 20
)

func claimOf(t time.Time) string { return fmt.Sprintf("%s%020d", claimPrefix, t.UnixNano()) }

// labelled reports whether sh holds a bought label (not a claim in progress).
func labelled(sh *ent.Shipment) bool {
	return sh.CarrierRef != "" && !strings.HasPrefix(sh.CarrierRef, claimPrefix) && sh.CarrierAccountID != nil
}

// mayBuyLabel says whether a label may be bought for sh: it is still at its origin, and Ordo
// arranges its carrier (MANUAL or CARRIER, not the marketplace's logistics, a pickup or a supplier).
func mayBuyLabel(status shipment.Status, m shipment.Method) error {
	if m != shipment.MethodMANUAL && m != shipment.MethodCARRIER {
		return fault.New(fault.Conflict, "a %s shipment gets no carrier label from Ordo", m).With("method", string(m))
	}
	if !slices.Contains(atOrigin, status) {
		return fault.New(fault.Conflict, "the shipment is %s: labels are bought before it ships", status).With("status", string(status))
	}
	return nil
}

// BuyLabel books the shipment with the carrier account's carrier and records the label: the
// shipment becomes a CARRIER shipment with the label's carrier, service, tracking numbers (per
// package too) and cost, and its label documents are stored: the carrier's own when it issues them,
// else Ordo's rendered per package. Buying again for a shipment that has a label from the same
// account returns it unchanged; from another account it is a CONFLICT (cancel the label first).
func (s *Service) BuyLabel(ctx context.Context, cs *carriers.Service, in LabelInput) (*ent.Shipment, error) {
	if err := in.ShipmentID.Validate("shp"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "shipmentID: %v", err)
	}
	in.Service = strings.TrimSpace(in.Service)
	if len(in.Service) > 100 {
		return nil, fault.New(fault.InvalidArgument, "service: at most 100 characters")
	}
	if _, ok := labelFormats[in.Format]; !ok {
		return nil, fault.New(fault.InvalidArgument, "format: must be PDF_4X6, PDF_A6 or ZPL")
	}
	acc, err := cs.Get(ctx, in.CarrierAccountID)
	if err != nil {
		return nil, err
	}
	sh, err := s.DB.Client.Shipment.Query().Where(shipment.ID(in.ShipmentID)).
		WithPackages(func(q *ent.ShipmentPackageQuery) { q.Order(shipmentpackage.ByIndex()) }).WithLocation().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "shipment %s not found", in.ShipmentID)
	}
	if err != nil {
		return nil, fmt.Errorf("load shipment: %w", err)
	}
	if labelled(sh) {
		if *sh.CarrierAccountID == acc.ID && (in.Service == "" || strings.EqualFold(in.Service, sh.Service)) {
			return sh, nil
		}
		return nil, fault.New(fault.Conflict, "shipment %s already has a %s label (%s); cancel it first", sh.ID, sh.Carrier, strings.Join(sh.TrackingNumbers, ", "))
	}
	if err := mayBuyLabel(sh.Status, sh.Method); err != nil {
		return nil, err
	}
	o, err := s.DB.Client.Order.Query().Where(order.ID(sh.OrderID)).WithChannel().Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("load order: %w", err)
	}
	req, err := labelRequest(sh, o, sh.Edges.Location, sh.Edges.Packages, in.Service, in.Format)
	if err != nil {
		return nil, err
	}
	carrier, err := cs.Carrier(acc)
	if err != nil {
		return nil, err
	}
	now := s.now()
	claim := claimOf(now)
	n, err := s.DB.Client.Shipment.Update().Where(shipment.ID(sh.ID), shipment.StatusIn(atOrigin...), shipment.Or(
		shipment.CarrierRefIsNil(), shipment.CarrierRef(""),
		shipment.And(shipment.CarrierRefHasPrefix(claimPrefix), shipment.CarrierRefLT(claimOf(now.Add(-claimTTL)))),
	)).SetCarrierRef(claim).SetUpdatedAt(now).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("claim shipment: %w", err)
	}
	if n == 0 {
		return nil, fault.New(fault.Conflict, "a label is being bought for shipment %s, or it changed; retry", sh.ID)
	}
	detached := context.WithoutCancel(ctx)
	release := func() {
		_, _ = s.DB.Client.Shipment.Update().Where(shipment.ID(sh.ID), shipment.CarrierRef(claim)).ClearCarrierRef().Save(detached)
	}
	label, err := carrier.CreateLabel(ctx, req)
	if err != nil {
		release()
		return nil, carrierFault(err)
	}
	void := func(cause error) error {
		if cerr := carrier.CancelLabel(detached, label.CarrierRef); cerr != nil {
			cause = fmt.Errorf("%w (and voiding the carrier's booking %s failed: %v)", cause, label.CarrierRef, cerr)
		}
		release()
		return cause
	}
	if len(label.TrackingNumbers) != len(req.Parcels) || label.CarrierRef == "" {
		return nil, void(fmt.Errorf("carrier %s returned %d tracking numbers for %d parcels", acc.Kind, len(label.TrackingNumbers), len(req.Parcels)))
	}
	label.Carrier = cmp.Or(label.Carrier, string(acc.Kind))
	label.Service = cmp.Or(label.Service, in.Service)
	data := labelData(sh, o, req, label, now)
	if inbound(sh) {
		data = nil // a return's own label (its RMA, its lines) is rendered by package returns
	}
	docs, err := labelDocuments(ctx, httpClient(cs), label, data, in.Format)
	if err != nil {
		return nil, void(err)
	}
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		upd := tx.Shipment.Update().Where(shipment.ID(sh.ID), shipment.CarrierRef(claim), shipment.StatusIn(atOrigin...)).
			SetMethod(shipment.MethodCARRIER).SetCarrier(label.Carrier).SetService(label.Service).SetCarrierAccountID(acc.ID).
			SetCarrierRef(label.CarrierRef).SetTrackingNumbers(label.TrackingNumbers).
			SetTrackingURL(TrackingURL(label.Carrier, label.TrackingNumbers[0])).SetUpdatedAt(s.now())
		if label.Currency != "" {
			upd.SetLabelAmount(label.Amount).SetLabelCurrency(label.Currency)
		}
		n, err := upd.Save(ctx)
		if err != nil {
			return fmt.Errorf("record label: %w", err)
		}
		if n == 0 {
			return fault.New(fault.Conflict, "shipment %s changed while its label was bought; the label was voided", sh.ID)
		}
		for i, p := range sh.Edges.Packages {
			if err := tx.ShipmentPackage.UpdateOneID(p.ID).SetTrackingNumber(label.TrackingNumbers[i]).Exec(ctx); err != nil {
				return fmt.Errorf("record package tracking: %w", err)
			}
		}
		_, err = s.store(ctx, tx, o, sh, sh.LocationID, document.KindLABEL, docs...)
		return err
	})
	if err != nil {
		return nil, void(err)
	}
	s.committed()
	return s.DB.Client.Shipment.Get(ctx, sh.ID)
}

// CancelLabel voids a shipment's label with its carrier (before it ships) and clears what the label
// gave it: carrier, service, tracking numbers, cost and label documents. The shipment is MANUAL
// again, ready for another label or a tracking number given by hand.
func (s *Service) CancelLabel(ctx context.Context, cs *carriers.Service, shipmentID pulid.ID) (*ent.Shipment, error) {
	if err := shipmentID.Validate("shp"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "shipmentID: %v", err)
	}
	sh, err := s.DB.Client.Shipment.Get(ctx, shipmentID)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "shipment %s not found", shipmentID)
	}
	if err != nil {
		return nil, fmt.Errorf("load shipment: %w", err)
	}
	if !labelled(sh) || sh.Method != shipment.MethodCARRIER {
		return nil, fault.New(fault.Conflict, "shipment %s has no label bought through Ordo", sh.ID)
	}
	if !slices.Contains(atOrigin, sh.Status) {
		return nil, fault.New(fault.Conflict, "the shipment is %s: its label can no longer be cancelled", sh.Status).With("status", string(sh.Status))
	}
	acc, err := s.DB.Client.CarrierAccount.Get(ctx, *sh.CarrierAccountID)
	if err != nil {
		return nil, fmt.Errorf("load carrier account: %w", err)
	}
	carrier, err := cs.Carrier(acc)
	if err != nil {
		return nil, err
	}
	if err := carrier.CancelLabel(ctx, sh.CarrierRef); err != nil {
		if errors.Is(err, shipping.ErrRefused) {
			return nil, fault.New(fault.Conflict, "the carrier refused to cancel the label: %v", err)
		}
		return nil, carrierFault(err)
	}
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		o, err := tx.Order.Get(ctx, sh.OrderID)
		if err != nil {
			return fmt.Errorf("load order: %w", err)
		}
		n, err := tx.Shipment.Update().Where(shipment.ID(sh.ID), shipment.CarrierRef(sh.CarrierRef), shipment.StatusIn(atOrigin...)).
			SetMethod(shipment.MethodMANUAL).ClearCarrier().ClearService().ClearCarrierAccountID().ClearCarrierRef().
			ClearTrackingNumbers().ClearTrackingURL().ClearLabelAmount().ClearLabelCurrency().SetUpdatedAt(s.now()).Save(ctx)
		if err != nil {
			return fmt.Errorf("clear label: %w", err)
		}
		if n == 0 {
			return fault.New(fault.Conflict, "shipment %s changed while its label was cancelled; the carrier has voided it", sh.ID)
		}
		if err := tx.ShipmentPackage.Update().Where(shipmentpackage.ShipmentID(sh.ID)).ClearTrackingNumber().Exec(ctx); err != nil {
			return fmt.Errorf("clear package tracking: %w", err)
		}
		if _, err := tx.Document.Delete().Where(document.ShipmentID(sh.ID), document.KindEQ(document.KindLABEL)).Exec(ctx); err != nil {
			return fmt.Errorf("delete label documents: %w", err)
		}
		return events.Append(ctx, tx, s.event(ctx, o, sh, events.ShipmentUpdated{ShipmentID: string(sh.ID), Command: "CANCEL_LABEL",
			From: string(sh.Status), To: string(sh.Status), Carrier: sh.Carrier, TrackingNumbers: sh.TrackingNumbers, Reason: "the label was cancelled"}))
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	return s.DB.Client.Shipment.Get(ctx, sh.ID)
}

// carrierFault turns a carrier call's error into the fault the caller sees: a refusal is the
// caller's to fix (INVALID_ARGUMENT with the carrier's message), anything else is worth retrying
// (UNAVAILABLE).
func carrierFault(err error) error {
	var rl *shipping.RateLimitError
	switch {
	case errors.Is(err, shipping.ErrRefused):
		return fault.New(fault.InvalidArgument, "the carrier refused: %v", err)
	case errors.Is(err, shipping.ErrAccount), errors.Is(err, shipping.ErrUnsupported):
		return fault.New(fault.Conflict, "the carrier account cannot do this: %v", err)
	case errors.As(err, &rl):
		return fault.New(fault.Unavailable, "the carrier is rate limiting calls; retry after %v", rl.RetryAfter).With("retryAfterSeconds", int(rl.RetryAfter/time.Second))
	case fault.CodeOf(err) != fault.Internal:
		return err
	}
	return fault.New(fault.Unavailable, "the carrier did not answer; retry: %v", err)
}

// labelFormats maps the label formats the API offers to the stored document format.
var labelFormats = map[documents.Format]document.Format{
	documents.PDF4x6: document.FormatPDF_4X6,
	documents.PDFA6:  document.FormatPDF_A6,
	documents.ZPL:    document.FormatZPL,
}

// labelRequest is what the carrier is asked to book for sh: from its origin to the order's ship-to
// address, one parcel per package, with the cash to collect when the order is COD and unpaid; a
// return shipment the other way round, from the customer back to its location, with no cash. It
// is pure.
func labelRequest(sh *ent.Shipment, o *ent.Order, origin *ent.Location, pkgs []*ent.ShipmentPackage, service string, f documents.Format) (shipping.LabelRequest, error) {
	if origin == nil || origin.Address.Line1 == "" || origin.Address.CountryCode == "" {
		if inbound(sh) {
			return shipping.LabelRequest{}, fault.New(fault.Conflict, "the return location needs a street address and a country to ship to")
		}
		return shipping.LabelRequest{}, fault.New(fault.Conflict, "the origin location needs a street address and a country to ship from")
	}
	to := o.ShippingAddress
	if to.Line1 == "" || to.CountryCode == "" {
		if inbound(sh) {
			return shipping.LabelRequest{}, fault.New(fault.Conflict, "order %s needs a street address and a country to collect the return from", o.Number)
		}
		return shipping.LabelRequest{}, fault.New(fault.Conflict, "order %s needs a street address and a country to ship to", o.Number)
	}
	if len(pkgs) == 0 {
		return shipping.LabelRequest{}, fault.New(fault.Conflict, "shipment %s has no packages", sh.Number)
	}
	req := shipping.LabelRequest{Reference: string(sh.ID), Service: service, Format: shipping.PDF,
		From: party(origin.Address, origin.Name), To: party(to, "")}
	if inbound(sh) {
		req.From, req.To = req.To, req.From
	}
	if f == documents.ZPL {
		req.Format = shipping.ZPL
	}
	for _, p := range pkgs {
		req.Parcels = append(req.Parcels, shipping.Parcel{WeightGrams: p.WeightGrams, LengthMM: p.LengthMm, WidthMM: p.WidthMm,
			HeightMM: p.HeightMm, Reference: string(p.ID)})
	}
	if !inbound(sh) && o.PaymentMethod == order.PaymentMethodCOD && o.PaymentStatus != order.PaymentStatusPAID && o.TotalAmount > 0 {
		req.COD = shipping.Money{Amount: o.TotalAmount, Currency: o.Currency}
	}
	return req, nil
}

func party(a schema.Address, company string) shipping.Party {
	return shipping.Party{Name: cmp.Or(a.Name, company), Company: company, Phone: a.Phone, Line1: a.Line1, Line2: a.Line2,
		City: a.City, Region: a.Region, PostalCode: a.PostalCode, Country: a.CountryCode}
}

// printed is an address as documents print it.
func printed(p shipping.Party) documents.Address {
	a := documents.Address{Name: p.Name, Phone: p.Phone, City: p.City, Region: p.Region, PostalCode: p.PostalCode, Country: p.Country}
	for _, l := range []string{p.Company, p.Line1, p.Line2} {
		if l != "" && l != p.Name {
			a.Lines = append(a.Lines, l)
		}
	}
	return a
}

// labelData is what Ordo's own label prints for each package of a booked shipment. It is pure.
func labelData(sh *ent.Shipment, o *ent.Order, req shipping.LabelRequest, l shipping.Label, at time.Time) []documents.LabelData {
	out := make([]documents.LabelData, len(req.Parcels))
	for i, p := range req.Parcels {
		d := documents.LabelData{ShipmentRef: sh.Number, TrackingNumber: l.TrackingNumbers[i], Carrier: l.Carrier, Service: l.Service,
			From: printed(req.From), To: printed(req.To), OrderNumber: o.Number, WeightGrams: p.WeightGrams,
			PackageIndex: i + 1, PackageCount: len(req.Parcels), QRURL: TrackingURL(l.Carrier, l.TrackingNumbers[i]), PrintedAt: at}
		if sh.ShipBy != nil {
			d.ShipBy = *sh.ShipBy
		}
		if req.COD.Amount > 0 && i == 0 {
			if exp, err := channels.Exponent(req.COD.Currency); err == nil {
				d.COD = &documents.Amount{Minor: req.COD.Amount, Currency: req.COD.Currency, Digits: exp}
			}
		}
		out[i] = d
	}
	return out
}

// trackingPages are carriers' public tracking pages by carrier name (lower case), %s the number.
var trackingPages = map[string]string{
	"usps":      "https://tools.usps.com/go/TrackConfirmAction?tLabels=%s",
	"fedex":     "https://www.fedex.com/fedextrack/?trknbr=%s",
	"ups":       "https://www.ups.com/track?tracknum=%s",
	"dhl":       "https://www.dhl.com/en/express/tracking.html?AWB=%s",
	"ninjavan":  "https://www.ninjavan.co/en-sg/tracking?id=%s",
	"ninja van": "https://www.ninjavan.co/en-sg/tracking?id=%s",
}

// TrackingURL is the public page that tracks number with carrier: the carrier's own where Ordo
// knows it, else AfterShip's, which tracks any carrier. It is pure.
func TrackingURL(carrier, number string) string {
	n := url.QueryEscape(number)
	if page, ok := trackingPages[strings.ToLower(strings.TrimSpace(carrier))]; ok {
		return fmt.Sprintf(page, n)
	}
	return "https://track.aftership.com/" + url.PathEscape(number)
}

// rendered is a document ready to store.
type rendered struct {
	format      document.Format
	contentType string
	body        []byte
}

// labelDocuments are the label documents to store for a booked shipment: the carrier's own when it
// issued them all (fetched from their URL where it gave only that), else Ordo's, one per package in
// format f (none without data).
func labelDocuments(ctx context.Context, hc *http.Client, l shipping.Label, data []documents.LabelData, f documents.Format) ([]rendered, error) {
	if own, ok := carrierDocuments(ctx, hc, l.Documents); ok {
		return own, nil
	}
	out := make([]rendered, len(data))
	for i, d := range data {
		body, err := documents.Label(d, f)
		if err != nil {
			return nil, fmt.Errorf("render label %d: %w", i+1, err)
		}
		out[i] = rendered{format: labelFormats[f], contentType: f.MediaType(), body: body}
	}
	return out, nil
}

// carrierDocuments are the carrier's label documents with their bodies, and false when it issued
// none or one cannot be fetched.
func carrierDocuments(ctx context.Context, hc *http.Client, docs []shipping.Document) ([]rendered, bool) {
	if len(docs) == 0 {
		return nil, false
	}
	out := make([]rendered, len(docs))
	for i, d := range docs {
		body := d.Body
		if len(body) == 0 && d.URL != "" {
			var err error
			if body, err = fetch(ctx, hc, d.URL); err != nil {
				return nil, false
			}
		}
		if len(body) == 0 {
			return nil, false
		}
		format, ctype := document.FormatPDF, "application/pdf"
		if d.Format == shipping.ZPL {
			format, ctype = document.FormatZPL, "application/x-zpl"
		}
		out[i] = rendered{format: format, contentType: ctype, body: body}
	}
	return out, true
}

// fetch reads a document the carrier serves at u.
func fetch(ctx context.Context, hc *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: HTTP %d", u, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxLabelBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxLabelBytes {
		return nil, fmt.Errorf("GET %s: over %d bytes", u, maxLabelBytes)
	}
	return body, nil
}

var fetchClient = &http.Client{Timeout: 30 * time.Second}

// httpClient is the carriers service's client, which reaches the carriers' document URLs.
func httpClient(cs *carriers.Service) *http.Client {
	if cs != nil && cs.HTTP != nil {
		return cs.HTTP
	}
	return fetchClient
}

// CancelShipment cancels a shipment still at its origin. A label bought for it through Ordo is
// voided with the carrier first, so that nothing is paid for a parcel that will not travel; if the
// carrier refuses, the shipment stays as it was.
func (s *Service) CancelShipment(ctx context.Context, cs *carriers.Service, shipmentID pulid.ID, reason string) (*ent.Shipment, error) {
	if err := shipmentID.Validate("shp"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "shipmentID: %v", err)
	}
	if strings.TrimSpace(reason) == "" {
		return nil, fault.New(fault.InvalidArgument, "cancelling a shipment needs a reason")
	}
	sh, err := s.DB.Client.Shipment.Get(ctx, shipmentID)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "shipment %s not found", shipmentID)
	}
	if err != nil {
		return nil, fmt.Errorf("load shipment: %w", err)
	}
	if sh.Method == shipment.MethodCARRIER && labelled(sh) && slices.Contains(atOrigin, sh.Status) {
		if _, err := s.CancelLabel(ctx, cs, shipmentID); err != nil {
			return nil, err
		}
	}
	return s.Apply(ctx, CommandInput{ShipmentID: shipmentID, Command: Cancel, Reason: reason})
}
