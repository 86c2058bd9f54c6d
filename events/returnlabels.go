package events

// KindReturnArrived is raised when a return's parcel reaches the location it was sent back to (its
// return shipment was delivered there): staff receive it next.
const KindReturnArrived = "return.arrived"

// ReturnArrived records a return's parcel delivered back to its location.
type ReturnArrived struct {
	ReturnID   string `json:"returnID"`
	ShipmentID string `json:"shipmentID"`
	Number     string `json:"number"`
	LocationID string `json:"locationID"`
}

// Kind implements Payload.
func (ReturnArrived) Kind() string { return KindReturnArrived }
