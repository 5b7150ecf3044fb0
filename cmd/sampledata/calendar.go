package main

import "time"

// day returns UTC midnight of a calendar date.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dayKey identifies a calendar date, for sets of dates.
func dayKey(t time.Time) int {
	return t.Year()*10000 + int(t.Month())*100 + t.Day()
}

// easter returns Easter Sunday of year y in the Gregorian calendar (the
// anonymous algorithm of Meeus, Jones and Butcher).
func easter(y int) time.Time {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return day(y, time.Month(n/31), n%31+1)
}

// nthWeekday returns the n-th (1-based) weekday wd of a month, or the last
// one if n is -1.
func nthWeekday(y int, m time.Month, wd time.Weekday, n int) time.Time {
	if n < 0 {
		t := day(y, m+1, 0) // the last day of m
		return t.AddDate(0, 0, -((int(t.Weekday()) - int(wd) + 7) % 7))
	}
	t := day(y, m, 1)
	t = t.AddDate(0, 0, (int(wd)-int(t.Weekday())+7)%7)
	return t.AddDate(0, 0, 7*(n-1))
}

// observed moves a fixed-date holiday off the weekend: Saturday to the
// Friday before, Sunday to the Monday after.
func observed(t time.Time) time.Time {
	switch t.Weekday() {
	case time.Saturday:
		return t.AddDate(0, 0, -1)
	case time.Sunday:
		return t.AddDate(0, 0, 1)
	}
	return t
}

// specialClosures are the weekdays the NYSE closed outside its holiday
// schedule in this century (national days of mourning, storms, 9/11).
var specialClosures = []time.Time{
	day(2001, 9, 11), day(2001, 9, 12), day(2001, 9, 13), day(2001, 9, 14),
	day(2004, 6, 11), day(2007, 1, 2), day(2012, 10, 29), day(2012, 10, 30),
	day(2018, 12, 5), day(2025, 1, 9),
}

// nyseHolidays returns the weekdays of year y on which the NYSE is closed:
// its holiday schedule (as of the 2020s, applied to every year) and the
// special closures.
func nyseHolidays(y int) []time.Time {
	var hs []time.Time
	// New Year's Day: a Sunday moves to Monday; a Saturday is not
	// observed (the Friday before closes a year, and stays open).
	switch ny := day(y, 1, 1); ny.Weekday() {
	case time.Sunday:
		hs = append(hs, day(y, 1, 2))
	case time.Saturday:
	default:
		hs = append(hs, ny)
	}
	hs = append(hs,
		nthWeekday(y, time.January, time.Monday, 3),  // Martin Luther King Jr. Day
		nthWeekday(y, time.February, time.Monday, 3), // Washington's Birthday
		easter(y).AddDate(0, 0, -2),                  // Good Friday
		nthWeekday(y, time.May, time.Monday, -1),     // Memorial Day
	)
	if y >= 2022 {
		hs = append(hs, observed(day(y, 6, 19))) // Juneteenth
	}
	hs = append(hs,
		observed(day(y, 7, 4)),                         // Independence Day
		nthWeekday(y, time.September, time.Monday, 1),  // Labor Day
		nthWeekday(y, time.November, time.Thursday, 4), // Thanksgiving
		observed(day(y, 12, 25)),                       // Christmas
	)
	for _, t := range specialClosures {
		if t.Year() == y {
			hs = append(hs, t)
		}
	}
	return hs
}

// calendar is every calendar day of a range, and which of them are NYSE
// trading days.
type calendar struct {
	days  []time.Time // every calendar day, ascending
	trade []int       // per calendar day: its index in tdays, or -1
	tdays []time.Time // the trading days
}

func newCalendar(first, last time.Time) *calendar {
	closed := map[int]bool{}
	for y := first.Year(); y <= last.Year(); y++ {
		for _, t := range nyseHolidays(y) {
			closed[dayKey(t)] = true
		}
	}
	c := &calendar{}
	for t := first; !t.After(last); t = t.AddDate(0, 0, 1) {
		c.days = append(c.days, t)
		wd := t.Weekday()
		if wd == time.Saturday || wd == time.Sunday || closed[dayKey(t)] {
			c.trade = append(c.trade, -1)
			continue
		}
		c.trade = append(c.trade, len(c.tdays))
		c.tdays = append(c.tdays, t)
	}
	return c
}

// firstTrading returns the index of the first trading day on or after t,
// or len(tdays) if there is none.
func (c *calendar) firstTrading(t time.Time) int {
	for i, d := range c.tdays {
		if !d.Before(t) {
			return i
		}
	}
	return len(c.tdays)
}

// firstDay returns the index in days of t, which must be in range.
func (c *calendar) firstDay(t time.Time) int {
	return int(t.Sub(c.days[0]).Hours()+0.5) / 24
}
