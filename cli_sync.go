package main

// The sync verbs: identity and peers, bundles and receipts, the hub,
// quarantine, conflicts and the digest.

import (
	"context"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"

	"liaisondesk/data"
	"liaisondesk/data/replication"
	"liaisondesk/data/store"
)

func runIdentity(ctx context.Context, c *cli, args []string) error {
	if len(args) > 0 && args[0] == "rotate" {
		return runIdentityRotate(ctx, c, args[1:])
	}
	_, s, err := c.begin(ctx, flag.NewFlagSet("identity", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, id)
	c.warnClockLead(ctx, s)
	return nil
}

// warnClockLead says on stderr when this laptop stamps its changes well
// ahead of its clock (the clock was ahead once, and the HLC never goes back).
func (c *cli) warnClockLead(ctx context.Context, s *store.Store) {
	if lead, err := s.ClockLead(ctx); err == nil {
		if w := data.ClockLeadWarning(lead); w != "" {
			fmt.Fprintf(c.stderr, "liaisondesk: warning: %s\n", w)
		}
	}
}

func runPeers(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("peers", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print a JSON array (list)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("missing add, list or revoke")
	}
	var names []string
	switch pos[0] {
	case "add":
		names = []string{"NAME", "IDENTITY"}
		if len(pos) > 3 { // an identity line pasted without quotes
			pos = append(pos[:2], strings.Join(pos[2:], " "))
		}
	case "list":
	case "revoke":
		names = []string{"NAME"}
	default:
		return usagef("unknown peers command %q (add, list or revoke)", pos[0])
	}
	if err := wantArgs(pos[1:], names...); err != nil {
		return err
	}
	s, err := c.openPeerKeeper(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	switch pos[0] {
	case "add":
		p, err := s.AddPeer(ctx, pos[1], pos[2])
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "trusting %s: site %s, officer %s\n", p.Name, p.Identity.Site, p.Identity.Officer)
		return nil
	case "revoke":
		if err := s.RevokePeer(ctx, pos[1]); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "revoked %s\n", pos[1])
		return nil
	}
	peers, err := s.Peers(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type row struct {
			data.Peer
			Site     string `json:"site"`
			Officer  string `json:"officer"`
			Identity string `json:"identity"`
		}
		out := make([]row, 0, len(peers))
		for _, p := range peers {
			out = append(out, row{p, p.Identity.Site.String(), p.Identity.Officer, p.Identity.String()})
		}
		return c.printJSON(out)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tOFFICER\tSITE\tADDED\tREVOKED")
	for _, p := range peers {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Name, p.Identity.Officer, p.Identity.Site, p.AddedAt, cell(p.RevokedAt))
	}
	return tw.Flush()
}

// runBundle creates or imports a bundle: the file carried across an air gap.
func runBundle(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("bundle", flag.ContinueOnError)
	to := fs.String("to", "", "create: the peers to send to, NAME[,NAME...]")
	out := fs.String("o", "", "create: the bundle file to write")
	receipt := fs.String("receipt", "", "import: also write a receipt to carry back to the sender")
	maxSize := fs.String("max-size", "", "create: split into FILE.1, FILE.2, … of at most this size (e.g. 25MB)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("missing create or import")
	}
	switch pos[0] {
	case "create":
		if err := wantArgs(pos[1:]); err != nil {
			return err
		}
		if *to == "" {
			return usagef("bundle create needs --to NAME[,NAME...]")
		}
		if *out == "" {
			return usagef("bundle create needs -o FILE")
		}
	case "import":
		if err := wantArgs(pos[1:], "FILE"); err != nil {
			return err
		}
	default:
		return usagef("unknown bundle command %q (create or import)", pos[0])
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if pos[0] == "create" {
		peers, err := replication.TrustedPeers(ctx, s, strings.Split(*to, ","))
		if err != nil {
			return err
		}
		if *maxSize != "" {
			return createSplit(ctx, c, s, peers, *maxSize, *out)
		}
		var res replication.CreateResult
		err = data.WriteFileAtomic(*out, 0o600, func(w io.Writer) error {
			res, err = replication.WriteBundle(ctx, s, peers, w)
			return err
		})
		if err != nil {
			return data.Op("bundle", "create", err)
		}
		return c.printJSON(res)
	}
	var res data.ImportResult
	var b *replication.Bundle
	if replication.IsPart(pos[1]) {
		waiting, r, bb, err := replication.ImportPart(ctx, s, s.Path()+".parts", pos[1])
		if err != nil {
			return err
		}
		if waiting != nil {
			return c.printJSON(waiting) // kept until the other parts arrive
		}
		res, b = r, bb
	} else {
		f, err := os.Open(pos[1])
		if err != nil {
			return data.Op("bundle", "import", fmt.Errorf("cannot read %s: %w", pos[1], data.FileError(err)))
		}
		defer f.Close()
		if res, b, err = replication.ImportBundle(ctx, s, f); err != nil {
			return err
		}
	}
	if *receipt != "" {
		err := data.WriteFileAtomic(*receipt, 0o600, func(w io.Writer) error { return replication.WriteReceipt(ctx, s, b.Header.Bundle, w) })
		if err != nil {
			return data.Op("bundle", "import", fmt.Errorf("the bundle was imported, but the receipt was not written: %w", err))
		}
	}
	type summary struct {
		data.ImportResult
		Sender  string `json:"sender"`
		Officer string `json:"officer"`
		Receipt string `json:"receipt,omitempty"`
	}
	for _, w := range res.ClockWarnings {
		fmt.Fprintf(c.stderr, "liaisondesk bundle import: warning: %s\n", w)
	}
	if w := res.UnknownKindsWarning(); w != "" {
		fmt.Fprintf(c.stderr, "liaisondesk bundle import: warning: %s\n", w)
	}
	printHeld(c, res.Held)
	return c.printJSON(summary{res, b.Sender.String(), b.Header.Officer, *receipt})
}

func runReceipt(ctx context.Context, c *cli, args []string) error {
	pos, s, err := c.begin(ctx, flag.NewFlagSet("receipt", flag.ContinueOnError), args, "import", "FILE")
	if err != nil {
		return err
	}
	defer s.Close()
	if pos[0] != "import" {
		return usagef("unknown receipt command %q (import)", pos[0])
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return data.Op("receipt", fmt.Sprintf("import %s", pos[1]), data.FileError(err))
	}
	defer f.Close()
	rc, err := replication.ImportReceipt(ctx, s, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "recorded: %s (%s) holds %d sites' changes as of %s\n", rc.Officer, rc.Site, len(rc.Holds), rc.Created)
	return nil
}

// runQuarantine lists what a store holds for review, and releases or
// discards one author's; on a laptop's store or a hub's, either kind.
func runQuarantine(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("quarantine", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "list: print a JSON array")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("missing list, release or discard")
	}
	var names []string
	switch pos[0] {
	case "list":
	case "release", "discard":
		names = []string{"ID"}
	default:
		return usagef("unknown quarantine command %q (list, release or discard)", pos[0])
	}
	if err := wantArgs(pos[1:], names...); err != nil {
		return err
	}
	s, err := c.openReviewKeeper(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	switch pos[0] {
	case "release":
		res, err := s.ReleaseQuarantine(ctx, pos[1])
		if err != nil {
			return err
		}
		return c.printJSON(res)
	case "discard":
		n, err := s.DiscardQuarantine(ctx, pos[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "discarded %d changes\n", n)
		return nil
	}
	q, err := s.Quarantine(ctx)
	if err != nil {
		return err
	}
	return c.printQuarantine(q, *asJSON)
}

// printQuarantine prints what is held for review (quarantine list), of a
// laptop's store or a hub's.
func (c *cli) printQuarantine(q []data.QuarantineEntry, asJSON bool) error {
	if asJSON {
		return c.printJSON(q)
	}
	if len(q) == 0 {
		fmt.Fprintln(c.stdout, "nothing held for review")
		return nil
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tOFFICER\tREASON\tSEQS\tCHANGES\tRECORDS\tRELAYED BY\tRECEIVED\tWHY")
	for _, e := range q {
		officer := cell(e.Officer)
		if e.Claimed {
			officer += " (claimed by the relaying peer)"
		}
		reason := e.Reason
		if e.Conflict {
			reason += ", conflict" // another version of these changes is held or applied
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d-%d\t%d\t%d\t%s\t%s\t%s\n", e.Author, officer, reason, e.FirstSeq, e.LastSeq,
			e.Changes, e.Records, e.Sender, e.ReceivedAt, cell(e.Detail))
	}
	return tw.Flush()
}

// printHeld names, on stderr, what an import held for review and why,
// beside the summary on stdout.
func printHeld(c *cli, held []data.HeldCommit) {
	for _, h := range held {
		fmt.Fprintf(c.stderr, "held for review: %s\n", h)
	}
	if len(held) > 0 {
		fmt.Fprintln(c.stderr, "the rest was applied; 'liaisondesk quarantine list' shows what is held, to release or discard")
	}
}

func runConflicts(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("conflicts", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print a JSON array, one element per conflicting field")
	_, s, err := c.begin(ctx, fs, args)
	if err != nil {
		return err
	}
	defer s.Close()
	cs, err := s.Conflicts(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(cs)
	}
	if len(cs) == 0 {
		fmt.Fprintln(c.stdout, "no conflicts")
		return nil
	}
	for _, cf := range cs {
		fmt.Fprintf(c.stdout, "%s %s  field %s\n", cf.Kind, cf.ID, cf.Field)
		if cf.Note != "" {
			fmt.Fprintf(c.stdout, "  %s\n", cf.Note)
		}
		for _, v := range cf.Values {
			shown := ""
			if v.Shown {
				shown = "  (shown)"
			}
			fmt.Fprintf(c.stdout, "  %s  %s  %s (device %s)  %s%s\n", v.Change, v.At, v.Officer, v.Device, v.Value, shown)
		}
	}
	fmt.Fprintln(c.stdout, "resolve with: liaisondesk resolve KIND ID FIELD (--value V | --keep CHANGE_ID)")
	return nil
}

func runResolve(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("resolve", flag.ContinueOnError)
	value := fs.String("value", "", "the value to settle on (text as typed; JSON for numbers, lists, true/false)")
	keep := fs.String("keep", "", "the change id of the competing value to keep")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, "KIND", "ID", "FIELD"); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["value"] == set["keep"] {
		return usagef("give exactly one of --value V or --keep CHANGE_ID")
	}
	var raw []byte
	if set["value"] {
		if raw, err = store.FieldValue(data.Kind(pos[0]), pos[2], *value); err != nil {
			return err
		}
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Resolve(ctx, data.Kind(pos[0]), pos[1], pos[2], raw, *keep); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "resolved %s %s %s\n", pos[0], pos[1], pos[2])
	return nil
}

func runDigest(ctx context.Context, c *cli, args []string) error {
	_, s, err := c.begin(ctx, flag.NewFlagSet("digest", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := s.Digest(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, d)
	return nil
}

// runHub creates a hub's store, or serves sync over HTTP(S).
func runHub(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("hub", flag.ContinueOnError)
	name := fs.String("name", "", "init: the hub's name")
	posting := fs.String("posting", data.HQPostingID, "init: the posting the hub serves (IHQ, New Delhi)")
	listen := fs.String("listen", "", "serve on ADDR (host:port)")
	cert := fs.String("tls-cert", "", "serve: TLS certificate file (PEM)")
	key := fs.String("tls-key", "", "serve: TLS private key file (PEM)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		if pos[0] != "init" {
			return usagef("unknown hub command %q (init, or --listen ADDR to serve)", pos[0])
		}
		if err := wantArgs(pos[1:]); err != nil {
			return err
		}
		if *name == "" {
			return usagef("hub init needs --name NAME")
		}
		if data.IsDatabaseURL(c.dbPath) {
			return c.initHubDB(ctx, data.Officer{Name: *name, Rank: hubRank, Posting: *posting})
		}
		return c.initStore(ctx, data.Officer{Name: *name, Rank: hubRank, Posting: *posting}, "hub")
	}
	if *listen == "" {
		return usagef("give --listen ADDR to serve, or use hub init --name NAME")
	}
	if (*cert == "") != (*key == "") {
		return usagef("give both --tls-cert and --tls-key, or neither")
	}
	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		return usagef("--listen %q is not host:port", *listen)
	}
	if *cert == "" {
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			where := host
			if where == "" {
				where = "all interfaces"
			}
			return usagef("plain HTTP is only for loopback (tests): give --tls-cert and --tls-key to listen on %s", where)
		}
	}
	if _, err := os.Stat(c.dbPath); err != nil && !data.IsDatabaseURL(c.dbPath) {
		return fmt.Errorf("no hub store at %s: create one with 'liaisondesk --db %s hub init --name NAME'", c.dbPath, c.dbPath)
	}
	s, closeHub, err := c.openHubReplica(ctx)
	if err != nil {
		return err
	}
	defer closeHub()
	if s, ok := s.(*store.Store); ok && !s.IsHub() && madeByHubInit(s) {
		// A hub's store an older version made: from now on it builds no
		// records. A laptop's store that serves keeps them for its officer.
		if err := s.MarkHub(ctx); err != nil {
			return data.Op("hub", "", err)
		}
	}
	// Structured logs on stderr (journald takes them as they are); the
	// first line on stdout says where it serves.
	hub := &replication.Hub{R: s, Log: slog.New(slog.NewTextHandler(c.stderr, nil))}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return data.Op("hub", "", err)
	}
	// Connections beyond the cap wait in the listen queue; deadlines cut
	// slow strangers and slow bodies (replication.DefaultLimits).
	ln = hub.Listener(ln)
	scheme := "http"
	if *cert != "" {
		scheme = "https"
	}
	id, _ := s.Identity(ctx)
	fmt.Fprintf(c.stdout, "hub %s serving on %s://%s\nidentity: %s\n", id.Officer, scheme, ln.Addr(), id)
	// SIGTERM or Ctrl-C ends ctx: the syncs under way finish (or, past
	// the drain, roll back) before the store closes.
	if err := hub.Serve(ctx, ln, *cert, *key); err != nil {
		return data.Op("hub", "", err)
	}
	return nil
}

// hubRank is the rank hub init gives a hub's identity.
const hubRank = "Hub"

// madeByHubInit says whether hub init made the store.
func madeByHubInit(s *store.Store) bool {
	dev, err := s.Device()
	return err == nil && dev.Rank == hubRank
}

// runSync pushes to and pulls from a hub.
func runSync(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	hubURL := fs.String("hub", "", "the hub's URL, e.g. https://hub.example:8443")
	ca := fs.String("ca", "", "a CA certificate (PEM) to trust for the hub, e.g. its self-signed one")
	_, s, err := c.begin(ctx, fs, args)
	if err != nil {
		return err
	}
	defer s.Close()
	if *hubURL == "" {
		return usagef("sync needs --hub URL")
	}
	client, err := replication.HubClient(*ca)
	if err != nil {
		return data.Op("sync", "", fmt.Errorf("--ca: %w", err))
	}
	res, err := replication.SyncHub(ctx, s, *hubURL, client)
	if err != nil {
		return data.Op("sync", "", explainSync(err))
	}
	if res.Note != "" {
		fmt.Fprintln(c.stderr, "sync: "+res.Note)
	}
	if w := res.Pulled.UnknownKindsWarning(); w != "" {
		fmt.Fprintln(c.stderr, "liaisondesk sync: warning: "+w)
	}
	return c.printJSON(res)
}

// explainSync adds what to type to a hub's refusal of this laptop, or to
// a hub certificate this laptop does not trust.
func explainSync(err error) error {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	if he, ok := err.(*replication.HubError); ok && he.Status == http.StatusForbidden {
		return hubRefused{he}
	}
	switch {
	case errors.As(err, &unknown):
		return fmt.Errorf("%w (the hub's certificate is not signed by an authority this laptop trusts: get the certificate from the hub's operator and give it with --ca FILE, or 'Hub certificate…' in the window)", err)
	case errors.As(err, &invalid), errors.As(err, &host):
		return fmt.Errorf("%w (the hub's certificate is not valid for this address or has expired: check the URL with the hub's operator)", err)
	}
	return err
}

// hubRefused is a hub's 403 told with the commands that enrol this laptop
// there.
type hubRefused struct{ *replication.HubError }

func (e hubRefused) Error() string {
	return fmt.Sprintf("the hub refused this device (HTTP 403): the hub's operator must enrol this device's identity line "+
		"('liaisondesk identity' prints it) at the hub with 'liaisondesk --db HUB.db peers add NAME IDENTITY', "+
		"or check in the hub's log why it was refused (revoked?). The hub said: %s", e.Message)
}

func (e hubRefused) Unwrap() error { return e.HubError }
