package data

import (
	"testing"
	"time"
)

func testDay(t *testing.T, v string) time.Time {
	t.Helper()
	d, err := time.Parse(DateLayout, v)
	if err != nil {
		t.Fatalf("bad test date %q: %v", v, err)
	}
	return d
}

func TestAddWorkingDays(t *testing.T) {
	cases := []struct {
		name  string
		from  string
		n     int
		want  string
		about string
	}{
		{"one day within a week", "2026-11-17", 1, "2026-11-18", "Tue → Wed"},
		{"a Friday plus one is the Monday", "2026-11-13", 1, "2026-11-16", "weekend skipped"},
		{"a Saturday plus one is the Monday", "2026-11-14", 1, "2026-11-16", "counting starts after the weekend"},
		{"zero days is the same day", "2026-11-21", 0, "2026-11-21", "even on a Saturday"},
		{"Thanksgiving is skipped, the Friday after is not", "2026-11-25", 2, "2026-11-30", "Wed → (Thu holiday) Fri, Mon"},
		{"Christmas on a Friday", "2026-12-24", 1, "2026-12-28", "Thu → (Fri holiday, weekend) Mon"},
		{"New Year's Day 2027 on a Friday", "2026-12-31", 1, "2027-01-04", "Thu → (Fri holiday, weekend) Mon"},
		{"New Year's Day on a Saturday is observed on the Friday before", "2021-12-30", 1, "2022-01-03", "Thu → (Fri 31 Dec observed) Mon"},
		{"Christmas on a Saturday is observed on the Friday", "2027-12-23", 1, "2027-12-27", "Thu → (Fri 24 Dec observed) Mon"},
		{"Independence Day on a Saturday is observed on the Friday", "2026-07-02", 1, "2026-07-06", "Thu → (Fri 3 Jul observed) Mon"},
		{"Independence Day on a Sunday is observed on the Monday", "2027-07-02", 1, "2027-07-06", "Fri → (Mon 5 Jul observed) Tue"},
		{"Juneteenth on a Saturday is observed on the Friday", "2027-06-17", 1, "2027-06-21", "Thu → (Fri 18 Jun observed) Mon"},
		{"Martin Luther King Jr. Day, third Monday of January", "2027-01-15", 1, "2027-01-19", "Fri → (Mon 18 Jan) Tue"},
		{"Washington's Birthday, third Monday of February", "2026-02-13", 1, "2026-02-17", "Fri → (Mon 16 Feb) Tue"},
		{"Memorial Day, last Monday of May", "2026-05-22", 1, "2026-05-26", "Fri → (Mon 25 May) Tue"},
		{"Labor Day, first Monday of September", "2026-09-04", 1, "2026-09-08", "Fri → (Mon 7 Sep) Tue"},
		{"Columbus Day, second Monday of October", "2026-10-09", 1, "2026-10-13", "Fri → (Mon 12 Oct) Tue"},
		{"Veterans Day on a Wednesday", "2026-11-10", 1, "2026-11-12", "Tue → (Wed 11 Nov) Thu"},
		{"Veterans Day on a Sunday is observed on the Monday", "2029-11-09", 1, "2029-11-13", "Fri → (Mon 12 Nov observed) Tue"},
		{"15 working days over Thanksgiving (a DO acceptance clock)", "2026-11-20", 15, "2026-12-14", ""},
		{"10 working days over Christmas and New Year (a DX acceptance clock)", "2026-12-18", 10, "2027-01-05", ""},
		{"Juneteenth did not count before it became a holiday in 2021", "2020-06-18", 1, "2020-06-19", "Thu → Fri"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := AddWorkingDays(testDay(t, c.from), c.n).Format(DateLayout); got != c.want {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s (%s)", c.from, c.n, got, c.want, c.about)
			}
		})
	}
	t.Run("the time of day and zone of the start do not matter, only its date", func(t *testing.T) {
		honolulu, err := time.LoadLocation("Pacific/Honolulu")
		if err != nil {
			t.Fatal(err)
		}
		// 23:30 on Wednesday 25 November in Hawaii is already Thursday in UTC.
		start := time.Date(2026, 11, 25, 23, 30, 0, 0, honolulu)
		got := AddWorkingDays(start, 1)
		if got.Format(DateLayout) != "2026-11-27" || got.Location() != time.UTC || got.Hour() != 0 {
			t.Errorf("got %v, want 2026-11-27 00:00 UTC", got)
		}
	})
}

func TestIsWorkingDay(t *testing.T) {
	cases := []struct {
		date string
		want bool
		why  string
	}{
		{"2026-11-25", true, "an ordinary Wednesday"},
		{"2026-11-26", false, "Thanksgiving"},
		{"2026-11-27", true, "the Friday after Thanksgiving is no federal holiday"},
		{"2026-11-28", false, "a Saturday"},
		{"2026-11-29", false, "a Sunday"},
		{"2026-12-25", false, "Christmas"},
		{"2026-12-24", true, "Christmas Eve"},
		{"2027-01-01", false, "New Year's Day"},
		{"2021-12-31", false, "New Year's Day 2022 observed"},
		{"2027-12-24", false, "Christmas 2027 observed"},
		{"2027-07-05", false, "Independence Day 2027 observed"},
		{"2026-07-03", false, "Independence Day 2026 observed"},
		{"2026-06-19", false, "Juneteenth"},
		{"2021-06-18", false, "Juneteenth 2021 observed, the first"},
		{"2020-06-19", true, "before Juneteenth was a federal holiday"},
		{"2026-01-19", false, "Martin Luther King Jr. Day"},
		{"2026-05-25", false, "Memorial Day"},
		{"2026-09-07", false, "Labor Day"},
		{"2026-10-12", false, "Columbus Day"},
		{"2026-11-11", false, "Veterans Day"},
		{"2026-11-12", true, "the day after Veterans Day"},
	}
	for _, c := range cases {
		t.Run(c.date+" "+c.why, func(t *testing.T) {
			if got := IsWorkingDay(testDay(t, c.date)); got != c.want {
				t.Errorf("IsWorkingDay(%s) = %v, want %v (%s)", c.date, got, c.want, c.why)
			}
		})
	}
}
