package listings

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/quality"
)

// Reason says why a listing was mapped to a variant, or why it waits for review. The values are
// ListingCandidate's reasons.
type Reason string

// The reasons of a match: the five automatic rules, an operator's decision, and the two ways a
// listing ends up in review.
const (
	ExactSKU      Reason = "EXACT_SKU"
	NormalisedSKU Reason = "NORMALISED_SKU"
	Barcode       Reason = "BARCODE"
	Options       Reason = "OPTIONS"
	Bundle        Reason = "BUNDLE"
	Manual        Reason = "MANUAL"
	NoMatch       Reason = "NONE"
	Ambiguous     Reason = "AMBIGUOUS"
)

// The reasons of a suggestion that is only a likeness, not a match.
const (
	SuggestSKUPrefix     = "SKU_PREFIX"
	SuggestSKUEdit       = "SKU_EDIT"
	SuggestBarcodePrefix = "BARCODE_PREFIX"
	SuggestTitle         = "TITLE"
	// SuggestListedTwice: the SKU matched, but the channel lists it under another listing too.
	SuggestListedTwice = "LISTED_TWICE"
)

// MaxSuggestions bounds the suggestions kept for a listing in review.
const MaxSuggestions = 5

// Item is what the matcher knows of a channel's listing.
type Item struct {
	SellerSKU string
	Barcode   string
	Title     string
	Options   map[string]string
	// Components are a bundle listing's parts as "SKU*2" (or "SKU" for one).
	Components []string
}

// Variant is what the matcher knows of an Ordo variant.
type Variant struct {
	ID          pulid.ID
	SKU         string
	Name        string
	Barcode     string
	ProductID   pulid.ID
	ProductName string
	Options     map[string]string
	// Components are a bundle's parts: component SKU → quantity; empty for other variants.
	Components map[string]int
}

// Suggestion is a variant a listing in review may be, and why.
type Suggestion struct {
	VariantID pulid.ID
	SKU       string
	Reason    string
	Score     float64
}

// Match is the matcher's decision: a variant and the rule that found it, or (VariantID empty) the
// reason it waits for review and its suggestions, best first.
type Match struct {
	VariantID   pulid.ID
	Reason      Reason
	Suggestions []Suggestion
}

// Mapped says whether the match found a variant.
func (m Match) Mapped() bool { return m.VariantID != "" }

// Index is Ordo's variants arranged for matching; build it once per import with NewIndex, then
// match every listing against it. It is read-only once built, so matches may run concurrently.
type Index struct {
	vs       []Variant
	norm     []string // each variant's normalised SKU
	nwords   []int    // how many distinct words each variant's product and name hold
	byID     map[pulid.ID]int
	bySKU    map[string]int
	byNorm   map[string][]int
	byGTIN   map[string][]int
	byProd   map[string][]int // normalised product name → its variants
	byBundle map[string][]int // components key → bundle variants
	byToken  map[string][]int // title word → variants whose names hold it
}

// NewIndex indexes the variants vs.
func NewIndex(vs []Variant) *Index {
	ix := &Index{vs: vs, norm: make([]string, len(vs)), nwords: make([]int, len(vs)), byID: map[pulid.ID]int{}, bySKU: map[string]int{}, byNorm: map[string][]int{}, byGTIN: map[string][]int{},
		byProd: map[string][]int{}, byBundle: map[string][]int{}, byToken: map[string][]int{}}
	for i, v := range vs {
		ix.byID[v.ID] = i
		ix.bySKU[v.SKU] = i
		if n := NormaliseSKU(v.SKU); n != "" {
			ix.norm[i] = n
			ix.byNorm[n] = append(ix.byNorm[n], i)
		}
		if g := quality.GTIN(v.Barcode); g != "" {
			ix.byGTIN[g] = append(ix.byGTIN[g], i)
		}
		if p := normaliseText(v.ProductName); p != "" {
			ix.byProd[p] = append(ix.byProd[p], i)
		}
		if len(v.Components) > 0 {
			k := bundleKey(v.Components)
			ix.byBundle[k] = append(ix.byBundle[k], i)
		}
		for _, w := range unique(words(v.ProductName + " " + v.Name)) {
			ix.byToken[w] = append(ix.byToken[w], i)
			ix.nwords[i]++
		}
	}
	return ix
}

// Len is the number of variants indexed.
func (ix *Index) Len() int { return len(ix.vs) }

// Has says whether the variant with the id is indexed (it still exists).
func (ix *Index) Has(id pulid.ID) bool {
	_, ok := ix.byID[id]
	return ok
}

// Match decides which variant the listing is, trying the rules in order of trust: the exact seller
// SKU, the normalised SKU, the barcode, the product's title with the variant's options, the bundle
// components. A rule that finds several variants makes the listing AMBIGUOUS unless a later, stronger
// identifier (the barcode) settles it; a listing nothing maps waits for review with suggestions.
func (ix *Index) Match(it Item) Match {
	sku := strings.TrimSpace(it.SellerSKU)
	if i, ok := ix.bySKU[sku]; ok && sku != "" {
		return ix.mapped(i, ExactSKU)
	}
	var tied []int
	tiedReason := ""
	if n := NormaliseSKU(sku); n != "" {
		switch c := ix.byNorm[n]; len(c) {
		case 0:
		case 1:
			return ix.mapped(c[0], NormalisedSKU)
		default:
			tied, tiedReason = c, string(NormalisedSKU)
		}
	}
	if g := quality.GTIN(it.Barcode); g != "" {
		switch c := ix.byGTIN[g]; len(c) {
		case 0:
		case 1:
			return ix.mapped(c[0], Barcode)
		default:
			if tied == nil {
				tied, tiedReason = c, string(Barcode)
			}
		}
	}
	if tied != nil {
		return Match{Reason: Ambiguous, Suggestions: ix.suggest(it, tied, tiedReason)}
	}
	if i, ok := ix.byOptions(it); ok {
		return ix.mapped(i, Options)
	}
	if len(it.Components) > 0 {
		if parts, ok := parseComponents(it.Components); ok {
			switch c := ix.byBundle[bundleKey(parts)]; len(c) {
			case 0:
			case 1:
				return ix.mapped(c[0], Bundle)
			default:
				return Match{Reason: Ambiguous, Suggestions: ix.suggest(it, c, string(Bundle))}
			}
		}
	}
	return Match{Reason: NoMatch, Suggestions: ix.suggest(it, nil, "")}
}

func (ix *Index) mapped(i int, r Reason) Match { return Match{VariantID: ix.vs[i].ID, Reason: r} }

// byOptions finds the variant whose product the listing's title names (exactly one product) and
// whose options the listing's options pick (exactly one variant).
//
// A listing without options or seller SKU maps only to a product of one variant whose name is its
// whole title.
func (ix *Index) byOptions(it Item) (int, bool) {
	title := normaliseText(it.Title)
	if title == "" {
		return 0, false
	}
	if len(it.Options) == 0 {
		if strings.TrimSpace(it.SellerSKU) != "" {
			return 0, false // a SKU Ordo does not know under a known title: another article (a retired one)
		}
		if vs := ix.byProd[title]; len(vs) == 1 && len(ix.vs[vs[0]].Components) == 0 {
			return vs[0], true
		}
		return 0, false
	}
	var product []int
	products := 0
	for name, vs := range ix.byProd {
		if title == name || strings.HasPrefix(title, name+" ") || strings.Contains(" "+title+" ", " "+name+" ") {
			if products++; products > 1 {
				return 0, false
			}
			product = vs
		}
	}
	opts := normaliseOptions(it.Options)
	found, n := 0, 0
	for _, i := range product {
		vo := normaliseOptions(ix.vs[i].Options)
		if len(vo) > 0 && subset(vo, opts) {
			found, n = i, n+1
		}
	}
	return found, n == 1
}

// suggest ranks up to MaxSuggestions variants the listing may be: the tied ones first (with the
// rule that tied them), then by likeness of SKU, barcode and title.
func (ix *Index) suggest(it Item, tied []int, tiedReason string) []Suggestion {
	best := map[int]Suggestion{}
	add := func(i int, reason string, score float64) {
		if s, ok := best[i]; !ok || score > s.Score {
			best[i] = Suggestion{VariantID: ix.vs[i].ID, SKU: ix.vs[i].SKU, Reason: reason, Score: score}
		}
	}
	for _, i := range tied {
		add(i, tiedReason, 0.9)
	}
	if n := NormaliseSKU(it.SellerSKU); len(n) >= 3 {
		for i, vn := range ix.norm {
			if len(vn) < 3 {
				continue
			}
			if d := abs(len(vn) - len(n)); d <= 2 {
				if e := editDistance(n, vn, 2); e <= 2 {
					add(i, SuggestSKUEdit, 0.8-0.1*float64(e))
				}
			}
			if strings.HasPrefix(n, vn) || strings.HasPrefix(vn, n) {
				add(i, SuggestSKUPrefix, 0.6)
			}
		}
	}
	if g := quality.GTIN(it.Barcode); g != "" {
		for k, vs := range ix.byGTIN {
			if k[:12] == g[:12] {
				for _, i := range vs {
					add(i, SuggestBarcodePrefix, 0.5)
				}
			}
		}
	}
	if tw := words(it.Title); len(tw) > 0 {
		shared := map[int]int{}
		for _, w := range unique(tw) {
			for _, i := range ix.byToken[w] {
				shared[i]++
			}
		}
		itemWords := len(unique(tw))
		for i, n := range shared {
			j := float64(n) / float64(itemWords+ix.nwords[i]-n)
			if j >= 0.5 {
				add(i, SuggestTitle, 0.6*j)
			}
		}
	}
	out := make([]Suggestion, 0, len(best))
	for _, s := range best {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Suggestion) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return strings.Compare(a.SKU, b.SKU)
	})
	if len(out) > MaxSuggestions {
		out = out[:MaxSuggestions]
	}
	return out
}

// NormaliseSKU is a SKU compared loosely: lower case, without spaces or the separators - _ . /
func NormaliseSKU(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsSpace(r), r == '-', r == '_', r == '.', r == '/':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// parseComponents reads "SKU*2" parts into normalised SKU → quantity.
func parseComponents(parts []string) (map[string]int, bool) {
	out := map[string]int{}
	for _, p := range parts {
		sku, q, found := strings.Cut(strings.TrimSpace(p), "*")
		n := 1
		if found {
			v, err := strconv.Atoi(strings.TrimSpace(q))
			if err != nil || v <= 0 {
				return nil, false
			}
			n = v
		}
		k := NormaliseSKU(sku)
		if k == "" {
			return nil, false
		}
		out[k] += n
	}
	return out, len(out) > 0
}

// bundleKey is a bundle's components as one comparable string, SKUs normalised.
func bundleKey(parts map[string]int) string {
	keys := make([]string, 0, len(parts))
	norm := map[string]int{}
	for k, q := range parts {
		n := NormaliseSKU(k)
		if _, ok := norm[n]; !ok {
			keys = append(keys, n)
		}
		norm[n] += q
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "*" + strconv.Itoa(norm[k]) + ";")
	}
	return b.String()
}

func normaliseText(s string) string { return strings.Join(words(s), " ") }

// words are the lower-cased letters-and-digits runs of s.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func unique(ws []string) []string {
	out := slices.Clone(ws)
	slices.Sort(out)
	return slices.Compact(out)
}

func normaliseOptions(o map[string]string) map[string]string {
	out := make(map[string]string, len(o))
	for k, v := range o {
		out[normaliseText(k)] = normaliseText(v)
	}
	return out
}

// subset says whether every option of a is in b with the same value.
func subset(a, b map[string]string) bool {
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the Levenshtein distance of a and b, or limit+1 once it must exceed limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
