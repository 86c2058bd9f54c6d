package message

import (
	"strconv"
	"time"
)

// months are the month names of each locale that writes them (Vietnamese numbers its months).
var months = map[Locale][12]string{
	English: {"January", "February", "March", "April", "May", "June", "July", "August", "September",
		"October", "November", "December"},
	Thai: {"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
		"ตุลาคม", "พฤศจิกายน", "ธันวาคม"},
	Indonesian: {"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
		"Oktober", "November", "Desember"},
	Malay: {"Januari", "Februari", "Mac", "April", "Mei", "Jun", "Julai", "Ogos", "September",
		"Oktober", "November", "Disember"},
}

// buddhistEra is how many years the Thai solar calendar counts ahead of the Gregorian one.
const buddhistEra = 543

// Date writes the calendar day of t in zone as locale writes it (7 December 2026; 7 ธันวาคม 2569;
// 7 tháng 12, 2026; 7 Desember 2026; 7 Disember 2026). A nil zone is UTC; an unsupported locale
// writes English.
func Date(l Locale, t time.Time, zone *time.Location) string {
	if zone == nil {
		zone = time.UTC
	}
	y, m, d := t.In(zone).Date()
	day := strconv.Itoa(d)
	switch l {
	case Vietnamese:
		return day + " tháng " + strconv.Itoa(int(m)) + ", " + strconv.Itoa(y)
	case Thai:
		return day + " " + months[Thai][m-1] + " " + strconv.Itoa(y+buddhistEra)
	case Indonesian, Malay:
		return day + " " + months[l][m-1] + " " + strconv.Itoa(y)
	}
	return day + " " + months[English][m-1] + " " + strconv.Itoa(y)
}
