package replication

import (
	"encoding/json"
	"testing"
)

func TestAPeerCannotMakeAnotherSendersBundleLookLikeAReplay(t *testing.T) {
	a, b, c := openReplica(t, "Cdr A", day), openReplica(t, "Cdr B", day), openReplica(t, "Cdr C", day)
	enrol(t, a, b, c)
	addExchange(t, a, "From A")
	fromA := bundle(t, a, "peerb")
	var ha Header
	hdr, _, _ := split(decrypt(t, b, fromA))
	json.Unmarshal(hdr, &ha)

	// C sends B a bundle carrying A's bundle id, signed by C.
	plain := decrypt(t, b, bundle(t, c, "peerb"))
	header, _, body := split(plain)
	var h Header
	json.Unmarshal(header, &h)
	h.Bundle = ha.Bundle
	nh, _ := json.Marshal(h)
	importOK(t, b, encrypt(t, b, resign(t, c, nh, body)))

	if res := importOK(t, b, fromA); res.Replay || res.Applied == 0 {
		t.Fatalf("A's bundle was taken for a replay: %+v", res)
	}
}
