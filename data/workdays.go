package data

import (
	"time"
)

// AddWorkingDays returns the date n working days after d: Saturdays,
// Sundays and US federal holidays (observed) do not count. DPAS clocks run
// in US working days.
func AddWorkingDays(d time.Time, n int) time.Time {
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// IsWorkingDay is false on weekends and observed US federal holidays.
func IsWorkingDay(d time.Time) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !isFederalHoliday(d)
}

func isFederalHoliday(d time.Time) bool {
	y, m, day := d.Date()
	// A holiday on Saturday is observed on Friday, on Sunday on Monday.
	juneteenth := observed(time.Date(y, time.June, 19, 0, 0, 0, 0, time.UTC))
	if y < 2021 {
		juneteenth = time.Time{} // a federal holiday only since 17 June 2021
	}
	for _, h := range []time.Time{
		observed(time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC)),
		observed(time.Date(y+1, time.January, 1, 0, 0, 0, 0, time.UTC)), // may fall on 31 Dec
		nthWeekday(y, time.January, time.Monday, 3),                     // Martin Luther King Jr. Day
		nthWeekday(y, time.February, time.Monday, 3),                    // Washington's Birthday
		lastWeekday(y, time.May, time.Monday),                           // Memorial Day
		juneteenth,                                                      // Juneteenth National Independence Day
		observed(time.Date(y, time.July, 4, 0, 0, 0, 0, time.UTC)),      // Independence Day
		nthWeekday(y, time.September, time.Monday, 1),                   // Labor Day
		nthWeekday(y, time.October, time.Monday, 2),                     // Columbus Day
		observed(time.Date(y, time.November, 11, 0, 0, 0, 0, time.UTC)), // Veterans Day
		nthWeekday(y, time.November, time.Thursday, 4),                  // Thanksgiving
		observed(time.Date(y, time.December, 25, 0, 0, 0, 0, time.UTC)), // Christmas
	} {
		hy, hm, hd := h.Date()
		if hy == y && hm == m && hd == day {
			return true
		}
	}
	return false
}

func observed(d time.Time) time.Time {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDate(0, 0, -1)
	case time.Sunday:
		return d.AddDate(0, 0, 1)
	}
	return d
}

func nthWeekday(y int, m time.Month, wd time.Weekday, n int) time.Time {
	d := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	for d.Weekday() != wd {
		d = d.AddDate(0, 0, 1)
	}
	return d.AddDate(0, 0, 7*(n-1))
}

func lastWeekday(y int, m time.Month, wd time.Weekday) time.Time {
	d := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
	for d.Weekday() != wd {
		d = d.AddDate(0, 0, -1)
	}
	return d
}
