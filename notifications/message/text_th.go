package message

// thai addresses the customer without gendered particles (no ครับ/ค่ะ): the shop's voice, not a
// person's.
var thai = map[string]string{
	"greeting":      "เรียน คุณ{name}",
	"greeting.anon": "เรียน ลูกค้า",

	"label.order":       "คำสั่งซื้อ",
	"label.placed":      "วันที่สั่งซื้อ",
	"label.total":       "ยอดรวม",
	"label.expected":    "คาดว่าจะได้รับภายใน",
	"label.shipment":    "เลขที่การจัดส่ง",
	"label.carrier":     "บริษัทขนส่ง",
	"label.tracking":    "หมายเลขติดตามพัสดุ",
	"label.item":        "สินค้า",
	"label.qty":         "จำนวน",
	"label.amount":      "ราคา",
	"label.store":       "สาขา",
	"label.address":     "ที่อยู่",
	"label.return":      "เลขที่การคืนสินค้า",
	"label.reason":      "เหตุผล",
	"label.items":       "รายการสินค้า",
	"label.backordered": "สินค้าที่รอสินค้าเข้า",
	"label.cancelled":   "สินค้าที่ยกเลิก",

	"action.order": "ดูคำสั่งซื้อ",
	"action.track": "ติดตามพัสดุ",

	"footer.help": "มีคำถาม? ติดต่อเราได้ที่ {email}",
	"footer.why":  "คุณได้รับอีเมลนี้เนื่องจากคำสั่งซื้อของคุณกับ {brand}",
	"unsubscribe": "ยกเลิกการรับอีเมล",

	"backorder.date":    "คาดว่าสินค้าจะเข้าภายใน {date}",
	"backorder.unknown": "เราจะแจ้งให้ทราบทันทีเมื่อทราบกำหนดสินค้าเข้า",
	"delayed.previous":  "กำหนดเดิมคือ {previous}",
	"pickup.until":      "เราจะเก็บสินค้าไว้ให้ถึง {date}",
	"pickup.last":       "กรุณารับสินค้าภายใน {date}",
	"return.label":      "ใบปะหน้าสำหรับส่งคืนแนบมากับอีเมลนี้ กรุณาพิมพ์ ติดบนกล่องพัสดุ แล้วส่งให้บริษัทขนส่ง",

	"subject.ORDER_CONFIRMED": "ยืนยันคำสั่งซื้อ #{order} ของคุณแล้ว",
	"heading.ORDER_CONFIRMED": "ขอบคุณสำหรับคำสั่งซื้อ",
	"body.ORDER_CONFIRMED":    "เราได้รับคำสั่งซื้อ #{order} ของคุณแล้ว และจะแจ้งให้ทราบทันทีเมื่อจัดส่ง",

	"subject.BACKORDERED": "สินค้าบางรายการในคำสั่งซื้อ #{order} อยู่ระหว่างรอสินค้าเข้า",
	"heading.BACKORDERED": "สินค้าบางรายการอยู่ระหว่างรอสินค้าเข้า",
	"body.BACKORDERED":    "สินค้าบางรายการในคำสั่งซื้อ #{order} หมดชั่วคราว เราจะจัดส่งให้ทันทีที่สินค้าเข้า",

	"subject.ALLOCATED": "ข่าวดี: กำลังจัดเตรียมคำสั่งซื้อ #{order} ของคุณ",
	"heading.ALLOCATED": "สินค้าเข้าแล้ว",
	"body.ALLOCATED":    "สินค้าที่คุณรออยู่เข้าแล้ว ขณะนี้เรากำลังจัดเตรียมคำสั่งซื้อ #{order} ของคุณ",

	"subject.SHIPPED": "คำสั่งซื้อ #{order} ของคุณจัดส่งแล้ว",
	"heading.SHIPPED": "คำสั่งซื้อของคุณอยู่ระหว่างจัดส่ง",
	"body.SHIPPED":    "คำสั่งซื้อ #{order} ของคุณจัดส่งแล้ว ติดตามพัสดุได้จากข้อมูลด้านล่าง",

	"subject.OUT_FOR_DELIVERY": "คำสั่งซื้อ #{order} ของคุณกำลังนำส่ง",
	"heading.OUT_FOR_DELIVERY": "พัสดุกำลังนำส่ง",
	"body.OUT_FOR_DELIVERY":    "คำสั่งซื้อ #{order} ของคุณออกนำส่งแล้ว คาดว่าจะถึงมือคุณภายในวันนี้",

	"subject.DELIVERED": "คำสั่งซื้อ #{order} ของคุณจัดส่งถึงแล้ว",
	"heading.DELIVERED": "จัดส่งสำเร็จ",
	"body.DELIVERED":    "คำสั่งซื้อ #{order} ของคุณจัดส่งถึงเรียบร้อยแล้ว หวังว่าคุณจะชอบสินค้า",

	"subject.DELAYED":      "คำสั่งซื้อ #{order} ของคุณล่าช้า",
	"heading.DELAYED":      "คำสั่งซื้อของคุณล่าช้า",
	"body.DELAYED":         "ขออภัย คำสั่งซื้อ #{order} ของคุณล่าช้ากว่ากำหนด ขณะนี้คาดว่าจะได้รับภายใน {date}",
	"body.DELAYED.undated": "ขออภัย คำสั่งซื้อ #{order} ของคุณล่าช้ากว่ากำหนด เราจะแจ้งกำหนดใหม่ให้ทราบโดยเร็วที่สุด",

	"subject.READY_FOR_PICKUP": "คำสั่งซื้อ #{order} ของคุณพร้อมให้รับแล้ว",
	"heading.READY_FOR_PICKUP": "พร้อมให้รับสินค้า",
	"body.READY_FOR_PICKUP":    "คำสั่งซื้อ #{order} ของคุณพร้อมให้รับที่สาขาแล้ว",

	"subject.PICKUP_EXPIRING": "แจ้งเตือน: คำสั่งซื้อ #{order} ของคุณรอการรับสินค้า",
	"heading.PICKUP_EXPIRING": "สินค้าของคุณรออยู่",
	"body.PICKUP_EXPIRING":    "คำสั่งซื้อ #{order} ของคุณยังรอให้คุณมารับที่สาขา",

	"subject.RETURN_APPROVED": "อนุมัติการคืนสินค้าของคำสั่งซื้อ #{order} แล้ว",
	"heading.RETURN_APPROVED": "อนุมัติการคืนสินค้าแล้ว",
	"body.RETURN_APPROVED":    "เราได้อนุมัติการคืนสินค้าของคำสั่งซื้อ #{order} แล้ว",

	"subject.RETURN_RECEIVED": "เราได้รับสินค้าคืนจากคำสั่งซื้อ #{order} แล้ว",
	"heading.RETURN_RECEIVED": "ได้รับสินค้าคืนแล้ว",
	"body.RETURN_RECEIVED":    "เราได้รับสินค้าที่คุณส่งคืนจากคำสั่งซื้อ #{order} แล้ว เราจะตรวจสอบและแจ้งเรื่องการคืนเงินให้ทราบ",

	"subject.REFUND_ISSUED": "คืนเงินสำหรับคำสั่งซื้อ #{order} แล้ว",
	"heading.REFUND_ISSUED": "คืนเงินแล้ว",
	"body.REFUND_ISSUED":    "เราได้คืนเงิน {amount} สำหรับคำสั่งซื้อ #{order} แล้ว อาจใช้เวลาสองสามวันทำการก่อนเงินจะเข้าบัญชีของคุณ",

	"subject.CANCELLED": "คำสั่งซื้อ #{order} ของคุณถูกยกเลิกแล้ว",
	"heading.CANCELLED": "ยกเลิกคำสั่งซื้อแล้ว",
	"body.CANCELLED":    "คำสั่งซื้อ #{order} ของคุณถูกยกเลิกแล้ว หากมีข้อสงสัย กรุณาติดต่อเรา",

	"subject.LINES_CANCELLED": "สินค้าบางรายการในคำสั่งซื้อ #{order} ถูกยกเลิก",
	"heading.LINES_CANCELLED": "สินค้าบางรายการถูกยกเลิก",
	"body.LINES_CANCELLED":    "ขออภัย เราจำเป็นต้องยกเลิกสินค้าบางรายการในคำสั่งซื้อ #{order} สินค้าอื่นยังดำเนินการตามปกติ",
}
