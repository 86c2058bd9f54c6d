package message

var english = map[string]string{
	"greeting":      "Hi {name},",
	"greeting.anon": "Hello,",

	"label.order":       "Order",
	"label.placed":      "Order date",
	"label.total":       "Total",
	"label.expected":    "Expected by",
	"label.shipment":    "Shipment",
	"label.carrier":     "Carrier",
	"label.tracking":    "Tracking number",
	"label.item":        "Item",
	"label.qty":         "Qty",
	"label.amount":      "Amount",
	"label.store":       "Store",
	"label.address":     "Address",
	"label.return":      "Return",
	"label.reason":      "Reason",
	"label.items":       "Your items",
	"label.backordered": "Items on backorder",
	"label.cancelled":   "Cancelled items",

	"action.order": "View your order",
	"action.track": "Track parcel",

	"footer.help": "Questions? Write to us at {email}.",
	"footer.why":  "You are receiving this email about your order with {brand}.",
	"unsubscribe": "Unsubscribe",

	"backorder.date":    "We expect them by {date}.",
	"backorder.unknown": "We will let you know as soon as we have a date.",
	"delayed.previous":  "We had expected it by {previous}.",
	"pickup.until":      "We will keep it for you until {date}.",
	"pickup.last":       "Please collect it by {date}.",
	"return.label":      "Your return label is attached: print it, attach it to the parcel and hand it to the carrier.",

	"subject.ORDER_CONFIRMED": "Your order #{order} is confirmed",
	"heading.ORDER_CONFIRMED": "Thank you for your order",
	"body.ORDER_CONFIRMED":    "We have received your order #{order} and will let you know as soon as it ships.",

	"subject.BACKORDERED": "Some items in your order #{order} are on backorder",
	"heading.BACKORDERED": "Some items are on backorder",
	"body.BACKORDERED":    "Some items in your order #{order} are temporarily out of stock. We will send them as soon as they are back.",

	"subject.ALLOCATED": "Good news: your order #{order} is being prepared",
	"heading.ALLOCATED": "Back in stock",
	"body.ALLOCATED":    "The items you were waiting for are back in stock. We are now preparing your order #{order}.",

	"subject.SHIPPED": "Your order #{order} has shipped",
	"heading.SHIPPED": "Your order is on its way",
	"body.SHIPPED":    "Your order #{order} has shipped. You can follow it with the tracking details below.",

	"subject.OUT_FOR_DELIVERY": "Your order #{order} is out for delivery",
	"heading.OUT_FOR_DELIVERY": "Out for delivery",
	"body.OUT_FOR_DELIVERY":    "Your order #{order} is out for delivery and should reach you today.",

	"subject.DELIVERED": "Your order #{order} has been delivered",
	"heading.DELIVERED": "Delivered",
	"body.DELIVERED":    "Your order #{order} has been delivered. We hope you enjoy it!",

	"subject.DELAYED":      "Your order #{order} is delayed",
	"heading.DELAYED":      "Your order is delayed",
	"body.DELAYED":         "We are sorry: your order #{order} is running late. It is now expected by {date}.",
	"body.DELAYED.undated": "We are sorry: your order #{order} is running late. We will let you know the new date as soon as we have it.",

	"subject.READY_FOR_PICKUP": "Your order #{order} is ready for pickup",
	"heading.READY_FOR_PICKUP": "Ready for pickup",
	"body.READY_FOR_PICKUP":    "Your order #{order} is ready for pickup at the store.",

	"subject.PICKUP_EXPIRING": "Reminder: your order #{order} is waiting for pickup",
	"heading.PICKUP_EXPIRING": "Your order is waiting for you",
	"body.PICKUP_EXPIRING":    "Your order #{order} is still waiting for you at the store.",

	"subject.RETURN_APPROVED": "Your return for order #{order} is approved",
	"heading.RETURN_APPROVED": "Return approved",
	"body.RETURN_APPROVED":    "We have approved your return for order #{order}.",

	"subject.RETURN_RECEIVED": "We have received your return for order #{order}",
	"heading.RETURN_RECEIVED": "Return received",
	"body.RETURN_RECEIVED":    "We have received the items you returned from order #{order}. We will check them and let you know about your refund.",

	"subject.REFUND_ISSUED": "Your refund for order #{order} has been issued",
	"heading.REFUND_ISSUED": "Refund issued",
	"body.REFUND_ISSUED":    "We have refunded {amount} for order #{order}. It may take a few business days to reach your account.",

	"subject.CANCELLED": "Your order #{order} has been cancelled",
	"heading.CANCELLED": "Order cancelled",
	"body.CANCELLED":    "Your order #{order} has been cancelled. If you have any questions, please contact us.",

	"subject.LINES_CANCELLED": "Some items in your order #{order} have been cancelled",
	"heading.LINES_CANCELLED": "Some items were cancelled",
	"body.LINES_CANCELLED":    "We are sorry: we had to cancel some items in your order #{order}. The rest of your order is not affected.",
}
