package events

// The kinds of customer notification events (package notifications). Each is appended with the
// order's id (and its customer and channel), so that the order's timeline shows what its customer
// was told; notification.failed is an alert.
const (
	KindNotificationSent    = "notification.sent"
	KindNotificationFailed  = "notification.failed"
	KindNotificationSkipped = "notification.skipped"
)

// Notification records one customer notification sent, failed for good, or skipped: Reason is a
// skipped one's skip reason, Error a failed one's last error.
type Notification struct {
	NotificationID string `json:"notificationID"`
	Notification   string `json:"kind"` // ORDER_CONFIRMED, SHIPPED, …
	Provider       string `json:"provider"`
	Recipient      string `json:"recipient,omitempty"`
	Subject        string `json:"subject,omitempty"`
	Reason         string `json:"reason,omitempty"`
	Error          string `json:"error,omitempty"`
}

// NotificationSent is the payload of a notification.sent event.
type NotificationSent Notification

// NotificationFailed is the payload of a notification.failed event (an alert).
type NotificationFailed Notification

// NotificationSkipped is the payload of a notification.skipped event.
type NotificationSkipped Notification

// Kind implements Payload.
func (NotificationSent) Kind() string { return KindNotificationSent }

// Kind implements Payload.
func (NotificationFailed) Kind() string { return KindNotificationFailed }

// Kind implements Payload.
func (NotificationSkipped) Kind() string { return KindNotificationSkipped }
