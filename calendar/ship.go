package calendar

import "time"

// ReadyAt returns when processing of an order placed at now finishes: it starts at now on a
// working day before the cut-off, otherwise at 00:00 of the next working day, and runs for
// ProcessingHours counting only time on working days. The result is in UTC; it is the zero time
// if no working day comes within a year.
func (c Calendar) ReadyAt(now time.Time) time.Time {
	loc := c.loc()
	day := DateOf(now, loc)
	start := now
	if !c.works(day) || !now.Before(c.cutoffOn(day)) {
		var ok bool
		if day, ok = c.seek(day.next(), 1); !ok {
			return time.Time{}
		}
		start = day.midnight(loc)
	}
	left := time.Duration(max(c.ProcessingHours, 0)) * time.Hour
	for {
		end := day.next().midnight(loc)
		span := end.Sub(start)
		if left <= span {
			return start.Add(left).UTC()
		}
		left -= span
		var ok bool
		if day, ok = c.seek(day.next(), 1); !ok {
			return time.Time{}
		}
		start = day.midnight(loc)
	}
}

// EarliestShip returns when an order placed at now can leave the location: the cut-off (carrier
// collection) of the first working day on which its processing has finished by the cut-off. It is
// never on a holiday or a non-working day. The result is in UTC; it is the zero time if no working
// day comes within a year.
func (c Calendar) EarliestShip(now time.Time) time.Time {
	ready := c.ReadyAt(now)
	if ready.IsZero() {
		return ready
	}
	day := DateOf(ready, c.loc())
	if c.works(day) && !ready.After(c.cutoffOn(day)) {
		return c.cutoffOn(day).UTC()
	}
	day, ok := c.seek(day.next(), 1)
	if !ok {
		return time.Time{}
	}
	return c.cutoffOn(day).UTC()
}
