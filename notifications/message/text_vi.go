package message

// vietnamese calls the customer "bạn", as the region's shops do: polite and warm.
var vietnamese = map[string]string{
	"greeting":      "Xin chào {name},",
	"greeting.anon": "Xin chào bạn,",

	"label.order":       "Đơn hàng",
	"label.placed":      "Ngày đặt hàng",
	"label.total":       "Tổng cộng",
	"label.expected":    "Dự kiến giao",
	"label.shipment":    "Lô hàng",
	"label.carrier":     "Đơn vị vận chuyển",
	"label.tracking":    "Mã vận đơn",
	"label.item":        "Sản phẩm",
	"label.qty":         "Số lượng",
	"label.amount":      "Thành tiền",
	"label.store":       "Cửa hàng",
	"label.address":     "Địa chỉ",
	"label.return":      "Mã trả hàng",
	"label.reason":      "Lý do",
	"label.items":       "Sản phẩm của bạn",
	"label.backordered": "Sản phẩm đang chờ hàng",
	"label.cancelled":   "Sản phẩm đã hủy",

	"action.order": "Xem đơn hàng",
	"action.track": "Theo dõi kiện hàng",

	"footer.help": "Bạn có câu hỏi? Hãy liên hệ với chúng tôi qua {email}.",
	"footer.why":  "Bạn nhận được email này vì đơn hàng của bạn tại {brand}.",
	"unsubscribe": "Hủy đăng ký",

	"backorder.date":    "Dự kiến có hàng trước {date}.",
	"backorder.unknown": "Chúng tôi sẽ báo cho bạn ngay khi biết ngày có hàng.",
	"delayed.previous":  "Ngày dự kiến trước đây là {previous}.",
	"pickup.until":      "Chúng tôi sẽ giữ hàng cho bạn đến {date}.",
	"pickup.last":       "Vui lòng nhận hàng trước {date}.",
	"return.label":      "Nhãn trả hàng được đính kèm: vui lòng in nhãn, dán lên kiện hàng và giao cho đơn vị vận chuyển.",

	"subject.ORDER_CONFIRMED": "Đơn hàng #{order} của bạn đã được xác nhận",
	"heading.ORDER_CONFIRMED": "Cảm ơn bạn đã đặt hàng",
	"body.ORDER_CONFIRMED":    "Chúng tôi đã nhận được đơn hàng #{order} của bạn và sẽ thông báo ngay khi đơn hàng được gửi đi.",

	"subject.BACKORDERED": "Một số sản phẩm trong đơn hàng #{order} đang tạm hết hàng",
	"heading.BACKORDERED": "Một số sản phẩm đang tạm hết hàng",
	"body.BACKORDERED":    "Một số sản phẩm trong đơn hàng #{order} của bạn đang tạm hết hàng. Chúng tôi sẽ gửi ngay khi có hàng trở lại.",

	"subject.ALLOCATED": "Tin vui: đơn hàng #{order} của bạn đang được chuẩn bị",
	"heading.ALLOCATED": "Đã có hàng trở lại",
	"body.ALLOCATED":    "Sản phẩm bạn chờ đã có hàng trở lại. Chúng tôi đang chuẩn bị đơn hàng #{order} của bạn.",

	"subject.SHIPPED": "Đơn hàng #{order} của bạn đã được gửi đi",
	"heading.SHIPPED": "Đơn hàng đang trên đường đến bạn",
	"body.SHIPPED":    "Đơn hàng #{order} của bạn đã được gửi đi. Bạn có thể theo dõi kiện hàng bằng thông tin bên dưới.",

	"subject.OUT_FOR_DELIVERY": "Đơn hàng #{order} của bạn đang được giao",
	"heading.OUT_FOR_DELIVERY": "Đang giao hàng",
	"body.OUT_FOR_DELIVERY":    "Đơn hàng #{order} của bạn đang được giao và dự kiến đến tay bạn trong hôm nay.",

	"subject.DELIVERED": "Đơn hàng #{order} của bạn đã được giao",
	"heading.DELIVERED": "Đã giao hàng",
	"body.DELIVERED":    "Đơn hàng #{order} của bạn đã được giao thành công. Chúc bạn hài lòng với sản phẩm!",

	"subject.DELAYED":      "Đơn hàng #{order} của bạn bị chậm trễ",
	"heading.DELAYED":      "Đơn hàng bị chậm trễ",
	"body.DELAYED":         "Rất xin lỗi, đơn hàng #{order} của bạn bị chậm trễ. Ngày giao dự kiến mới là {date}.",
	"body.DELAYED.undated": "Rất xin lỗi, đơn hàng #{order} của bạn bị chậm trễ. Chúng tôi sẽ báo ngày giao mới cho bạn sớm nhất có thể.",

	"subject.READY_FOR_PICKUP": "Đơn hàng #{order} của bạn đã sẵn sàng để nhận",
	"heading.READY_FOR_PICKUP": "Sẵn sàng để nhận hàng",
	"body.READY_FOR_PICKUP":    "Đơn hàng #{order} của bạn đã sẵn sàng để nhận tại cửa hàng.",

	"subject.PICKUP_EXPIRING": "Nhắc nhở: đơn hàng #{order} của bạn đang chờ được nhận",
	"heading.PICKUP_EXPIRING": "Đơn hàng đang chờ bạn",
	"body.PICKUP_EXPIRING":    "Đơn hàng #{order} của bạn vẫn đang chờ bạn đến nhận tại cửa hàng.",

	"subject.RETURN_APPROVED": "Yêu cầu trả hàng cho đơn hàng #{order} đã được chấp nhận",
	"heading.RETURN_APPROVED": "Đã chấp nhận trả hàng",
	"body.RETURN_APPROVED":    "Chúng tôi đã chấp nhận yêu cầu trả hàng cho đơn hàng #{order} của bạn.",

	"subject.RETURN_RECEIVED": "Chúng tôi đã nhận được hàng trả lại của đơn hàng #{order}",
	"heading.RETURN_RECEIVED": "Đã nhận hàng trả lại",
	"body.RETURN_RECEIVED":    "Chúng tôi đã nhận được sản phẩm bạn trả lại từ đơn hàng #{order}. Chúng tôi sẽ kiểm tra và thông báo cho bạn về việc hoàn tiền.",

	"subject.REFUND_ISSUED": "Đã hoàn tiền cho đơn hàng #{order}",
	"heading.REFUND_ISSUED": "Đã hoàn tiền",
	"body.REFUND_ISSUED":    "Chúng tôi đã hoàn {amount} cho đơn hàng #{order}. Có thể mất vài ngày làm việc để tiền về tài khoản của bạn.",

	"subject.CANCELLED": "Đơn hàng #{order} của bạn đã bị hủy",
	"heading.CANCELLED": "Đơn hàng đã bị hủy",
	"body.CANCELLED":    "Đơn hàng #{order} của bạn đã bị hủy. Nếu có thắc mắc, vui lòng liên hệ với chúng tôi.",

	"subject.LINES_CANCELLED": "Một số sản phẩm trong đơn hàng #{order} đã bị hủy",
	"heading.LINES_CANCELLED": "Một số sản phẩm đã bị hủy",
	"body.LINES_CANCELLED":    "Rất tiếc, chúng tôi phải hủy một số sản phẩm trong đơn hàng #{order}. Các sản phẩm còn lại vẫn được xử lý bình thường.",
}
