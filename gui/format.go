package gui

// Formatting shared by the screens: numbers, sizes, dates and fallbacks
// as the window writes them.

import (
	"fmt"
	"strings"
	"time"

	"liaisondesk/data"
)

// thousands writes 1234567 as 1,234,567.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// shortDate writes YYYY-MM-DD as "1 Dec".
func shortDate(d string) string {
	t, err := time.Parse(data.DateLayout, d)
	if err != nil {
		return d
	}
	return t.Format("2 Jan")
}

// plural writes "1 RFI", "3 RFIs", "1,204 RFIs".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// humanSize writes a byte count as "12.3 MB".
func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// whenOrNever writes an RFC 3339 time as "25 Nov 14:05" (local), or
// "never".
func whenOrNever(rfc string) string {
	if rfc == "" {
		return "never"
	}
	t, err := time.Parse(time.RFC3339, rfc)
	if err != nil {
		return rfc
	}
	if t.Year() != time.Now().Year() {
		return t.Local().Format("2 Jan 2006 15:04")
	}
	return t.Local().Format("2 Jan 15:04")
}

// upperAll upper-cases each string in place (releasability codes).
func upperAll(ss []string) []string {
	for i, s := range ss {
		ss[i] = strings.ToUpper(s)
	}
	return ss
}

// orDash writes an empty value as a dash.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// firstTen is the date part of an RFC 3339 time.
func firstTen(s string) string {
	if len(s) > 10 {
		return s[:10]
	}
	return s
}

// sentenceCase capitalises the first letter of a message.
func sentenceCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// dayAndTime writes an RFC 3339 time as "25 Nov 2026 14:05" in local
// time: a list spanning years, such as the audit.
func dayAndTime(rfc string) string {
	t, err := time.Parse(time.RFC3339, rfc)
	if err != nil {
		return rfc
	}
	return t.Local().Format("2 Jan 2006 15:04")
}
