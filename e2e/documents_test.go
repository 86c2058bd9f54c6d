package e2e_test

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ordotest"
)

// The warehouse documents end to end: rendered through the API, stored, downloaded through the
// authenticated URL, then read back with poppler (text) and zbar (barcodes) as a scanner would.

// docLocation creates a warehouse with a street address, which carriers need to ship from.
const docLocation = `mutation($code: String!, $country: String!, $city: String!, $line1: String!, $lat: Float!, $lng: Float!) {
  createLocation(input: {code: $code, name: $code, kind: WAREHOUSE,
    address: {line1: $line1, city: $city, countryCode: $country, latitude: $lat, longitude: $lng}}) { id } }`

// docOrder places a paid order of one SKU shipped to $addr.
const docOrder = `mutation($sku: String!, $q: Int!, $addr: AddressInput!) {
  placeOrder(input: {lines: [{sku: $sku, quantity: $q}], paid: true, shippingAddress: $addr}) { order { id number status } } }`

// newDocFixture is a server with two warehouses with street addresses: BKK (Bangkok) and HAN
// (Hanoi), and the shipment helpers of shipFixture.
func newDocFixture(t *testing.T, url string) *shipFixture {
	srv := ordotest.Start(t, url)
	f := &shipFixture{srv: srv, admin: srv.Admin(), locs: map[string]string{}}
	for _, l := range []struct {
		code, country, city, line1 string
		lat, lng                   float64
	}{
		{"BKK", "TH", "Bangkok", "1 Rama IV Road", 13.7563, 100.5018},
		{"HAN", "VN", "Hà Nội", "5 Phố Huế", 21.0278, 105.8342},
	} {
		var out struct{ CreateLocation struct{ ID string } }
		f.admin.MustDo(t, docLocation, map[string]any{"code": l.code, "country": l.country, "city": l.city, "line1": l.line1, "lat": l.lat, "lng": l.lng}, &out)
		f.locs[l.code] = out.CreateLocation.ID
	}
	return f
}

// placeTo places a paid order of q units of sku shipped to addr and returns its id.
func (f *shipFixture) placeTo(t *testing.T, sku string, q int, addr map[string]any) string {
	var out struct {
		PlaceOrder struct {
			Order struct{ ID, Number, Status string }
		}
	}
	f.admin.MustDo(t, docOrder, map[string]any{"sku": sku, "q": q, "addr": addr}, &out)
	require.Equal(t, "ALLOCATED", out.PlaceOrder.Order.Status)
	return out.PlaceOrder.Order.ID
}

// bangkok is a ship-to address in Thailand written in Thai, with a Vietnamese recipient name.
var bangkok = map[string]any{"name": "Nguyễn Thị Minh Khai", "phone": "+66812345678", "line1": "99 ถนนสุขุมวิท แขวงคลองเตย",
	"city": "กรุงเทพมหานคร", "postalCode": "10110", "countryCode": "TH", "latitude": 13.7367, "longitude": 100.5231}

type documentResult struct {
	ID, Kind, Format, ContentType, URL string
	Size                               int
}

const documentFields = `id kind format contentType size url`

// download GETs a document's URL with key ("" sends no Authorization header).
func download(t *testing.T, srv *ordotest.Server, path, key string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

// downloadOK downloads a document the key may read and checks the headers every download carries.
func downloadOK(t *testing.T, srv *ordotest.Server, d documentResult, key string) []byte {
	t.Helper()
	resp, body := download(t, srv, d.URL, key)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	require.Equal(t, d.ContentType, resp.Header.Get("Content-Type"))
	require.Equal(t, "private, no-store", resp.Header.Get("Cache-Control"))
	require.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
	require.Regexp(t, `^attachment; filename=[A-Za-z0-9._-]+\.(pdf|zpl)$`, resp.Header.Get("Content-Disposition"))
	require.Len(t, body, d.Size)
	return body
}

// needPDFTools skips the test when poppler-utils or zbar-tools are missing, and fails it instead
// when ORDO_TEST_REQUIRE_TOOLS=1 (as the documents package's tests do).
func needPDFTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "pdftotext", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := tool + " not found: install poppler-utils and zbar-tools"
			if os.Getenv("ORDO_TEST_REQUIRE_TOOLS") == "1" {
				t.Fatal(msg + "; ORDO_TEST_REQUIRE_TOOLS=1 requires them")
			}
			t.Skip(msg)
		}
	}
}

func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("%s %v: %v %s", name, args, err, stderr)
	}
	return string(out)
}

func writeTemp(t *testing.T, body []byte) string {
	path := filepath.Join(t.TempDir(), "doc.pdf")
	require.NoError(t, os.WriteFile(path, body, 0o600))
	return path
}

// pdfText is the text poppler extracts from a PDF.
func pdfText(t *testing.T, pdf []byte) string {
	return runTool(t, "pdftotext", "-enc", "UTF-8", writeTemp(t, pdf), "-")
}

var zbarArgs = sync.OnceValue(func() []string {
	help, _ := exec.Command("zbarimg", "--help").CombinedOutput()
	if strings.Contains(string(help), "--nodbus") {
		return []string{"-q", "--nodbus"}
	}
	return []string{"-q"}
})

// barcodes rasterises a PDF at 300 dpi and decodes its symbols: sorted "TYPE:value" strings.
func barcodes(t *testing.T, pdf []byte) []string {
	dir := t.TempDir()
	runTool(t, "pdftoppm", "-r", "300", "-png", writeTemp(t, pdf), filepath.Join(dir, "page"))
	pngs, err := filepath.Glob(filepath.Join(dir, "page*.png"))
	require.NoError(t, err)
	require.NotEmpty(t, pngs, "pdftoppm wrote no pages")
	var all []string
	for _, png := range pngs {
		out, err := exec.Command("zbarimg", append(zbarArgs(), png)...).Output()
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 4 {
			continue // no symbol on this page
		}
		require.NoError(t, err, "zbarimg %s", png)
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if l != "" {
				all = append(all, l)
			}
		}
	}
	sort.Strings(all)
	return all
}

func TestPackingSlipThroughTheAPI(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newDocFixture(t, url)
		f.stock(t, "TEA-TH", map[string]int{"BKK": 5})
		orderID := f.placeTo(t, "TEA-TH", 2, bangkok)
		shipments := f.plan(t, orderID)
		require.Len(t, shipments, 1)
		sh := shipments[0]

		var out struct {
			PrintPackingSlip struct{ Document documentResult }
		}
		f.admin.MustDo(t, `mutation($id: ID!) { printPackingSlip(input: {shipmentID: $id}) { document { `+documentFields+` } } }`,
			map[string]any{"id": sh.ID}, &out)
		slip := out.PrintPackingSlip.Document
		require.Equal(t, "PACKING_SLIP", slip.Kind)
		require.Equal(t, "PDF_A4", slip.Format)
		require.Equal(t, "application/pdf", slip.ContentType)
		require.Equal(t, "/documents/"+slip.ID, slip.URL)

		var listed struct {
			Node struct{ Documents []documentResult }
		}
		f.admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Shipment { documents { `+documentFields+` } } } }`, map[string]any{"id": sh.ID}, &listed)
		require.Equal(t, []documentResult{slip}, listed.Node.Documents, "the slip is listed on its shipment")

		body := downloadOK(t, f.srv, slip, f.srv.AdminKey)
		require.True(t, strings.HasPrefix(string(body), "%PDF-"))
		needPDFTools(t)
		text := pdfText(t, body)
		for _, want := range []string{"Nguyễn Thị Minh Khai", "99 ถนนสุขุมวิท แขวงคลองเตย", "กรุงเทพมหานคร", "TEA-TH", sh.Number} {
			require.Contains(t, text, want)
		}
		require.Equal(t, []string{"CODE-128:" + sh.Number}, barcodes(t, body), "the slip's barcode is the shipment number")
		f.srv.Audit(t)
	})
}

func TestPickListThroughTheAPI(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newDocFixture(t, url)
		f.stock(t, "MUG-VN", map[string]int{"HAN": 10})
		hanoi := map[string]any{"name": "Trần Văn Bình", "line1": "12 Đường Láng", "city": "Hà Nội", "countryCode": "VN", "latitude": 21.01, "longitude": 105.81}
		var numbers []string
		for _, q := range []int{2, 3} {
			shipments := f.plan(t, f.placeTo(t, "MUG-VN", q, hanoi))
			require.Len(t, shipments, 1)
			require.Equal(t, "HAN", shipments[0].Location.Code)
			numbers = append(numbers, shipments[0].Number)
		}
		sort.Strings(numbers)

		pick := `mutation($loc: ID!) { printPickList(input: {locationID: $loc}) { document { ` + documentFields + ` } } }`
		resp, err := f.admin.Do(t.Context(), pick, map[string]any{"loc": f.locs["BKK"]})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", resp.Code(), "BKK has no open shipments")

		var out struct {
			PrintPickList struct{ Document documentResult }
		}
		f.admin.MustDo(t, pick, map[string]any{"loc": f.locs["HAN"]}, &out)
		list := out.PrintPickList.Document
		require.Equal(t, "PICK_LIST", list.Kind)

		// A partner key downloads the pick lists of its own locations only.
		got, body := download(t, f.srv, list.URL, partnerKey(t, f.srv, f.locs["BKK"]))
		require.Equal(t, http.StatusNotFound, got.StatusCode, string(body))
		body = downloadOK(t, f.srv, list, f.srv.AdminKey)
		require.Equal(t, body, downloadOK(t, f.srv, list, partnerKey(t, f.srv, f.locs["HAN"])), "HAN's partner downloads it")
		needPDFTools(t)
		text := pdfText(t, body)
		require.Contains(t, text, "2 shipments · 1 SKUs · 5 units", "one line for the SKU:\n%s", text)
		require.Regexp(t, `(?s)MUG-VN.*\n5 SO-`, text, "the line carries the total of both shipments")
		var want []string
		for _, n := range numbers {
			want = append(want, "CODE-128:"+n)
		}
		require.Equal(t, want, barcodes(t, body), "both shipments' barcodes decode")
		f.srv.Audit(t)
	})
}

func TestRateCardsThroughTheAPI(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		admin := srv.Admin()
		const set = `mutation($in: SetRateCardInput!) { setRateCard(input: $in) { rateCard { id carrier service currency dimDivisor active bands { zone maxGrams amount } } } }`
		const list = `{ rateCards { id carrier service currency dimDivisor active bands { zone maxGrams amount } } }`
		type card struct {
			ID, Carrier, Service, Currency string
			DimDivisor                     int
			Active                         bool
			Bands                          []struct {
				Zone     string
				MaxGrams int
				Amount   int64
			}
		}
		read := func() []card {
			var out struct{ RateCards []card }
			admin.MustDo(t, list, nil, &out)
			return out.RateCards
		}
		bands := []map[string]any{{"zone": "SAME_CITY", "maxGrams": 1000, "amount": 3500}, {"zone": "SAME_CITY", "maxGrams": 5000, "amount": 6000}, {"zone": "SAME_REGION", "maxGrams": 1000, "amount": 4500}}
		var out struct{ SetRateCard struct{ RateCard card } }
		admin.MustDo(t, set, map[string]any{"in": map[string]any{"carrier": "NINJAVAN", "service": "Standard", "currency": "THB", "bands": bands}}, &out)
		first := out.SetRateCard.RateCard
		require.Equal(t, 5000, first.DimDivisor, "the default divisor")
		require.True(t, first.Active)
		require.Len(t, first.Bands, 3)
		require.Equal(t, []card{first}, read())

		// Setting it again replaces it in place.
		admin.MustDo(t, set, map[string]any{"in": map[string]any{"carrier": "NINJAVAN", "service": "Standard", "currency": "THB", "dimDivisor": 6000,
			"active": false, "bands": bands[:1]}}, &out)
		second := out.SetRateCard.RateCard
		require.Equal(t, first.ID, second.ID)
		require.Equal(t, 6000, second.DimDivisor)
		require.False(t, second.Active)
		require.Len(t, second.Bands, 1)

		for name, in := range map[string]map[string]any{
			"unsorted bands":  {"carrier": "NINJAVAN", "service": "Standard", "currency": "THB", "bands": []map[string]any{bands[1], bands[0]}},
			"zero grams":      {"carrier": "NINJAVAN", "service": "Standard", "currency": "THB", "bands": []map[string]any{{"zone": "SAME_CITY", "maxGrams": 0, "amount": 1}}},
			"negative amount": {"carrier": "JNT", "service": "EZ", "currency": "THB", "bands": []map[string]any{{"zone": "SAME_CITY", "maxGrams": 10, "amount": -1}}},
			"bad currency":    {"carrier": "JNT", "service": "EZ", "currency": "baht", "bands": bands},
			"no bands":        {"carrier": "JNT", "service": "EZ", "currency": "THB", "bands": []map[string]any{}},
		} {
			resp, err := admin.Do(t.Context(), set, map[string]any{"in": in})
			require.NoError(t, err)
			require.Equal(t, "INVALID_ARGUMENT", resp.Code(), name)
			require.Equal(t, []card{second}, read(), "%s changes nothing", name)
		}

		support := srv.Client(srv.Key(t, auth.Support, nil))
		resp, err := support.Do(t.Context(), list, nil)
		require.NoError(t, err)
		require.Equal(t, "FORBIDDEN", resp.Code(), "rate cards are the business's costs: managers only")
	})
}
