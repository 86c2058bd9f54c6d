package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/instance"
)

const userUsage = "usage: ordo user create --email E --role ROLE [--name N] (password from ORDO_USER_PASSWORD or one line of stdin), ordo user list, or ordo user disable --email E"

// user creates, lists and disables the console's staff users.
func user(ctx context.Context, cfg config.Config, args []string, in io.Reader, out io.Writer) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}
	fs := flags("user " + args[0])
	email := fs.String("email", "", "the user's email: their sign-in name")
	role := fs.String("role", "", "admin, operator or support")
	name := fs.String("name", "", "the user's name")
	switch args[0] {
	case "create", "disable", "list":
	default:
		return errors.New(userUsage)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("user %s: %w", args[0], err)
	}
	inst, err := instance.Open(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer inst.Close()
	ctx = auth.NewContext(ctx, auth.System)
	switch args[0] {
	case "create":
		password := os.Getenv("ORDO_USER_PASSWORD")
		if password == "" {
			line, err := bufio.NewReader(in).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("user create: read the password: %w", err)
			}
			password = strings.TrimRight(line, "\r\n")
		}
		u, err := inst.Staff.Create(ctx, *email, *name, *role, password)
		if err != nil {
			return fmt.Errorf("user create: %w", err)
		}
		fmt.Fprintf(out, "created %s %s (%s)\n", u.ID, u.Email, u.Role)
	case "disable":
		u, err := inst.Staff.ByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("user disable: %w", err)
		}
		if _, err := inst.Staff.SetDisabled(ctx, u.ID, true); err != nil {
			return fmt.Errorf("user disable: %w", err)
		}
		fmt.Fprintf(out, "disabled %s %s; their sessions are ended\n", u.ID, u.Email)
	case "list":
		us, err := inst.Staff.List(ctx)
		if err != nil {
			return err
		}
		for _, u := range us {
			state := "active"
			if u.DisabledAt != nil {
				state = "disabled"
			}
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\n", u.ID, u.Role, state, u.Email, u.Name)
		}
	}
	return nil
}

// seedAdmin creates admin@example.com with a random password, printed, when the store has no staff
// user, so that a fresh store's console can be signed in to.
func seedAdmin(ctx context.Context, inst *instance.Instance, out io.Writer) error {
	n, err := inst.Staff.Count(ctx)
	if err != nil || n > 0 {
		return err
	}
	raw := make([]byte, 12)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	password := base64.RawURLEncoding.EncodeToString(raw)
	u, err := inst.Staff.Create(auth.NewContext(ctx, auth.System), "admin@example.com", "Admin", "ADMIN", password)
	if err != nil {
		return fmt.Errorf("seed admin: %w", err)
	}
	fmt.Fprintf(out, "Console admin (%s): sign in at /console/ as %s with password %s\n", u.ID, u.Email, password)
	return nil
}
