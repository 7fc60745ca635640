package data

import (
	"fmt"
)

// Restored is what a restore did: the store's new identity, and the old
// one it replaced, which the restored store still trusts as a peer.
type Restored struct {
	Device     *Device // the new identity
	OldSite    SiteID  // the identity of the store the backup was made from
	OldOfficer string
	OldPeer    string // the name under which the restored store trusts it
}

// Advice says what the officer must do at the peers and the hub: the old
// device should be revoked there, and the new identity enrolled.
func (r *Restored) Advice() string {
	return fmt.Sprintf("The old device (site %s, device code %s) is still trusted by its peers and hub: "+
		"revoke it at each of them ('liaisondesk peers revoke NAME', with the name each gave it) and enrol this device's new identity instead. "+
		"This store trusts the old identity as peer %s, so work it made after the backup is applied when it arrives; "+
		"revoke it here too ('liaisondesk peers revoke %s') if the old device may be in other hands.",
		r.OldSite, r.OldSite.ShortCode(), r.OldPeer, r.OldPeer)
}
