package e2e_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/ordotest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// ordoBinary builds the real ordo command once per test run.
func ordoBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ordo-e2e-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "ordo")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/ordo-oms/ordo/cmd/ordo").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// process is one `ordo serve` running as its own OS process.
type process struct {
	cmd    *exec.Cmd
	url    string
	exited chan struct{} // closed when the process has exited
	err    error         // its exit status, once exited is closed
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

func ordoEnv(dbURL, addr string) []string {
	return append(os.Environ(), "ORDO_DATABASE_URL="+dbURL, "ORDO_HTTP_ADDR="+addr, "ORDO_LOG_LEVEL=warn",
		"ORDO_DB_MAX_CONNS="+strconv.Itoa(dbtest.MaxConns)) // bounded: the suite shares PostgreSQL with other clients
}

// startOrdo runs `ordo serve` on dbURL and waits until /readyz answers.
func startOrdo(t *testing.T, dbURL string) *process {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(ordoBinary(t), "serve")
	cmd.Env = ordoEnv(dbURL, addr)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	require.NoError(t, cmd.Start())
	p := &process{cmd: cmd, url: "http://" + addr, exited: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("ordo serve output:\n%s", logs.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(p.url + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.exited:
			t.Fatalf("ordo serve exited: %v\n%s", p.err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("ordo serve not ready after 30s\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond) // polling a real process: there is no condition to wait on
	}
}

// kill stops the process with SIGKILL, as a crash would.
func (p *process) kill(t *testing.T) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Kill())
	<-p.exited
}

func (p *process) client(key string) *ordotest.Client {
	return &ordotest.Client{URL: p.url + "/graphql", Key: key, HTTP: &http.Client{Timeout: 30 * time.Second}}
}

// adminKey runs `ordo apikey create` and returns the key it prints on its last line.
func adminKey(t *testing.T, dbURL string) string {
	t.Helper()
	cmd := exec.Command(ordoBinary(t), "apikey", "create", "--role", "admin", "--name", "e2e")
	cmd.Env = ordoEnv(dbURL, "127.0.0.1:0")
	out, err := cmd.Output()
	require.NoError(t, err, "%s", out)
	var last string
	for sc := bufio.NewScanner(bytes.NewReader(out)); sc.Scan(); {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			last = line
		}
	}
	require.True(t, strings.HasPrefix(last, "ordo_"), "last line %q is not a key", last)
	return last
}

// seedOverAPI creates two locations and a SKU with the given stock per location through GraphQL.
func seedOverAPI(t *testing.T, c *ordotest.Client, sku string, stock ...int) {
	t.Helper()
	var p struct{ CreateProduct struct{ ID string } }
	c.MustDo(t, `mutation($n: String!) { createProduct(input: {name: $n}) { id } }`, map[string]any{"n": sku}, &p)
	c.MustDo(t, `mutation($s: String!, $p: ID!) { createVariant(input: {sku: $s, name: $s, productID: $p, priceAmount: 1000}) { id } }`,
		map[string]any{"s": sku, "p": p.CreateProduct.ID}, nil)
	for i, q := range stock {
		var l struct{ CreateLocation struct{ ID string } }
		c.MustDo(t, `mutation($c: String!, $p: Int!) { createLocation(input: {code: $c, name: $c, kind: WAREHOUSE, priority: $p}) { id } }`,
			map[string]any{"c": fmt.Sprintf("%s-L%d", sku, i), "p": 10 * (i + 1)}, &l)
		c.MustDo(t, `mutation($s: String!, $l: ID!, $q: Int!) { receiveStock(input: {sku: $s, locationID: $l, quantity: $q}) { levels { onHand } } }`,
			map[string]any{"s": sku, "l": l.CreateLocation.ID, "q": q}, nil)
	}
}

func openStore(t *testing.T, url string) *database.DB {
	t.Helper()
	db, err := database.OpenWith(context.Background(), url, database.Options{MaxConns: dbtest.MaxConns})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestNoOversellAcrossProcesses(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		key := adminKey(t, url)
		a, b := startOrdo(t, url), startOrdo(t, url)
		seedOverAPI(t, a.client(key), "LAST-TEN", 6, 4)

		ok, short := race(t, []*ordotest.Client{a.client(key), b.client(key)}, "LAST-TEN", 64)
		require.Equal(t, 10, ok)
		require.Equal(t, 54, short)

		db := openStore(t, url)
		rep, err := inventory.Audit(context.Background(), db, nil, nil)
		require.NoError(t, err)
		require.True(t, rep.OK(), "drift: %+v", rep.Drift)
		levels, err := db.Client.InventoryLevel.Query().All(context.Background())
		require.NoError(t, err)
		var reserved int64
		for _, l := range levels {
			reserved += l.Reserved
		}
		require.EqualValues(t, 10, reserved)
	})
}

func TestKillNineLosesNoAcknowledgedOrder(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		key := adminKey(t, url)
		a := startOrdo(t, url)
		seedOverAPI(t, a.client(key), "CRASH", 100000)

		// Eight clients place orders until the server dies under them.
		var (
			mu    sync.Mutex
			acked []string
			wg    sync.WaitGroup
		)
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		enough := make(chan struct{})
		var once sync.Once
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := a.client(key)
				for ctx.Err() == nil {
					res, err := c.Do(ctx, placeOne, map[string]any{"sku": "CRASH"})
					if err != nil || res.Code() != "" {
						return // the server is gone (or dying): only acknowledged orders count
					}
					var out placed
					if res.Decode(&out) == nil && out.PlaceOrder.Order.ID != "" {
						mu.Lock()
						acked = append(acked, out.PlaceOrder.Order.ID)
						if len(acked) >= 60 {
							once.Do(func() { close(enough) })
						}
						mu.Unlock()
					}
				}
			}()
		}
		select {
		case <-enough:
		case <-time.After(60 * time.Second):
			t.Fatal("no load reached the server")
		}
		a.kill(t)
		stop()
		wg.Wait()

		db := openStore(t, url)
		ids := make([]pulid.ID, len(acked))
		for i, id := range acked {
			ids[i] = pulid.ID(id)
		}
		n, err := db.Client.Order.Query().Where(order.IDIn(ids...)).Count(context.Background())
		require.NoError(t, err)
		require.Equal(t, len(acked), n, "every acknowledged order survived kill -9")
		open, err := db.Client.Allocation.Query().Where(allocation.StatusEQ(allocation.StatusOPEN)).Count(context.Background())
		require.NoError(t, err)
		total, err := db.Client.Order.Query().Count(context.Background())
		require.NoError(t, err)
		require.Equal(t, total, open, "one open reservation per committed order, none leaked")
		rep, err := inventory.Audit(context.Background(), db, nil, nil)
		require.NoError(t, err)
		require.True(t, rep.OK(), "drift: %+v", rep.Drift)

		// A new process starts on the same store and serves it.
		b := startOrdo(t, url)
		var out placed
		b.client(key).MustDo(t, placeOne, map[string]any{"sku": "CRASH"}, &out)
		require.NotEmpty(t, out.PlaceOrder.Order.ID)
	})
}
