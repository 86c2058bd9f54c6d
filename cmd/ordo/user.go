package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/instance"
)

const userUsage = "usage: ordo user create --email E --role ROLE [--name N], ordo user set-password --email E (the password from ORDO_USER_PASSWORD or one line of stdin), ordo user list, or ordo user disable --email E"

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
	case "create", "set-password", "disable", "list":
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
		password, err := readPassword(in)
		if err != nil {
			return fmt.Errorf("user create: %w", err)
		}
		u, err := inst.Staff.Create(ctx, *email, *name, *role, password)
		if err != nil {
			return fmt.Errorf("user create: %w", err)
		}
		fmt.Fprintf(out, "created %s %s (%s)\n", u.ID, u.Email, u.Role)
	case "set-password":
		u, err := inst.Staff.ByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("user set-password: %w", err)
		}
		password, err := readPassword(in)
		if err != nil {
			return fmt.Errorf("user set-password: %w", err)
		}
		if err := inst.Staff.SetPassword(ctx, u.ID, password); err != nil {
			return fmt.Errorf("user set-password: %w", err)
		}
		fmt.Fprintf(out, "set the password of %s %s\n", u.ID, u.Email)
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

// readPassword returns ORDO_USER_PASSWORD, else one line of in.
func readPassword(in io.Reader) (string, error) {
	if p := os.Getenv("ORDO_USER_PASSWORD"); p != "" {
		return p, nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// seedAdmin makes the console's development admin on a store with no staff user and prints how to
// sign in (the password is derived from the secret key, so serve --dev prints the same one).
func seedAdmin(ctx context.Context, inst *instance.Instance, out io.Writer) error {
	n, err := inst.Staff.Count(ctx)
	if err != nil || n > 0 {
		return err
	}
	email, password, ok, err := inst.Staff.DevelopmentAdmin(auth.NewContext(ctx, auth.System), inst.SecretKey)
	if err != nil || !ok {
		return err
	}
	fmt.Fprintf(out, "Console admin: sign in at /console/ as %s with password %s\n", email, password)
	return nil
}
