package data

import (
	"fmt"
	"strings"
	"time"
)

// DefaultHomeZone is where headquarters reads the times a posting
// records: IHQ MoD in New Delhi.
const DefaultHomeZone = "Asia/Kolkata"

// HomeLocation loads the zone times are also shown in; "" is
// DefaultHomeZone.
func HomeLocation(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = DefaultHomeZone
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, &FieldError{Field: "home_tz", Problem: fmt.Sprintf("%q is not a time zone (an IANA name such as Asia/Kolkata)", name)}
	}
	return loc, nil
}

// ZoneCity names a zone as an officer says it: its city, with Asia/Kolkata
// said as New Delhi, where headquarters reads it.
func ZoneCity(loc *time.Location) string {
	name := loc.String()
	switch name {
	case "Asia/Kolkata", "Asia/Calcutta":
		return "New Delhi"
	case "UTC", "Etc/UTC", "":
		return "UTC"
	}
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	return strings.ReplaceAll(name, "_", " ")
}

// BothTimes writes t at the posting and at home: "14:00 Bahrain · 16:30
// New Delhi". When the two fall on different dates (Hawaii and India are
// 15½ hours apart), each carries its date, so neither is misread.
func BothTimes(t time.Time, local, home *time.Location) string {
	lt, ht := t.In(local), t.In(home)
	if ZoneCity(local) == ZoneCity(home) {
		return lt.Format("15:04") + " " + ZoneCity(local)
	}
	if lt.Format(DateLayout) != ht.Format(DateLayout) {
		return lt.Format("15:04 Mon 2 Jan") + " " + ZoneCity(local) + " · " + ht.Format("15:04 Mon 2 Jan") + " " + ZoneCity(home)
	}
	return lt.Format("15:04") + " " + ZoneCity(local) + " · " + ht.Format("15:04") + " " + ZoneCity(home)
}
