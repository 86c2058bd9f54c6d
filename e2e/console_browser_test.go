package e2e_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ordotest"
)

// The console in a real browser: headless Chromium driven by playwright-core
// (console/web/test/console.test.mjs) against a real Ordo with a few locations on the map, a channel,
// stock, staff users and a shipped order. The script signs in, watches the board and the inventory
// grid change live, cancels a line, runs a return, signs out, checks what a support user sees, the
// rate limit and the keyboard; it exits non-zero when any of its checks fails.

// consoleDir is the console's source folder, from e2e/.
const consoleDir = "../console/web"

// needBrowser returns node's path, or skips the test when node, Debian's chromium or
// playwright-core (console/web's devDependency, `npm ci`) is missing, and fails it instead when
// ORDO_TEST_REQUIRE_TOOLS=1.
func needBrowser(t *testing.T) string {
	t.Helper()
	missing := func(msg string) {
		if os.Getenv("ORDO_TEST_REQUIRE_TOOLS") == "1" {
			t.Fatal(msg + "; ORDO_TEST_REQUIRE_TOOLS=1 requires it")
		}
		t.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not found: install nodejs")
	}
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		missing("/usr/bin/chromium not found: apt-get install chromium")
	}
	if _, err := os.Stat(filepath.Join(consoleDir, "node_modules", "playwright-core")); err != nil {
		missing("playwright-core not found: run npm ci in console/web")
	}
	return node
}

// consoleLocation is a warehouse on the routing map.
type consoleLocation struct {
	code, country, city, line1 string
	lat, lng                   float64
}

var consoleLocations = []consoleLocation{
	{"BKK", "TH", "Bangkok", "1 Rama IV Road", 13.7563, 100.5018},
	{"CNX", "TH", "Chiang Mai", "2 Nimmanhaemin Road", 18.7883, 98.9853},
	{"HAN", "VN", "Hà Nội", "5 Phố Huế", 21.0278, 105.8342},
}

// consoleAddress is a ship-to address in Bangkok, in Latin script (the screenshots' fonts).
var consoleAddress = map[string]any{"name": "Mali Chai", "phone": "+66812345678", "line1": "99 Sukhumvit Road, Khlong Toei",
	"city": "Bangkok", "postalCode": "10110", "countryCode": "TH", "latitude": 13.7367, "longitude": 100.5231}

const (
	consoleAdminEmail   = "ada.admin@example.com"
	consoleSupportEmail = "sam.support@example.com"
	consolePassword     = "correct horse battery staple"
)

func TestConsoleInTheBrowser(t *testing.T) {
	node := needBrowser(t)
	script, err := filepath.Abs(filepath.Join(consoleDir, "test", "console.test.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	dbtest.EachURL(t, func(t *testing.T, url string) {
		// Plain HTTP on loopback, as `ordo serve --dev`: the session cookie without Secure.
		srv := ordotest.StartWith(t, url, func(c *config.Config) { c.InsecureCookies = true })
		env := consoleFixture(t, srv)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, "--test-reporter=spec", script)
		cmd.Env = append(os.Environ(), env...)
		if dir := os.Getenv("ORDO_CONSOLE_SCREENSHOTS"); dir != "" && strings.Contains(url, "postgres") {
			// The README's screenshots, once (from the PostgreSQL run).
			abs, err := filepath.Abs(dir)
			if err != nil {
				t.Fatal(err)
			}
			cmd.Env = append(cmd.Env, "ORDO_SCREENSHOTS="+abs)
		}
		start := time.Now()
		out, err := cmd.CombinedOutput()
		t.Logf("console.test.mjs (%s):\n%s", time.Since(start).Round(time.Millisecond), out)
		if err != nil {
			t.Fatalf("the browser tests failed: %v", err)
		}
	})
}

// consoleFixture writes the data the script needs and returns its environment: three warehouses
// with coordinates, a Shopify channel, two SKUs with stock, an admin and a support staff user (as
// `ordo user create` makes them), and a paid order shipped through the API, ready to come back as a
// return.
func consoleFixture(t *testing.T, srv *ordotest.Server) []string {
	admin := srv.Admin()
	locs := map[string]pulid.ID{}
	for _, l := range consoleLocations {
		var out struct{ CreateLocation struct{ ID pulid.ID } }
		admin.MustDo(t, docLocation, map[string]any{"code": l.code, "country": l.country, "city": l.city,
			"line1": l.line1, "lat": l.lat, "lng": l.lng}, &out)
		locs[l.code] = out.CreateLocation.ID
	}
	var ch struct{ CreateChannel struct{ ID string } }
	admin.MustDo(t, `mutation { createChannel(input: {kind: SHOPIFY, name: "Console shop"}) { id } }`, nil, &ch)
	srv.SKU(t, "CON-TEE", map[pulid.ID]int64{locs["BKK"]: 20, locs["CNX"]: 5})
	srv.SKU(t, "CON-MUG", map[pulid.ID]int64{locs["BKK"]: 10, locs["HAN"]: 10})
	for _, u := range []struct{ email, name, role string }{
		{consoleAdminEmail, "Ada Admin", "ADMIN"},
		{consoleSupportEmail, "Sam Support", "SUPPORT"},
	} {
		if _, err := srv.Inst.Staff.Create(auth.NewContext(context.Background(), auth.System), u.email, u.name, u.role, consolePassword); err != nil {
			t.Fatal(err)
		}
	}
	var placed struct {
		PlaceOrder struct{ Order struct{ ID, Number string } }
	}
	admin.MustDo(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id number } } }`,
		map[string]any{"in": map[string]any{"channelID": ch.CreateChannel.ID, "externalID": "CON-SHIPPED-1", "paid": true,
			"lines":           []any{map[string]any{"sku": "CON-MUG", "quantity": 2}},
			"customer":        map[string]any{"email": "mali@example.com", "name": "Mali Chai"},
			"shippingAddress": consoleAddress}}, &placed)
	shipped := placed.PlaceOrder.Order
	admin.MustDo(t, `mutation($id: ID!) { shipOrder(input: {orderID: $id, carrier: "DHL", trackingNumber: "CON-TRACK-1"}) { order { status } } }`,
		map[string]any{"id": shipped.ID}, nil)
	return []string{
		"ORDO_URL=" + srv.URL,
		"ORDO_API_KEY=" + srv.AdminKey,
		"ORDO_ADMIN_EMAIL=" + consoleAdminEmail,
		"ORDO_ADMIN_NAME=Ada Admin",
		"ORDO_ADMIN_PASSWORD=" + consolePassword,
		"ORDO_SUPPORT_EMAIL=" + consoleSupportEmail,
		"ORDO_SUPPORT_PASSWORD=" + consolePassword,
		"ORDO_CHANNEL_ID=" + ch.CreateChannel.ID,
		"ORDO_SKU=CON-TEE",
		"ORDO_RETURN_ORDER_ID=" + shipped.ID,
		"ORDO_RETURN_ORDER_NUMBER=" + shipped.Number,
		"ORDO_RETURN_SKU=CON-MUG",
		"ORDO_RETURN_LOCATION=HAN",
	}
}
