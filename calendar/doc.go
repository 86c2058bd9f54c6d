// Package calendar does working-day arithmetic for one location: which local dates it works, when an
// order placed at a given instant can leave (cut-off and processing time), and how many working days
// lie between two instants. It is pure: there is no clock inside, the caller passes "now".
//
// The rules, in the location's own time zone:
//
//   - A working day is a local date whose weekday is in WorkDays (Monday to Saturday when unset) and
//     which is not one of the Holidays.
//   - An order placed on a working day strictly before the cut-off starts processing at once; any
//     other order (at or after the cut-off, or on a non-working day) starts at 00:00 on the next
//     working day. The cut-off closes the day's wave.
//   - Processing takes ProcessingHours of elapsed time, counting only time that falls on working
//     days: the clock runs through the night between two working days (warehouses work shifts) and
//     stops over weekends and holidays.
//   - The carrier collects at the cut-off. The earliest ship time is the cut-off of the first working
//     day on which processing has finished by the cut-off (finishing exactly at the cut-off counts).
//
// So with a 15:00 cut-off and 4 hours of processing, an order at 10:00 on a working day ships at
// 15:00 that day; one at 12:00 is ready at 16:00 and ships at 15:00 the next working day; one at
// 15:00 or later ships at 15:00 the next working day.
//
// The package imports time/tzdata so that zones such as Asia/Bangkok resolve on machines without
// a zoneinfo database.
package calendar

import _ "time/tzdata" // zones resolve without a system zoneinfo database
