// Package ordo_test checks the layering that ARCHITECTURE.md describes, so that the map stays true:
// a rule broken here is a dependency that crept in, caught before it spreads.
package ordo_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/ordo-oms/ordo/"

// layerRules: the packages (by path prefix under the module) and the Ordo packages they must never
// depend on, directly or not.
var layerRules = []struct {
	pkgs      []string
	forbidden []string
	why       string
}{
	{[]string{"instance"}, []string{"demo", "channels/marketsim"}, "the production composition root carries no demo code"},
	{[]string{"notifications/message"}, []string{"ent", "database", "events", "orders", "graph", "server"}, "rendering a message is pure: it reads nothing"},
	{[]string{"routing", "promise", "packing", "calendar", "shipping", "documents", "money", "paging", "quality"}, []string{"ent", "database", "events", "inventory", "orders", "dispatch", "graph", "server"}, "decisions are pure: no store, no I/O"},
	{[]string{"channels"}, []string{"ent", "database", "events", "orders", "inventory", "catalog", "graph", "server", "connections", "ingestion", "outbound"}, "connectors speak their channel's API and know nothing of the store"},
	{[]string{"customers"}, []string{"orders", "inventory", "dispatch", "catalog", "ingestion", "fulfilment", "returns", "notifications", "holds", "jobs"}, "customers sits below orders: it knows buyers' identities, not what they bought"},
	{[]string{"customers", "inventory", "orders", "holds", "dispatch", "catalog", "events", "auth", "ingestion", "outbound", "connections", "jobs", "fulfilment", "carriers", "returns", "notifications", "webhooks", "staff", "pulse", "metrics", "listings", "imports"}, []string{"graph", "server", "instance", "demo"}, "the domain does not know how it is served"},
	{[]string{"tracing"}, []string{"ent", "database", "events", "jobs", "graph", "server", "instance"}, "tracing is plumbing every layer may use: it depends on none"},
}

type listed struct {
	ImportPath string
	Deps       []string
}

func TestLayers(t *testing.T) {
	cmd := exec.Command("go", "list", "-json=ImportPath,Deps", "./...")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pkgs []listed
	dec := json.NewDecoder(out)
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("go list: %v", err)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages; expected Ordo's tree", len(pkgs))
	}
	under := func(path, prefix string) bool {
		rel, ok := strings.CutPrefix(path, module)
		return ok && (rel == prefix || strings.HasPrefix(rel, prefix+"/"))
	}
	checked := 0
	for _, rule := range layerRules {
		for _, p := range pkgs {
			inRule := false
			for _, prefix := range rule.pkgs {
				inRule = inRule || under(p.ImportPath, prefix)
			}
			if !inRule {
				continue
			}
			checked++
			for _, dep := range p.Deps {
				if under(dep, "ent/schema/pulid") {
					continue // prefixed IDs are plain values, shared by every layer
				}
				for _, bad := range rule.forbidden {
					if under(dep, bad) && !under(p.ImportPath, bad) {
						t.Errorf("%s depends on %s: %s", strings.TrimPrefix(p.ImportPath, module), strings.TrimPrefix(dep, module), rule.why)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no package matched any rule")
	}
}
