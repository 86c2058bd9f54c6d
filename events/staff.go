package events

// The kinds of staff events: sign-ins to the console and changes to its users. They concern no
// order: the event's ids are empty, and the payload names the user. The actor is the staff user
// who acted (their own id for sign-ins and sign-outs), or the admin or system that changed a user.
const (
	KindStaffSignedIn      = "staff.signed_in"
	KindStaffSignedOut     = "staff.signed_out"
	KindStaffSignInRefused = "staff.sign_in_refused"
	KindStaffUserCreated   = "staff.user_created"
	KindStaffUserDisabled  = "staff.user_disabled"
)

// StaffSignedIn records a new console session.
type StaffSignedIn struct {
	StaffID   string `json:"staffID"`
	Email     string `json:"email"`
	SessionID string `json:"sessionID"`
	IP        string `json:"ip,omitempty"`
}

// StaffSignedOut records the end of a console session by its user.
type StaffSignedOut struct {
	StaffID   string `json:"staffID"`
	Email     string `json:"email"`
	SessionID string `json:"sessionID"`
}

// StaffSignInRefused records a sign-in refused: a wrong email or password, a disabled user, or too
// many failures lately (Reason says which).
type StaffSignInRefused struct {
	Email  string `json:"email"`
	IP     string `json:"ip,omitempty"`
	Reason string `json:"reason"`
}

// StaffUserCreated records a new staff user.
type StaffUserCreated struct {
	StaffID string `json:"staffID"`
	Email   string `json:"email"`
	Role    string `json:"role"`
}

// StaffUserDisabled records a staff user disabled (their sessions end) or enabled again.
type StaffUserDisabled struct {
	StaffID  string `json:"staffID"`
	Email    string `json:"email"`
	Disabled bool   `json:"disabled"`
}

// Kind implements Payload.
func (StaffSignedIn) Kind() string { return KindStaffSignedIn }

// Kind implements Payload.
func (StaffSignedOut) Kind() string { return KindStaffSignedOut }

// Kind implements Payload.
func (StaffSignInRefused) Kind() string { return KindStaffSignInRefused }

// Kind implements Payload.
func (StaffUserCreated) Kind() string { return KindStaffUserCreated }

// Kind implements Payload.
func (StaffUserDisabled) Kind() string { return KindStaffUserDisabled }
