package data

// Restored is what a restore did: the store's new identity, and the old
// one it replaced, which the restored store still trusts as a peer. The
// front ends tell the officer, in their own words, to revoke the old one
// at its peers (and here, as OldPeer) and to enrol the new one.
type Restored struct {
	Device     *Device // the new identity
	OldSite    SiteID  // the identity of the store the backup was made from
	OldOfficer string
	OldPeer    string // the name under which the restored store trusts it
}
