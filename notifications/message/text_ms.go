package message

// malay calls the customer "anda", as Malaysian shops write.
var malay = map[string]string{
	"greeting":      "Hai {name},",
	"greeting.anon": "Hai,",

	"label.order":       "Pesanan",
	"label.placed":      "Tarikh pesanan",
	"label.total":       "Jumlah",
	"label.expected":    "Dijangka tiba",
	"label.shipment":    "Penghantaran",
	"label.carrier":     "Kurier",
	"label.tracking":    "Nombor penjejakan",
	"label.item":        "Item",
	"label.qty":         "Kuantiti",
	"label.amount":      "Harga",
	"label.store":       "Kedai",
	"label.address":     "Alamat",
	"label.return":      "Nombor pemulangan",
	"label.reason":      "Sebab",
	"label.items":       "Item anda",
	"label.backordered": "Item yang menunggu stok",
	"label.cancelled":   "Item yang dibatalkan",

	"action.order": "Lihat pesanan",
	"action.track": "Jejak bungkusan",

	"footer.help": "Ada soalan? Hubungi kami di {email}.",
	"footer.why":  "Anda menerima e-mel ini berkenaan pesanan anda dengan {brand}.",
	"unsubscribe": "Berhenti melanggan",

	"backorder.date":    "Kami menjangkakan stok tiba sebelum {date}.",
	"backorder.unknown": "Kami akan memaklumkan anda sebaik sahaja tarikhnya diketahui.",
	"delayed.previous":  "Sebelum ini ia dijangka tiba pada {previous}.",
	"pickup.until":      "Kami akan menyimpannya untuk anda sehingga {date}.",
	"pickup.last":       "Sila ambil pesanan anda sebelum {date}.",
	"return.label":      "Label pemulangan dilampirkan: sila cetak, lekatkan pada bungkusan dan serahkan kepada kurier.",

	"subject.ORDER_CONFIRMED": "Pesanan #{order} anda telah disahkan",
	"heading.ORDER_CONFIRMED": "Terima kasih atas pesanan anda",
	"body.ORDER_CONFIRMED":    "Kami telah menerima pesanan #{order} anda dan akan memaklumkan anda sebaik sahaja ia dihantar.",

	"subject.BACKORDERED": "Sebahagian item dalam pesanan #{order} anda sedang menunggu stok",
	"heading.BACKORDERED": "Sebahagian item sedang menunggu stok",
	"body.BACKORDERED":    "Sebahagian item dalam pesanan #{order} anda kehabisan stok buat sementara waktu. Kami akan menghantarnya sebaik sahaja stok tiba.",

	"subject.ALLOCATED": "Berita baik: pesanan #{order} anda sedang disediakan",
	"heading.ALLOCATED": "Stok telah tiba",
	"body.ALLOCATED":    "Item yang anda tunggu kini ada dalam stok. Kami sedang menyediakan pesanan #{order} anda.",

	"subject.SHIPPED": "Pesanan #{order} anda telah dihantar",
	"heading.SHIPPED": "Pesanan anda dalam perjalanan",
	"body.SHIPPED":    "Pesanan #{order} anda telah dihantar. Anda boleh menjejak bungkusan anda dengan maklumat di bawah.",

	"subject.OUT_FOR_DELIVERY": "Pesanan #{order} anda sedang dalam penghantaran",
	"heading.OUT_FOR_DELIVERY": "Dalam penghantaran",
	"body.OUT_FOR_DELIVERY":    "Pesanan #{order} anda sedang dihantar dan dijangka tiba hari ini.",

	"subject.DELIVERED": "Pesanan #{order} anda telah sampai",
	"heading.DELIVERED": "Telah sampai",
	"body.DELIVERED":    "Pesanan #{order} anda telah sampai. Semoga anda berpuas hati!",

	"subject.DELAYED":      "Pesanan #{order} anda mengalami kelewatan",
	"heading.DELAYED":      "Pesanan anda lewat",
	"body.DELAYED":         "Harap maaf, pesanan #{order} anda mengalami kelewatan. Kini ia dijangka tiba pada {date}.",
	"body.DELAYED.undated": "Harap maaf, pesanan #{order} anda mengalami kelewatan. Kami akan memaklumkan tarikh baharu secepat mungkin.",

	"subject.READY_FOR_PICKUP": "Pesanan #{order} anda sedia untuk diambil",
	"heading.READY_FOR_PICKUP": "Sedia untuk diambil",
	"body.READY_FOR_PICKUP":    "Pesanan #{order} anda sedia untuk diambil di kedai.",

	"subject.PICKUP_EXPIRING": "Peringatan: pesanan #{order} anda menunggu untuk diambil",
	"heading.PICKUP_EXPIRING": "Pesanan anda sedang menunggu",
	"body.PICKUP_EXPIRING":    "Pesanan #{order} anda masih menunggu untuk diambil di kedai.",

	"subject.RETURN_APPROVED": "Pemulangan untuk pesanan #{order} telah diluluskan",
	"heading.RETURN_APPROVED": "Pemulangan diluluskan",
	"body.RETURN_APPROVED":    "Kami telah meluluskan pemulangan untuk pesanan #{order} anda.",

	"subject.RETURN_RECEIVED": "Kami telah menerima pemulangan pesanan #{order}",
	"heading.RETURN_RECEIVED": "Pemulangan diterima",
	"body.RETURN_RECEIVED":    "Kami telah menerima item yang anda pulangkan daripada pesanan #{order}. Kami akan memeriksanya dan memaklumkan anda tentang bayaran balik.",

	"subject.REFUND_ISSUED": "Bayaran balik untuk pesanan #{order} telah dibuat",
	"heading.REFUND_ISSUED": "Bayaran balik telah dibuat",
	"body.REFUND_ISSUED":    "Kami telah membuat bayaran balik sebanyak {amount} untuk pesanan #{order}. Ia mungkin mengambil masa beberapa hari bekerja untuk masuk ke akaun anda.",

	"subject.CANCELLED": "Pesanan #{order} anda telah dibatalkan",
	"heading.CANCELLED": "Pesanan dibatalkan",
	"body.CANCELLED":    "Pesanan #{order} anda telah dibatalkan. Jika ada sebarang pertanyaan, sila hubungi kami.",

	"subject.LINES_CANCELLED": "Sebahagian item dalam pesanan #{order} anda telah dibatalkan",
	"heading.LINES_CANCELLED": "Sebahagian item dibatalkan",
	"body.LINES_CANCELLED":    "Harap maaf, kami terpaksa membatalkan sebahagian item dalam pesanan #{order} anda. Item lain masih diproses seperti biasa.",
}
