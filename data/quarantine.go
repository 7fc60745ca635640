package data

// QuarantineEntry is what is held for review from one author for one
// reason, as one relaying peer gave it.
type QuarantineEntry struct {
	Author   string `json:"author"` // site id: the ID to release or discard
	Device   string `json:"device"`
	Officer  string `json:"officer"`
	Claimed  bool   `json:"claimed_by_relayer"` // the officer's name and key are the relaying peer's word, not an enrolment
	Reason   string `json:"reason"`             // unknown | revoked | invalid | waits | forged
	Detail   string `json:"detail"`             // the reason in words
	Conflict bool   `json:"conflict"`           // another version of some of these seqs is held or applied: a conflict of histories
	FirstSeq int64  `json:"first_seq"`
	LastSeq  int64  `json:"last_seq"`
	Changes  int    `json:"changes"`
	Records  int    `json:"records"`
	Sender   string `json:"sender"` // the peer that relayed them
	// ReceivedAt is when the latest of them arrived.
	ReceivedAt string `json:"received_at"`
	KeyKnown   bool   `json:"key_known"` // the sender vouched for the author's key
}
