package customers

import (
	"slices"
	"strings"

	"github.com/ordo-oms/ordo/ent/customeridentity"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// Buyer is what an order says about its buyer: the channel that sold (nil for Ordo's own orders)
// and its id of the buyer, the buyer's contacts, and the order's country (an ISO 3166 code, how
// national phone numbers are read).
type Buyer struct {
	ChannelID *pulid.ID
	BuyerID   string
	Email     string
	// EmailVerified means the source vouches for the email: a channel's buyer email that is not
	// masked, or an email staff entered. A storefront guest's contact email is never verified (an
	// unverified email resolves nothing and becomes no identity).
	EmailVerified bool
	Phone         string
	Country       string
	Name          string
}

// Key is one identity a buyer brings: its kind, its normalised value, and whether it is verified.
type Key struct {
	Kind     customeridentity.Kind
	Value    string
	Verified bool
}

// strength orders the kinds from the strongest: a channel's buyer id says who bought, a verified
// email is the buyer's own, a phone may be shared (a household, a reception desk).
var strength = map[customeridentity.Kind]int{
	customeridentity.KindCHANNEL_BUYER: 3,
	customeridentity.KindEMAIL:         2,
	customeridentity.KindPHONE:         1,
}

// maxBuyerID bounds a channel's buyer id (the identity's value is "<channel id>:<buyer id>").
const maxBuyerID = 200

// Keys is the identities b brings, strongest first: the channel's buyer id, a verified email, a
// phone in E.164. Masked contacts, unverified emails and numbers that are no phone bring none. It
// is pure.
func Keys(b Buyer) []Key {
	var keys []Key
	if id := strings.TrimSpace(b.BuyerID); b.ChannelID != nil && id != "" && len(id) <= maxBuyerID {
		keys = append(keys, Key{customeridentity.KindCHANNEL_BUYER, string(*b.ChannelID) + ":" + id, true})
	}
	if email, masked := Email(b.Email); email != "" && !masked && b.EmailVerified {
		keys = append(keys, Key{customeridentity.KindEMAIL, email, true})
	}
	if phone, masked := Phone(b.Phone, b.Country); phone != "" && !masked {
		keys = append(keys, Key{customeridentity.KindPHONE, phone, false})
	}
	return keys
}

// Match is an identity found for a buyer: its kind and the customer it leads to (after merges).
type Match struct {
	Kind     customeridentity.Kind
	Customer pulid.ID
}

// Choose decides whose order it is among the customers the buyer's identities found: the customer
// of the strongest identity (buyer id, then verified email, then phone). others are the different
// customers weaker identities pointed to, which are possible duplicates for an agent, never merged
// here. With no match, ok is false: the buyer is new. It is pure.
func Choose(found []Match) (chosen pulid.ID, others []pulid.ID, ok bool) {
	best := -1
	for _, m := range found {
		if s := strength[m.Kind]; s > best {
			best, chosen, ok = s, m.Customer, true
		}
	}
	for _, m := range found {
		if m.Customer != chosen && !slices.Contains(others, m.Customer) {
			others = append(others, m.Customer)
		}
	}
	return chosen, others, ok
}
