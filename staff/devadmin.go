package staff

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/staffuser"
)

// DevelopmentEmail is the console's development admin, made by `ordo seed` and `ordo serve --dev`
// on a store with no staff user.
const DevelopmentEmail = "admin@example.com"

// DevelopmentAdmin returns the development admin's email and password so that `ordo serve --dev`
// can print them on every start, as it prints the development API key. On a store with no staff
// user it creates the admin; the password is derived from secretKey (ORDO_SECRET_KEY, or the public
// development key), so only its hash is stored. ok is false when the store has staff users but the
// development admin is not one of them, or its password was changed: there is nothing to print.
func (s *Service) DevelopmentAdmin(ctx context.Context, secretKey []byte) (email, password string, ok bool, err error) {
	password = developmentPassword(secretKey)
	u, err := s.DB.Client.StaffUser.Query().Where(staffuser.Email(DevelopmentEmail)).Only(ctx)
	switch {
	case err == nil:
		match, err := checkPassword(u.PasswordHash, password)
		if err != nil {
			return "", "", false, fmt.Errorf("development admin: %w", err)
		}
		return DevelopmentEmail, password, match && u.DisabledAt == nil, nil
	case !ent.IsNotFound(err):
		return "", "", false, err
	}
	n, err := s.DB.Client.StaffUser.Query().Where(staffuser.DisabledAtIsNil()).Count(ctx)
	if err != nil || n > 0 {
		return "", "", false, err
	}
	if _, err := s.Create(ctx, DevelopmentEmail, "Admin", "ADMIN", password); err != nil {
		return "", "", false, fmt.Errorf("development admin: %w", err)
	}
	return DevelopmentEmail, password, true, nil
}

func developmentPassword(secretKey []byte) string {
	m := hmac.New(sha256.New, secretKey)
	m.Write([]byte("ordo development console admin\x00" + DevelopmentEmail))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:12])
}
