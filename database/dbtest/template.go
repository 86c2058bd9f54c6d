package dbtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/ordo-oms/ordo/ent/migrate/migrations"
)

// templateKey names the migrated schema a template holds: the dialect's migrations (their atlas.sum)
// and River's version, whose migrations run too.
func templateKey(dialect string) (string, error) {
	dir, err := migrations.Dir(dialect)
	if err != nil {
		return "", err
	}
	sum, err := dir.Checksum()
	if err != nil {
		return "", err
	}
	b, err := sum.MarshalText()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write(b)
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if strings.HasPrefix(d.Path, "github.com/riverqueue/river") {
				fmt.Fprintf(h, "\n%s %s", d.Path, d.Version)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

var sqliteTemplate struct {
	once sync.Once
	path string
	err  error
}

// copySQLiteTemplate writes a migrated store to path: a copy of the template file, made once per
// migration version (in the temporary directory, shared by test processes).
func copySQLiteTemplate(path string) error {
	sqliteTemplate.once.Do(func() {
		sqliteTemplate.path, sqliteTemplate.err = makeSQLiteTemplate()
	})
	if sqliteTemplate.err != nil {
		return sqliteTemplate.err
	}
	return copyFile(sqliteTemplate.path, path)
}

func makeSQLiteTemplate() (string, error) {
	key, err := templateKey("sqlite")
	if err != nil {
		return "", err
	}
	dir := filepath.Join(os.TempDir(), "ordo-dbtest")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "template-"+key+".db")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	// Build it aside and rename it into place, so that a concurrent test process never sees half
	// of it (closing the store checkpoints its WAL into the file).
	building := filepath.Join(dir, "building-"+randomHex(6))
	if err := os.MkdirAll(building, 0o755); err != nil {
		return "", err
	}
	defer os.RemoveAll(building)
	file := filepath.Join(building, "ordo.db")
	if err := migrate(context.Background(), "sqlite://"+file); err != nil {
		return "", err
	}
	if err := os.Rename(file, path); err != nil {
		return "", err
	}
	return path, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// templateLock is the advisory lock (on the admin database) under which test processes make the
// PostgreSQL template and copy it: CREATE DATABASE … TEMPLATE needs the template to itself.
const templateLock = 7_312_002

// createFromTemplate creates database name as a copy of the migrated template, making the template
// (ordo_template_<key>, kept on the server for the next runs) when it does not exist yet.
func createFromTemplate(ctx context.Context, adb *sql.DB, admin, name string) error {
	key, err := templateKey("postgres")
	if err != nil {
		return err
	}
	tmpl := "ordo_template_" + key
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	conn, err := adb.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", templateLock); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", templateLock) //nolint:errcheck
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", tmpl).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		building := "ordo_template_building_" + randomHex(6)
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
			return err
		}
		u, err := url.Parse(admin)
		if err != nil {
			return err
		}
		u.Path = "/" + building
		if err := migrate(ctx, u.String()); err != nil {
			_, _ = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)")
			return err
		}
		if err := retryBusy(ctx, func() error {
			_, err := conn.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+tmpl)
			return err
		}); err != nil {
			return err
		}
	}
	return retryBusy(ctx, func() error {
		_, err := conn.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+tmpl)
		return err
	})
}

// retryBusy retries fn while PostgreSQL says the template is still in use (a closed pool's
// sessions end a moment after Close returns).
func retryBusy(ctx context.Context, fn func() error) error {
	wait := 10 * time.Millisecond
	for {
		err := fn()
		if err == nil || !strings.Contains(err.Error(), "being accessed by other users") {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (%w)", err, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 500*time.Millisecond)
	}
}
