// Package staff is the console's people: staff users (argon2id password hashes, roles as API keys
// have them), their server-side sessions (a random cookie secret stored as its SHA-256 hash, a CSRF
// token per session, absolute and idle lifetimes) and the sign-in rate limit, counted in the store
// so that every replica enforces the same one. Sign-ins, sign-outs and changes to users are
// recorded in the event log.
package staff

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/staffsession"
	"github.com/ordo-oms/ordo/ent/staffuser"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// The defaults of Service.
const (
	DefaultLifetime = 12 * time.Hour
	DefaultIdle     = 2 * time.Hour
	// MinPasswordLength is the shortest password a user may be given.
	MinPasswordLength = 12
)

// Service manages staff users and their sessions.
type Service struct {
	DB *database.DB
	// Lifetime is a session's absolute lifetime, Idle how long it lasts unused; zero means the
	// defaults.
	Lifetime, Idle time.Duration
	// Params are the argon2id costs of new hashes; zero means DefaultParams.
	Params Params
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Committed is called after a change that recorded events commits (to wake the event hub).
	Committed func()

	dummyOnce sync.Once
	dummy     string
	pruneMu   sync.Mutex
	pruned    time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) lifetime() time.Duration {
	if s.Lifetime > 0 {
		return s.Lifetime
	}
	return DefaultLifetime
}

func (s *Service) idle() time.Duration {
	if s.Idle > 0 {
		return s.Idle
	}
	return DefaultIdle
}

func (s *Service) params() Params {
	if s.Params == (Params{}) {
		return DefaultParams
	}
	return s.Params
}

func (s *Service) committed() {
	if s.Committed != nil {
		s.Committed()
	}
}

// normalEmail trims and lower-cases an email, and refuses one that does not look like one.
func normalEmail(email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || strings.ContainsAny(e, " <>") {
		return "", fault.New(fault.InvalidArgument, "email: %q is not an email address", email)
	}
	return e, nil
}

func checkRole(role string) (staffuser.Role, error) {
	r := staffuser.Role(strings.ToUpper(strings.TrimSpace(role)))
	if err := staffuser.RoleValidator(r); err != nil {
		return "", fault.New(fault.InvalidArgument, "role: %q is not one of ADMIN, OPERATOR, SUPPORT", role)
	}
	return r, nil
}

func checkPasswordPolicy(password string) error {
	if len([]rune(password)) < MinPasswordLength {
		return fault.New(fault.InvalidArgument, "password: at least %d characters", MinPasswordLength)
	}
	return nil
}

// Create adds a staff user. The email is the sign-in name (trimmed, lower-cased, unique); role is
// ADMIN, OPERATOR or SUPPORT; the password has at least MinPasswordLength characters.
func (s *Service) Create(ctx context.Context, email, name, role, password string) (*ent.StaffUser, error) {
	e, err := normalEmail(email)
	if err != nil {
		return nil, err
	}
	r, err := checkRole(role)
	if err != nil {
		return nil, err
	}
	if err := checkPasswordPolicy(password); err != nil {
		return nil, err
	}
	hash, err := hashPassword(password, s.params())
	if err != nil {
		return nil, err
	}
	var u *ent.StaffUser
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		if n, err := tx.StaffUser.Query().Where(staffuser.Email(e)).Count(ctx); err != nil {
			return err
		} else if n > 0 {
			return fault.New(fault.Conflict, "a staff user with email %s exists", e)
		}
		u, err = tx.StaffUser.Create().SetEmail(e).SetName(strings.TrimSpace(name)).SetRole(r).SetPasswordHash(hash).Save(ctx)
		if ent.IsConstraintError(err) {
			return fault.New(fault.Conflict, "a staff user with email %s exists", e)
		}
		if err != nil {
			return fmt.Errorf("create staff user: %w", err)
		}
		return events.Append(ctx, tx, events.Event{Actor: auth.Actor(ctx),
			Payload: events.StaffUserCreated{StaffID: string(u.ID), Email: e, Role: string(r)}})
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	return u, nil
}

// List returns every staff user, by email.
func (s *Service) List(ctx context.Context) ([]*ent.StaffUser, error) {
	return s.DB.Client.StaffUser.Query().Order(ent.Asc(staffuser.FieldEmail)).All(ctx)
}

// Get returns one staff user.
func (s *Service) Get(ctx context.Context, id pulid.ID) (*ent.StaffUser, error) {
	if err := id.Validate("stf"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "id: %v", err)
	}
	u, err := s.DB.Client.StaffUser.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "staff user %s not found", id)
	}
	return u, err
}

// ByEmail returns the staff user signing in as email.
func (s *Service) ByEmail(ctx context.Context, email string) (*ent.StaffUser, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	u, err := s.DB.Client.StaffUser.Query().Where(staffuser.Email(e)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "no staff user with email %s", e)
	}
	return u, err
}

// Emails returns the emails of the staff users among ids, by id (unknown ids are left out).
func (s *Service) Emails(ctx context.Context, ids []pulid.ID) (map[pulid.ID]string, error) {
	out := map[pulid.ID]string{}
	if len(ids) == 0 {
		return out, nil
	}
	us, err := s.DB.Client.StaffUser.Query().Where(staffuser.IDIn(ids...)).Select(staffuser.FieldID, staffuser.FieldEmail).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		out[u.ID] = u.Email
	}
	return out, nil
}

// SetDisabled disables a user (they cannot sign in, and their sessions end at once) or enables
// them again. Setting the state a user is in changes nothing.
func (s *Service) SetDisabled(ctx context.Context, id pulid.ID, disabled bool) (*ent.StaffUser, error) {
	if err := id.Validate("stf"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "id: %v", err)
	}
	now := s.now()
	var u *ent.StaffUser
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		var err error
		u, err = tx.StaffUser.Get(ctx, id)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "staff user %s not found", id)
		}
		if err != nil {
			return err
		}
		if (u.DisabledAt != nil) == disabled {
			return nil
		}
		up := tx.StaffUser.UpdateOne(u)
		if disabled {
			up.SetDisabledAt(now)
			if _, err := tx.StaffSession.Update().Where(staffsession.StaffID(id), staffsession.RevokedAtIsNil()).
				SetRevokedAt(now).Save(ctx); err != nil {
				return fmt.Errorf("revoke sessions: %w", err)
			}
		} else {
			up.ClearDisabledAt()
		}
		if u, err = up.Save(ctx); err != nil {
			return fmt.Errorf("disable staff user: %w", err)
		}
		return events.Append(ctx, tx, events.Event{Actor: auth.Actor(ctx),
			Payload: events.StaffUserDisabled{StaffID: string(id), Email: u.Email, Disabled: disabled}})
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	return u, nil
}

// SetPassword gives a user a new password; their other sessions stay.
func (s *Service) SetPassword(ctx context.Context, id pulid.ID, password string) error {
	if err := id.Validate("stf"); err != nil {
		return fault.New(fault.InvalidArgument, "id: %v", err)
	}
	if err := checkPasswordPolicy(password); err != nil {
		return err
	}
	hash, err := hashPassword(password, s.params())
	if err != nil {
		return err
	}
	err = s.DB.Client.StaffUser.UpdateOneID(id).SetPasswordHash(hash).Exec(ctx)
	if ent.IsNotFound(err) {
		return fault.New(fault.NotFound, "staff user %s not found", id)
	}
	return err
}

// Count returns how many staff users there are.
func (s *Service) Count(ctx context.Context) (int, error) {
	return s.DB.Client.StaffUser.Query().Count(ctx)
}
