package returns

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/returnreason"
	"github.com/ordo-oms/ordo/fault"
)

// The reason codes Ordo itself relies on: the fallback for a channel's reason the catalogue does
// not know, and the reason of a COD parcel the buyer refused (the carrier returned it).
const (
	ReasonOther      = "OTHER"
	ReasonCODRefused = "COD_REFUSED"
)

// ReasonInput creates or replaces one entry of the reason catalogue (by code).
type ReasonInput struct {
	Code, Label, Description, ParentCode string
	// DefaultDisposition is what receiving suggests for the reason's units; empty: QUARANTINE.
	DefaultDisposition returnreason.DefaultDisposition
	// ChannelCodes are, per channel kind, the channel's reason codes that mean this reason.
	ChannelCodes map[channel.Kind][]string
	// Active nil keeps the entry as it is (a new one is active).
	Active *bool
}

// tiktok names TikTok Shop's buyer return reasons (reason_name), which share a long prefix.
func tiktok(suffix string) string { return "ecom_order_delivered_refund_and_return_reason_" + suffix }

// DefaultReasons is the catalogue Ordo starts with, nested under parent codes, each mapped to the
// reasons Shopify (ReturnReason enum), Shopee (returns reason), TikTok Shop (return_reason) send.
// Lazada's reverse-order reason ids differ per market and come from /order/reverse/reason/list: they
// are set per reason with setReturnReason.
func DefaultReasons() []ReasonInput {
	const (
		sellable   = returnreason.DefaultDispositionSELLABLE
		damaged    = returnreason.DefaultDispositionDAMAGED
		quarantine = returnreason.DefaultDispositionQUARANTINE
	)
	r := func(code, label, parent string, d returnreason.DefaultDisposition, codes map[channel.Kind][]string, desc string) ReasonInput {
		return ReasonInput{Code: code, Label: label, ParentCode: parent, DefaultDisposition: d, ChannelCodes: codes, Description: desc}
	}
	return []ReasonInput{
		r("NOT_WANTED", "No longer wanted", "", sellable, map[channel.Kind][]string{
			channel.KindSHOPIFY:     {"UNWANTED", "STYLE", "COLOR"},
			channel.KindSHOPEE:      {"CHANGE_MIND"},
			channel.KindTIKTOK_SHOP: {tiktok("no_longer_needed_new"), tiktok("no_need")},
		}, "The buyer changed their mind; the item is as sold."),
		r("SIZE_TOO_SMALL", "Size too small", "NOT_WANTED", sellable, map[channel.Kind][]string{
			channel.KindSHOPIFY: {"SIZE_TOO_SMALL"},
		}, ""),
		r("SIZE_TOO_LARGE", "Size too large", "NOT_WANTED", sellable, map[channel.Kind][]string{
			channel.KindSHOPIFY: {"SIZE_TOO_LARGE"},
		}, ""),
		r("DEFECTIVE", "Damaged or defective", "", damaged, map[channel.Kind][]string{
			channel.KindSHOPIFY:     {"DEFECTIVE"},
			channel.KindSHOPEE:      {"FUNCTIONAL_DMG"},
			channel.KindTIKTOK_SHOP: {"ecom_order_delivered_refund_reason_defective"},
		}, "The item does not work as it should."),
		r("DAMAGED_IN_TRANSIT", "Arrived damaged", "DEFECTIVE", damaged, map[channel.Kind][]string{
			channel.KindSHOPEE:      {"ITEM_DAMAGED", "PHYSICAL_DMG"},
			channel.KindTIKTOK_SHOP: {tiktok("damaged")},
		}, "The item or its packaging was damaged on the way."),
		r("WRONG_ITEM", "Wrong item sent", "", quarantine, map[channel.Kind][]string{
			channel.KindSHOPIFY:     {"WRONG_ITEM"},
			channel.KindSHOPEE:      {"WRONG_ITEM", "ITEM_WRONGDAMAGED"},
			channel.KindTIKTOK_SHOP: {tiktok("wrong_item"), tiktok("wrong_product"), tiktok("wrong_product_seller")},
		}, ""),
		r("NOT_AS_DESCRIBED", "Not as described", "", quarantine, map[channel.Kind][]string{
			channel.KindSHOPIFY: {"NOT_AS_DESCRIBED"},
			channel.KindSHOPEE:  {"DIFFERENT_DESCRIPTION", "EXPECTATION_FAILED", "ITEM_FAKE"},
		}, "The item differs from its listing (or is not genuine)."),
		r("MISSING_ITEM", "Item missing", "", quarantine, map[channel.Kind][]string{
			channel.KindSHOPEE:      {"ITEM_MISSING", "NOT_RECEIPT"},
			channel.KindTIKTOK_SHOP: {"ecom_order_delivered_refund_reason_not_received"},
		}, "Part or all of the order did not arrive."),
		r(ReasonCODRefused, "Cash on delivery refused", "", sellable, nil,
			"The buyer refused the parcel at the door; the carrier returned it to the sender."),
		r(ReasonCancelledAfterHandover, "Cancelled after hand-over", "", sellable, nil,
			"The order was cancelled once the parcel was with the carrier; it comes back unopened."),
		r(ReasonOther, "Other", "", quarantine, map[channel.Kind][]string{
			channel.KindSHOPIFY: {"OTHER", "UNKNOWN"},
			channel.KindSHOPEE:  {"OTHER", "MUTUAL_AGREE"},
		}, ""),
	}
}

// MapReason is the catalogue's code for a channel's reason: the active reason whose codes for the
// channel kind include it (compared without case: Shopify's webhooks spell its enum in lower
// case), the first in catalogue order when several do; OTHER when none does. It is pure.
func MapReason(reasons []*ent.ReturnReason, kind channel.Kind, channelCode string) string {
	c := strings.TrimSpace(channelCode)
	if c == "" {
		return ReasonOther
	}
	for _, r := range reasons {
		if !r.Active {
			continue
		}
		if slices.ContainsFunc(r.ChannelCodes[string(kind)], func(x string) bool { return strings.EqualFold(x, c) }) {
			return r.Code
		}
	}
	return ReasonOther
}

// ChannelReason is what a channel of kind takes for the catalogue's reason code (a seller's refusal
// names one): the reason's first code for the channel, else its parent's, up the tree, else OTHER's;
// ok is false when none of them has a code for the channel. It is pure.
func ChannelReason(reasons []*ent.ReturnReason, kind channel.Kind, code string) (_ string, ok bool) {
	byCode := make(map[string]*ent.ReturnReason, len(reasons))
	for _, r := range reasons {
		byCode[r.Code] = r
	}
	seen := map[string]bool{}
	for c := code; c != "" && !seen[c]; {
		seen[c] = true
		r, found := byCode[c]
		if !found {
			break
		}
		if codes := r.ChannelCodes[string(kind)]; len(codes) > 0 {
			return codes[0], true
		}
		c = r.ParentCode
	}
	if r, found := byCode[ReasonOther]; found && code != ReasonOther {
		if codes := r.ChannelCodes[string(kind)]; len(codes) > 0 {
			return codes[0], true
		}
	}
	return "", false
}

// Limits of the catalogue's entries.
const (
	maxReasonLabel       = 100
	maxReasonDescription = 500
	maxChannelCodes      = 50
	maxChannelCode       = 200
	maxReasons           = 500
)

var reasonCode = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,49}$`)

// CheckReason validates an entry of the catalogue on its own: the code (A–Z, digits and _), the
// label, the disposition, and the channel codes per known channel kind. It is pure.
func CheckReason(in ReasonInput) error {
	switch {
	case !reasonCode.MatchString(in.Code):
		return fault.New(fault.InvalidArgument, "code %q: 2 to 50 of A–Z, 0–9 and _, starting with a letter", in.Code)
	case strings.TrimSpace(in.Label) == "" || len(in.Label) > maxReasonLabel:
		return fault.New(fault.InvalidArgument, "label: must be 1 to %d characters", maxReasonLabel)
	case len(in.Description) > maxReasonDescription:
		return fault.New(fault.InvalidArgument, "description: at most %d characters", maxReasonDescription)
	case in.ParentCode == in.Code:
		return fault.New(fault.InvalidArgument, "parentCode: a reason cannot be its own parent")
	case in.ParentCode != "" && !reasonCode.MatchString(in.ParentCode):
		return fault.New(fault.InvalidArgument, "parentCode %q is not a reason code", in.ParentCode)
	}
	if in.DefaultDisposition != "" {
		if err := returnreason.DefaultDispositionValidator(in.DefaultDisposition); err != nil {
			return fault.New(fault.InvalidArgument, "defaultDisposition: must be SELLABLE, DAMAGED or QUARANTINE")
		}
	}
	for k, codes := range in.ChannelCodes {
		if err := channel.KindValidator(k); err != nil {
			return fault.New(fault.InvalidArgument, "channelCodes: unknown channel kind %q", k)
		}
		if len(codes) > maxChannelCodes {
			return fault.New(fault.InvalidArgument, "channelCodes %s: at most %d codes", k, maxChannelCodes)
		}
		for _, c := range codes {
			if strings.TrimSpace(c) == "" || len(c) > maxChannelCode {
				return fault.New(fault.InvalidArgument, "channelCodes %s: each code must be 1 to %d characters", k, maxChannelCode)
			}
		}
	}
	return nil
}

// channelCodes is the stored form of the per-kind codes, trimmed, without duplicates or empty kinds.
func channelCodes(in map[channel.Kind][]string) map[string][]string {
	out := map[string][]string{}
	for k, codes := range in {
		var cs []string
		for _, c := range codes {
			if c = strings.TrimSpace(c); !slices.Contains(cs, c) {
				cs = append(cs, c)
			}
		}
		if len(cs) > 0 {
			out[string(k)] = cs
		}
	}
	return out
}

// SeedReasons adds the default reasons the catalogue lacks (by code), leaving entries already there
// as they are: it runs at start-up and on the catalogue's first use, as often as it likes.
func (s *Service) SeedReasons(ctx context.Context) error {
	defaults := DefaultReasons()
	creates := make([]*ent.ReturnReasonCreate, len(defaults))
	for i, d := range defaults {
		creates[i] = s.DB.Client.ReturnReason.Create().SetCode(d.Code).SetLabel(d.Label).SetDescription(d.Description).
			SetParentCode(d.ParentCode).SetDefaultDisposition(d.DefaultDisposition).SetChannelCodes(channelCodes(d.ChannelCodes))
	}
	err := s.DB.Client.ReturnReason.CreateBulk(creates...).OnConflictColumns(returnreason.FieldCode).Ignore().Exec(ctx)
	if err != nil {
		return fmt.Errorf("seed return reasons: %w", err)
	}
	return nil
}

// Reasons is the reason catalogue in code order, the inactive entries too when all is set; the
// defaults are seeded on first use.
func (s *Service) Reasons(ctx context.Context, all bool) ([]*ent.ReturnReason, error) {
	n, err := s.DB.Client.ReturnReason.Query().Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("count return reasons: %w", err)
	}
	if n == 0 {
		if err := s.SeedReasons(ctx); err != nil {
			return nil, err
		}
	}
	q := s.DB.Client.ReturnReason.Query().Order(returnreason.ByCode())
	if !all {
		q.Where(returnreason.Active(true))
	}
	rs, err := q.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load return reasons: %w", err)
	}
	return rs, nil
}

// ValidReason checks that code names an active reason of the catalogue (INVALID_ARGUMENT if not);
// an empty code is valid: a return need not give a reason.
func (s *Service) ValidReason(ctx context.Context, code string) error {
	if code == "" {
		return nil
	}
	if _, err := s.Reasons(ctx, false); err != nil { // seeds the defaults on first use
		return err
	}
	ok, err := s.DB.Client.ReturnReason.Query().Where(returnreason.Code(code), returnreason.Active(true)).Exist(ctx)
	if err != nil {
		return fmt.Errorf("look for return reason: %w", err)
	}
	if !ok {
		return fault.New(fault.InvalidArgument, "reason %q is not an active reason of the catalogue (returnReasons)", code).With("reasonCode", code)
	}
	return nil
}

// SetReason creates or replaces the catalogue entry of in.Code. The parent must exist, and the
// nesting stays a tree; OTHER, the fallback of every mapping, cannot be deactivated.
func (s *Service) SetReason(ctx context.Context, in ReasonInput) (*ent.ReturnReason, error) {
	in.Code, in.ParentCode = strings.TrimSpace(in.Code), strings.TrimSpace(in.ParentCode)
	in.Label, in.Description = strings.TrimSpace(in.Label), strings.TrimSpace(in.Description)
	if err := CheckReason(in); err != nil {
		return nil, err
	}
	if in.Code == ReasonOther && in.Active != nil && !*in.Active {
		return nil, fault.New(fault.Conflict, "OTHER is where unknown channel reasons go: it stays active")
	}
	if _, err := s.Reasons(ctx, true); err != nil { // seeds the defaults on first use
		return nil, err
	}
	var saved *ent.ReturnReason
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		all, err := tx.ReturnReason.Query().All(ctx)
		if err != nil {
			return fmt.Errorf("load return reasons: %w", err)
		}
		parents := map[string]string{}
		var cur *ent.ReturnReason
		for _, r := range all {
			parents[r.Code] = r.ParentCode
			if r.Code == in.Code {
				cur = r
			}
		}
		if in.ParentCode != "" {
			if _, ok := parents[in.ParentCode]; !ok {
				return fault.New(fault.InvalidArgument, "parentCode %q is not a reason of the catalogue", in.ParentCode)
			}
		}
		parents[in.Code] = in.ParentCode
		if cyclic(parents, in.Code) {
			return fault.New(fault.InvalidArgument, "parentCode %q would nest %s under itself", in.ParentCode, in.Code)
		}
		codes := channelCodes(in.ChannelCodes)
		if cur == nil {
			if len(all) >= maxReasons {
				return fault.New(fault.Conflict, "the catalogue holds %d reasons, the most Ordo keeps", len(all))
			}
			c := tx.ReturnReason.Create().SetCode(in.Code).SetLabel(in.Label).SetDescription(in.Description).
				SetParentCode(in.ParentCode).SetChannelCodes(codes)
			if in.DefaultDisposition != "" {
				c.SetDefaultDisposition(in.DefaultDisposition)
			}
			if in.Active != nil {
				c.SetActive(*in.Active)
			}
			saved, err = c.Save(ctx)
		} else {
			u := cur.Update().SetLabel(in.Label).SetDescription(in.Description).SetParentCode(in.ParentCode).
				SetChannelCodes(codes).SetUpdatedAt(s.now())
			if in.DefaultDisposition != "" {
				u.SetDefaultDisposition(in.DefaultDisposition)
			}
			if in.Active != nil {
				u.SetActive(*in.Active)
			}
			saved, err = u.Save(ctx)
		}
		if ent.IsConstraintError(err) {
			return fault.New(fault.Conflict, "reason %s was set at the same time; retry", in.Code)
		}
		if err != nil {
			return fmt.Errorf("save return reason: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}

// cyclic reports whether following parents up from code comes back to it. It is pure.
func cyclic(parents map[string]string, code string) bool {
	seen := map[string]bool{}
	for c := parents[code]; c != ""; c = parents[c] {
		if c == code || seen[c] {
			return true
		}
		seen[c] = true
	}
	return false
}
