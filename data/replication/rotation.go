package replication

import (
	"context"

	"liaisondesk/data"
)

// rotationHeader carries a rotated hub's statements with its identity
// answer: a header, so older devices read the body as before.
const rotationHeader = "Liaisondesk-Rotation"

// ownRotations are the rotation statements of site (the hub itself)
// that r holds.
func ownRotations(ctx context.Context, r Replica, site data.SiteID) []string {
	lines, err := r.RotationLines(ctx)
	if err != nil {
		return nil
	}
	var out []string
	for _, line := range lines {
		if st, err := data.ParseRotation(line); err == nil && st.SiteID() == site {
			out = append(out, line)
		}
	}
	return out
}
