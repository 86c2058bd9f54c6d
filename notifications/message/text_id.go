package message

// indonesian calls the customer "Anda", the polite form shops use.
var indonesian = map[string]string{
	"greeting":      "Halo {name},",
	"greeting.anon": "Halo,",

	"label.order":       "Pesanan",
	"label.placed":      "Tanggal pesanan",
	"label.total":       "Total",
	"label.expected":    "Perkiraan tiba",
	"label.shipment":    "Pengiriman",
	"label.carrier":     "Kurir",
	"label.tracking":    "Nomor resi",
	"label.item":        "Produk",
	"label.qty":         "Jumlah",
	"label.amount":      "Subtotal",
	"label.store":       "Toko",
	"label.address":     "Alamat",
	"label.return":      "Nomor retur",
	"label.reason":      "Alasan",
	"label.items":       "Rincian pesanan",
	"label.backordered": "Produk yang menunggu stok",
	"label.cancelled":   "Produk yang dibatalkan",

	"action.order": "Lihat pesanan",
	"action.track": "Lacak paket",

	"footer.help": "Ada pertanyaan? Hubungi kami di {email}.",
	"footer.why":  "Anda menerima email ini terkait pesanan Anda di {brand}.",
	"unsubscribe": "Berhenti berlangganan",

	"backorder.date":    "Kami perkirakan produk tersedia sebelum {date}.",
	"backorder.unknown": "Kami akan memberi tahu Anda begitu tanggalnya diketahui.",
	"delayed.previous":  "Sebelumnya diperkirakan tiba pada {previous}.",
	"pickup.until":      "Kami akan menyimpannya untuk Anda sampai {date}.",
	"pickup.last":       "Mohon ambil pesanan Anda sebelum {date}.",
	"return.label":      "Label retur terlampir: silakan cetak, tempelkan pada paket, lalu serahkan ke kurir.",

	"subject.ORDER_CONFIRMED": "Pesanan #{order} Anda telah dikonfirmasi",
	"heading.ORDER_CONFIRMED": "Terima kasih atas pesanan Anda",
	"body.ORDER_CONFIRMED":    "Kami telah menerima pesanan #{order} Anda dan akan memberi tahu Anda segera setelah pesanan dikirim.",

	"subject.BACKORDERED": "Beberapa produk dalam pesanan #{order} sedang menunggu stok",
	"heading.BACKORDERED": "Beberapa produk sedang menunggu stok",
	"body.BACKORDERED":    "Beberapa produk dalam pesanan #{order} Anda sedang kosong untuk sementara. Kami akan mengirimkannya segera setelah stok tersedia kembali.",

	"subject.ALLOCATED": "Kabar baik: pesanan #{order} Anda sedang disiapkan",
	"heading.ALLOCATED": "Stok tersedia kembali",
	"body.ALLOCATED":    "Produk yang Anda tunggu sudah tersedia kembali. Kami sedang menyiapkan pesanan #{order} Anda.",

	"subject.SHIPPED": "Pesanan #{order} Anda telah dikirim",
	"heading.SHIPPED": "Pesanan Anda dalam perjalanan",
	"body.SHIPPED":    "Pesanan #{order} Anda telah dikirim. Anda dapat melacak paket dengan informasi di bawah ini.",

	"subject.OUT_FOR_DELIVERY": "Pesanan #{order} Anda sedang diantar",
	"heading.OUT_FOR_DELIVERY": "Sedang diantar",
	"body.OUT_FOR_DELIVERY":    "Pesanan #{order} Anda sedang diantar dan diperkirakan tiba hari ini.",

	"subject.DELIVERED": "Pesanan #{order} Anda telah tiba",
	"heading.DELIVERED": "Pesanan telah tiba",
	"body.DELIVERED":    "Pesanan #{order} Anda telah diantar. Semoga Anda menyukainya!",

	"subject.DELAYED":      "Pesanan #{order} Anda mengalami keterlambatan",
	"heading.DELAYED":      "Pesanan Anda terlambat",
	"body.DELAYED":         "Mohon maaf, pesanan #{order} Anda mengalami keterlambatan. Kini diperkirakan tiba pada {date}.",
	"body.DELAYED.undated": "Mohon maaf, pesanan #{order} Anda mengalami keterlambatan. Kami akan segera memberi tahu tanggal barunya.",

	"subject.READY_FOR_PICKUP": "Pesanan #{order} Anda siap diambil",
	"heading.READY_FOR_PICKUP": "Siap diambil",
	"body.READY_FOR_PICKUP":    "Pesanan #{order} Anda sudah siap diambil di toko.",

	"subject.PICKUP_EXPIRING": "Pengingat: pesanan #{order} Anda menunggu untuk diambil",
	"heading.PICKUP_EXPIRING": "Pesanan Anda menunggu",
	"body.PICKUP_EXPIRING":    "Pesanan #{order} Anda masih menunggu untuk diambil di toko.",

	"subject.RETURN_APPROVED": "Retur untuk pesanan #{order} telah disetujui",
	"heading.RETURN_APPROVED": "Retur disetujui",
	"body.RETURN_APPROVED":    "Kami telah menyetujui retur untuk pesanan #{order} Anda.",

	"subject.RETURN_RECEIVED": "Kami telah menerima retur pesanan #{order}",
	"heading.RETURN_RECEIVED": "Retur diterima",
	"body.RETURN_RECEIVED":    "Kami telah menerima produk yang Anda kembalikan dari pesanan #{order}. Kami akan memeriksanya dan mengabari Anda tentang pengembalian dana.",

	"subject.REFUND_ISSUED": "Dana untuk pesanan #{order} telah dikembalikan",
	"heading.REFUND_ISSUED": "Dana telah dikembalikan",
	"body.REFUND_ISSUED":    "Kami telah mengembalikan dana sebesar {amount} untuk pesanan #{order}. Mungkin perlu beberapa hari kerja hingga dana masuk ke rekening Anda.",

	"subject.CANCELLED": "Pesanan #{order} Anda telah dibatalkan",
	"heading.CANCELLED": "Pesanan dibatalkan",
	"body.CANCELLED":    "Pesanan #{order} Anda telah dibatalkan. Jika ada pertanyaan, silakan hubungi kami.",

	"subject.LINES_CANCELLED": "Beberapa produk dalam pesanan #{order} dibatalkan",
	"heading.LINES_CANCELLED": "Beberapa produk dibatalkan",
	"body.LINES_CANCELLED":    "Mohon maaf, kami harus membatalkan beberapa produk dalam pesanan #{order}. Produk lainnya tetap diproses seperti biasa.",
}
