package replication

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"liaisondesk/data"
)

// receiptMagic is the first line of a receipt file.
const receiptMagic = "liaisondesk-receipt-v1"

// Receipt is what a replica carries back after importing a bundle: "I now
// hold this vector", signed, so the sender's next bundle leaves it out. It
// holds no record content, so it travels unencrypted.
type Receipt struct {
	Format  int              `json:"format"`
	Bundle  string           `json:"bundle,omitempty"` // the bundle it answers
	Site    string           `json:"site"`             // who holds
	Officer string           `json:"officer"`
	Holds   map[string]int64 `json:"holds"`
	Created string           `json:"created"`
}

func signedReceipt(payload []byte) []byte {
	return append([]byte("liaisondesk-receipt-v1\x00"), payload...)
}

// WriteReceipt writes this replica's signed receipt for a bundle.
func WriteReceipt(ctx context.Context, r Replica, bundle string, w io.Writer) error {
	dev, err := r.Device()
	if err != nil {
		return err
	}
	holds, err := r.Vector(ctx)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(Receipt{Format: Format, Bundle: bundle, Site: dev.Site.String(), Officer: dev.Officer,
		Holds: vectorJSON(holds), Created: time.Now().UTC().Format(time.RFC3339)})
	if err != nil {
		return err
	}
	sig, err := dev.Sign(signedReceipt(payload))
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n%s\n%s\n", receiptMagic, payload, base64.StdEncoding.EncodeToString(sig))
	return err
}

// maxReceipt bounds a receipt file (a vector of a few thousand sites).
const maxReceipt = 4 << 20

// ImportReceipt verifies a receipt from a trusted peer and records what
// it holds.
func ImportReceipt(ctx context.Context, r Replica, in io.Reader) (*Receipt, error) {
	rc, site, holds, err := readReceipt(ctx, r, in)
	if err != nil {
		return nil, data.Op("receipt", "import", err)
	}
	if err := r.RecordAck(ctx, site, holds); err != nil {
		return nil, data.Op("receipt", "import", err)
	}
	return rc, nil
}

func readReceipt(ctx context.Context, r Replica, in io.Reader) (*Receipt, data.SiteID, data.Vector, error) {
	var site data.SiteID
	sc := bufio.NewScanner(io.LimitReader(in, maxReceipt))
	sc.Buffer(make([]byte, 0, 64<<10), maxReceipt)
	var lines []string
	for sc.Scan() && len(lines) < 4 {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, site, nil, refusedf("the receipt cannot be read: %v", err)
	}
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != receiptMagic {
		return nil, site, nil, refusedf("this is not a Liaison Desk receipt: a receipt's first line is %q", receiptMagic)
	}
	if len(lines) != 3 {
		return nil, site, nil, refusedf("the receipt is truncated or has extra lines (3 expected, %d found)", len(lines))
	}
	payload := []byte(lines[1])
	var rc Receipt
	if err := json.Unmarshal(payload, &rc); err != nil {
		return nil, site, nil, refusedf("the receipt is malformed (%v)", err)
	}
	if rc.Format != Format {
		return nil, site, nil, refusedf("the receipt is in format %d; this version reads format %d", rc.Format, Format)
	}
	site, err := data.ParseSiteID(rc.Site)
	if err != nil {
		return nil, site, nil, refusedf("the receipt names no valid device")
	}
	key, err := r.SenderKey(ctx, site)
	if err != nil {
		return nil, site, nil, err
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(lines[2]))
	if err != nil || !ed25519.Verify(key, signedReceipt(payload), sig) {
		return nil, site, nil, refusedf("the receipt's signature does not verify with the key of %s (altered or forged)", site.ShortCode())
	}
	holds, err := parseVector(rc.Holds)
	if err != nil {
		return nil, site, nil, refusedf("the receipt's vector is malformed: %v", err)
	}
	return &rc, site, holds, nil
}
