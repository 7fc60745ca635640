package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"liaisondesk/data"
	"liaisondesk/data/replication"
	"liaisondesk/data/store"
)

// cli is what every headless verb gets: where the store is, and where to
// read and write.
type cli struct {
	dbPath string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// now, when set, is the clock of every store the verbs open (nil: the
	// store's own, the real one). Only tests set it, to fix "today".
	now func() time.Time
	// verb and args are the command being run: openStore unlocks the
	// store for the verbs that sign or decrypt (cli_keys.go).
	verb string
	args []string
	// passphrase is the one the store was unlocked or sealed with, for
	// a verb that encrypts to it too (backup).
	passphrase string
}

// verb is one headless command.
type verb struct {
	usage string // after "liaisondesk [--db PATH] "
	help  string
	run   func(ctx context.Context, c *cli, args []string) error
}

// verbs lists the headless commands. Each is a few lines over data/.
func verbs() map[string]verb {
	return map[string]verb{
		"init":       {"init --officer NAME --rank RANK --posting CODE", "create the store and this device's identity", runInit},
		"add":        {"add exchange|request|contact|action|document|gift|visit|accreditation [--file F] [--justify TEXT]", "add records from JSON (one object, or JSON Lines) on stdin or in F (a visit inside its posting's lead time: a warning on stderr)", runAdd},
		"posting":    {"posting add CODE --name NAME --tz ZONE [--location TEXT]", "add a posting", runPosting},
		"update":     {"update KIND ID [--file F] [--amend] [--justify TEXT]", "change the fields given as a JSON object (--amend: a final exchange; --justify: an exchange beyond the DDL)", runUpdate},
		"delete":     {"delete KIND ID", "delete a record", runDelete},
		"status":     {"status request|exchange|visit ID NEW_STATUS [--note TEXT] [--at DATE] [--date TIME]", "move a request, an exchange or a visit along its workflow (--at: when it happened; --date: a postponed exchange's new time)", runStatus},
		"show":       {"show KIND ID [--json] [--include passport,birth_date]", "show one record", runShow},
		"list":       {"list KIND [--posting P] [--status S] [--kind K] [--from DATE] [--to DATE] [--limit N] [--json] [--include passport,birth_date]", "list records (exchanges by date and requests newest first, actions soonest due, contacts by name)", runList},
		"search":     {"search QUERY [--kind K] [--limit N] [--fts] [--json]", "full-text search with snippets", runSearch},
		"history":    {"history KIND ID [--json]", "every change of a record: when, who, device, field, old → new", runHistory},
		"demo":       {"demo [--exchanges N]", "fill the store with realistic demo data", runDemo},
		"check":      {"check [--json]", "verify integrity, signatures, and tables against the change log", runCheck},
		"backup":     {"backup FILE [--to AGE_KEY[,AGE_KEY...]] [--plain]", "write a copy of the store without its keys, encrypted to the passphrase (or to --to keys such as HQ's backup key)", runBackup},
		"restore":    {"restore FILE [--identity KEYFILE] [--force]", "create the --db store from a backup (new device identity)", runRestore},
		"identity":   {"identity | identity rotate", "print this device's public identity, one line to give to peers (rotate: new keys, signed by the old)", runIdentity},
		"actions":    {"actions handover --from NAME --to NAME", "move every open or in-progress action of one owner to another, in one commit", runActions},
		"peers":      {"peers add NAME IDENTITY | peers list [--json] | peers revoke NAME", "trust, list or revoke the devices and hubs this store syncs with", runPeers},
		"bundle":     {"bundle create --to NAME[,NAME...] -o FILE [--max-size 25MB] | bundle import FILE [--receipt OUT]", "write the changes peers lack to a signed, encrypted file, or apply one (JSON summary)", runBundle},
		"receipt":    {"receipt import FILE", "record what a peer holds, from the receipt it carried back", runReceipt},
		"quarantine": {"quarantine list [--json] | quarantine release ID | quarantine discard ID", "changes relayed from unknown or revoked devices, held for review", runQuarantine},
		"conflicts":  {"conflicts [--json]", "every field edited concurrently to different values, with who/when/device", runConflicts},
		"resolve":    {"resolve KIND ID FIELD (--value V | --keep CHANGE_ID)", "settle a conflicting field", runResolve},
		"audit":      {"audit [--from DATE] [--to DATE] [--json]", "what left the system: every report, export and backup, by whom, from which device, when, marked how, to which file", runAudit},
		"digest":     {"digest", "an order-independent digest of the merged state: equal on identical replicas", runDigest},
		"hub":        {"hub init --name NAME | hub --listen ADDR [--tls-cert F --tls-key F]", "create a hub's store, or serve sync over HTTP(S)", runHub},
		"sync":       {"sync --hub URL [--ca FILE]", "push to and pull from a hub (JSON summary)", runSync},
		"org": {"org init --name NAME | org export FILE | org import FILE | org identity | org enrol IDENTITY --name NAME [--role laptop|staff|hub] [--until DATE] | org revoke NAME|SITE [--reason TEXT] | org fingerprint ORG-LINE | org trust ORG-LINE | org roster [--json]",
			"the organisation: HQ certifies and revokes devices; every device trusts the organisation once, and syncs with its certified devices without 'peers add'", runOrg},
		"report": {"report weekly|exchange|rfi|requests|command|contacts|actions|handover|documents [--from DATE] [--to DATE] [--posting P] [--id ID] [--format pdf|xlsx|csv|ics|json] [--ceiling LEVEL] [--rel USA,IND] [--attachments] -o FILE", "write a marked report (exchange --id ID: memorandum for record, PDF only; handover --attachments -o FILE.zip: with the attached files, the banner in the zip's name)", runReport},
		"export": {"export exchange|request|contact|action|document|gift|visit [--format csv|xlsx|json] [--posting P] [--from DATE] [--to DATE] [--ceiling LEVEL] [--rel USA,IND] [--include passport,birth_date] -o FILE", "write a whole table, every field but the sensitive ones (visitors' passport and date of birth: only with --include)", runExport},
		"import": {"import contact|exchange|request|document|gift|visit FILE [--dry-run] [--skip-rejected] [--format csv|xlsx]", "add records from CSV or XLSX, checked like the forms, in one transaction", runImport},

		"attach":      {"attach exchange|request|action|document ID FILE [--marking LEVEL] [--name NAME]", "attach a file (kept once per content; marked like the record unless --marking)", runAttach},
		"attachments": {"attachments KIND ID [--json]", "list a record's attachments: name, size, media type, marking, SHA-256", runAttachments},
		"detach":      {"detach KIND ID NAME|HASH", "remove an attachment from a record, by name or hash (at least 12 digits)", runDetach},
		"attachment":  {"attachment save HASH -o FILE | attachment limit [SIZE]", "write an attachment's content to a file (HASH: at least its first 12 digits), or show or set the largest file this laptop attaches (default 100MB)", runAttachment},

		"releasability": {"releasability list [--json] | releasability group NAME --nations A,B [--title T] | releasability flag NATION --reason TEXT | releasability unflag NATION",
			"releasability groups (a name such as FVEY or CMF in a record's releasability expands to its nations) and nations HQ flagged; only HQ's store sets them", runReleasability},
		"classification": {"classification list [--json] | classification add LEVEL --after LEVEL [--colour #RRGGBB]",
			"list the classification levels lowest first, or add one right after another (built-in ranks are fixed; added levels never move)", runClassification},
		"category": {"category list [--json] | category rename N NAME", "list the eight NDP-1 categories, or rename one (HQ keeps the names; the numbers are fixed)", runCategory},
		"dpas": {"dpas clocks [--json] | dpas set NAME DAYS --source TEXT",
			"show the DPAS clocks HQ may set (section, working days, source, whether HQ set them), or set one at HQ", runDPAS},
	}
}

// usageError is a mistake in how a command was typed.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// runVerb runs one headless command and returns the process exit code:
// 0 done, 1 refused or failed, 2 mistyped.
func (c *cli) runVerb(ctx context.Context, name string, args []string) int {
	if name == "help" || name == "--help" || name == "-h" {
		c.printUsage(c.stdout)
		return 0
	}
	v, ok := verbs()[name]
	if !ok {
		fmt.Fprintf(c.stderr, "liaisondesk: unknown command %q\n", name)
		c.printUsage(c.stderr)
		return 2
	}
	c.verb, c.args = name, args
	run := v.run
	if data.IsDatabaseURL(c.dbPath) { // a hub's replica in PostgreSQL (cli_pghub.go)
		run = runOnHubDB(name)
	}
	err := run(ctx, c, args)
	if err == nil {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(c.stderr, "liaisondesk %s: %v\nusage: liaisondesk [--db PATH] %s\n", name, err, v.usage)
		return 2
	}
	if store.IsBusy(err) { // in words, not SQLite's
		fmt.Fprintf(c.stderr, "liaisondesk %s: %v\n", name, data.ErrBusy)
		return 1
	}
	if store.IsDiskFull(err) {
		fmt.Fprintf(c.stderr, "liaisondesk %s: %v\n", name, data.ErrDiskFull)
		return 1
	}
	fmt.Fprintf(c.stderr, "liaisondesk %s\n", failure(name, err))
	return 1
}

// noted is an error with a remark the command line prints after its
// advice, e.g. " (nothing was added)".
type noted struct {
	err  error
	note string
}

func (e noted) Error() string { return e.err.Error() + e.note }
func (e noted) Unwrap() error { return e.err }

// failure is what a failed verb prints after "liaisondesk ": the operation
// once, what went wrong, and what to type about it.
func failure(name string, err error) string {
	note := ""
	if n, ok := err.(noted); ok { // the outermost error only
		err, note = n.err, n.note
	}
	op := name
	if o, ok := err.(*data.OpError); ok && o.Verb == name { // "bundle import: ..." names the verb already
		op, err = strings.TrimSpace(o.Verb+" "+o.Object), o.Err
	}
	return op + ": " + err.Error() + advice(err) + note
}

// advice is the command line's words for what to do about an error whose
// own message ends with the fact, or "".
func advice(err error) string {
	var backup *data.BackupAsStoreError
	var sender *data.UntrustedSenderError
	var hub *replication.UntrustedHubError
	var peer *data.PeerNotFoundError
	var ddl *data.DDLError
	var hubDB *data.HubDatabaseError
	var hubStore *data.HubStoreError
	switch {
	case errors.As(err, &ddl):
		return " (give the reason with --justify TEXT: it is kept and shown in the memorandum for record)"
	case errors.As(err, &backup):
		return fmt.Sprintf(": make a working store from it with 'liaisondesk --db NEW restore %s'", backup.Path)
	case errors.As(err, &hubDB):
		return "; with a postgres:// --db use hub init, hub --listen, identity, peers, org, quarantine, digest or check (a laptop's store is a file: --db PATH)"
	case errors.As(err, &hubStore):
		return "; on a hub's store use " + strings.Join(hubStoreVerbs(), ", ") + " (a laptop's records are in its own store: --db PATH)"
	case errors.As(err, &sender) && sender.Peer == "":
		return " (enrol it with 'liaisondesk peers add NAME IDENTITY')"
	case errors.As(err, &hub):
		return ", and enrol it with 'liaisondesk peers add hub IDENTITY'"
	case errors.As(err, &peer):
		return " (see 'liaisondesk peers list')"
	case errors.Is(err, data.ErrNotInitialised):
		return ": run 'liaisondesk init'"
	case errors.Is(err, data.ErrExists):
		return "; use --force to replace it"
	case errors.Is(err, data.ErrUnknownPosting):
		return " (add it with 'liaisondesk posting add')"
	case errors.Is(err, data.ErrWorkflowStatus):
		return "; change it with 'liaisondesk status request ID NEW_STATUS'"
	case errors.Is(err, data.ErrFinal):
		return " (liaisondesk update --amend, or Edit then Amend in the window)"
	case errors.Is(err, data.ErrNotCompeting):
		return " (see 'liaisondesk conflicts')"
	case errors.Is(err, data.ErrNotAuthorID):
		return "; see 'liaisondesk quarantine list'"
	case errors.Is(err, data.ErrAuthorKeyUnknown):
		return ": enrol it with 'liaisondesk peers add' first"
	case errors.Is(err, data.ErrTwoKeys):
		return ": enrol the device with 'liaisondesk peers add' to tell which, or discard them"
	case errors.Is(err, data.ErrTwoHistories):
		return ": enrol the device with 'liaisondesk peers add' to tell the genuine one, or discard them"
	case errors.Is(err, data.ErrNotIdentityLine):
		return " (the other device prints it with 'liaisondesk identity')"
	case errors.Is(err, data.ErrSameDeviceCode):
		return " ('liaisondesk init' on a new --db)"
	case errors.Is(err, data.ErrCloned):
		return " ('liaisondesk restore' gives it a new identity)"
	case errors.Is(err, data.ErrNotOrgLine):
		return " (HQ prints it with 'liaisondesk org identity')"
	case errors.Is(err, data.ErrNoOrgKey):
		return " (HQ makes one with 'liaisondesk org init', or moves it with 'org export' and 'org import')"
	case errors.Is(err, data.ErrDeviceCodeTaken):
		return " ('liaisondesk init' on a new --db)"
	case errors.Is(err, data.ErrNoRotation):
		return " (sync with the device first, so its rotation statement reaches this store)"
	case errors.Is(err, data.ErrTooLarge):
		return " (raise the limit with 'liaisondesk attachment limit SIZE', at most 1GB; nothing was changed)"
	case errors.Is(err, data.ErrNoContent):
		return " (sync with the device that attached it)"
	case errors.Is(err, data.ErrNotHQ):
		return " (HQ sets them with 'liaisondesk dpas set'; they reach this store by sync)"
	case errors.Is(err, data.ErrNoOrgTrusted):
		return ": run 'liaisondesk org trust ORG-LINE' with the line HQ gives you (compare its fingerprint by phone), or enrol it with 'liaisondesk peers add'"
	}
	return ""
}

func (c *cli) printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: liaisondesk [--db PATH] [--demo]          open the window")
	fmt.Fprintln(w, "       liaisondesk [--db PATH] COMMAND [ARGS]    run headless")
	fmt.Fprintf(w, "\nThe store is --db PATH, else $LIAISONDESK_DB, else %s.\n", data.DefaultPathHelp())
	fmt.Fprintf(w, "Its keys are sealed under a passphrase: the first line of the file $%s, else asked on the terminal.\n\ncommands:\n", passphraseEnv)
	vs := verbs()
	names := make([]string, 0, len(vs))
	for n := range vs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n           %s\n", n, vs[n].help, vs[n].usage)
	}
}

// parseFlags parses a verb's flags wherever they stand among its
// positional arguments ("list exchange --json" and "list --json exchange").
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, usagef("flags: %s", flagList(fs))
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func flagList(fs *flag.FlagSet) string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, "--"+f.Name) })
	return strings.Join(names, " ")
}

// wantArgs checks the number of positional arguments.
func wantArgs(pos []string, names ...string) error {
	if len(pos) < len(names) {
		return usagef("missing %s", strings.Join(names[len(pos):], " and "))
	}
	if len(pos) > len(names) {
		return usagef("unexpected argument %q", pos[len(names)])
	}
	return nil
}

// begin does what most verbs start with: parse the flags, check the
// positional arguments against their names, and open the store.
func (c *cli) begin(ctx context.Context, fs *flag.FlagSet, args []string, names ...string) ([]string, *store.Store, error) {
	pos, err := parseFlags(fs, args)
	if err != nil {
		return nil, nil, err
	}
	if err := wantArgs(pos, names...); err != nil {
		return nil, nil, err
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	return pos, s, nil
}

// openStore opens the existing store; a missing one is an error naming the
// fix, never a silently created empty store.
func (c *cli) openStore(ctx context.Context) (*store.Store, error) {
	if _, err := os.Stat(c.dbPath); err != nil {
		return nil, fmt.Errorf("no store at %s: create one with 'liaisondesk init' (or give --db PATH)", c.dbPath)
	}
	if store.IsEncryptedBackup(c.dbPath) {
		return nil, fmt.Errorf("%s: %w: make a working store from it with 'liaisondesk --db NEW restore %[1]s'", c.dbPath, data.ErrBackupStore)
	}
	s, err := store.Open(ctx, c.dbPath)
	if err != nil {
		return nil, err
	}
	if c.now != nil {
		s.Now = c.now
	}
	if err := s.CheckWorking(); err != nil {
		s.Close()
		return nil, err
	}
	if !s.Initialised() {
		s.Close()
		return nil, fmt.Errorf("store %s: %w", c.dbPath, data.ErrNotInitialised)
	}
	if s.IsHub() && !slices.Contains(hubStoreVerbs(), c.verb) {
		s.Close()
		return nil, &data.HubStoreError{Path: c.dbPath, Verb: c.verb}
	}
	if needsKeys(c.verb, c.args) {
		if err := c.unlock(ctx, s); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// hubStoreVerbs are the verbs that work on a hub's store, which relays
// the log and holds no records (data/store/hub.go).
func hubStoreVerbs() []string {
	return []string{"hub", "identity", "peers", "org", "quarantine", "digest", "check", "backup", "bundle", "receipt", "sync", "audit"}
}

// printJSON writes exactly one JSON document.
func (c *cli) printJSON(v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// readInput reads a verb's JSON input from --file or stdin.
func (c *cli) readInput(file string) (io.ReadCloser, error) {
	if file == "" || file == "-" {
		return io.NopCloser(c.stdin), nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, data.FileError(err))
	}
	return f, nil
}
