package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"liaisondesk/data"
	"liaisondesk/data/replication"
	"liaisondesk/data/store"
)

// runAttach attaches a file to an exchange, a request or an action.
func runAttach(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("attach", flag.ContinueOnError)
	var o store.AttachOptions
	fs.StringVar(&o.Classification, "marking", "", "the attachment's classification (default: the record's)")
	fs.StringVar(&o.Name, "name", "", "the name it is listed under (default: the file's)")
	pos, s, err := c.begin(ctx, fs, args, "KIND", "ID", "FILE")
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := s.Attach(ctx, data.Kind(pos[0]), pos[1], pos[2], o)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "attached %s (%s, %s) as %s, sha256 %s\n", a.Name, data.FormatSize(a.Size), a.MediaType, a.Classification, a.SHA256)
	return nil
}

// runAttachments lists a record's attachments.
func runAttachments(ctx context.Context, c *cli, args []string) error {
	fs := flag.NewFlagSet("attachments", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print a JSON array: name, size, media_type, sha256, marking")
	pos, s, err := c.begin(ctx, fs, args, "KIND", "ID")
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.Attachments(ctx, data.Kind(pos[0]), pos[1])
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]data.AttachmentMeta, len(list))
		for i := range list {
			out[i] = list[i].Meta()
		}
		return c.printJSON(out)
	}
	if len(list) == 0 {
		fmt.Fprintln(c.stdout, "no attachments")
		return nil
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSIZE\tTYPE\tMARKING\tSHA256")
	for _, a := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Name, data.FormatSize(a.Size), a.MediaType, a.Classification, a.SHA256[:data.MinHashPrefix])
	}
	return tw.Flush()
}

// runDetach removes an attachment from a record, by name or hash.
func runDetach(ctx context.Context, c *cli, args []string) error {
	pos, s, err := c.begin(ctx, flag.NewFlagSet("detach", flag.ContinueOnError), args, "KIND", "ID", "NAME|HASH")
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := s.Detach(ctx, data.Kind(pos[0]), pos[1], pos[2])
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "detached %s\n", a.Name)
	return nil
}

// runAttachment saves an attachment's content to a file, or reads or sets
// the limit on what this laptop attaches.
func runAttachment(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 {
		return usagef("give save or limit")
	}
	switch args[0] {
	case "save":
		fs := flag.NewFlagSet("attachment save", flag.ContinueOnError)
		out := fs.String("o", "", "the file to write")
		pos, err := parseFlags(fs, args[1:])
		if err != nil {
			return err
		}
		if err := wantArgs(pos, "HASH"); err != nil {
			return err
		}
		if *out == "" {
			return usagef("-o FILE is required")
		}
		s, err := c.openStore(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		sum, err := s.SaveAttachment(ctx, pos[0], *out)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "wrote %s (sha256 %s)\n", *out, sum)
		return nil
	case "limit":
		pos, err := parseFlags(flag.NewFlagSet("attachment limit", flag.ContinueOnError), args[1:])
		if err != nil {
			return err
		}
		if len(pos) > 1 {
			return usagef("unexpected argument %q", pos[1])
		}
		s, err := c.openStore(ctx)
		if err != nil {
			return err
		}
		defer s.Close()
		if len(pos) == 1 {
			n, err := parseSize(pos[0])
			if err != nil {
				return err
			}
			if err := s.SetAttachLimit(ctx, n); err != nil {
				return err
			}
		}
		n, err := s.AttachLimit(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "this laptop attaches files up to %s\n", data.FormatSize(n))
		return nil
	}
	return usagef("unknown subcommand %q: give save or limit", args[0])
}

// parseSize reads a size as people write it: 25MB, 1GB, 512KB, 1000.
func parseSize(s string) (int64, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, unit := range []struct {
		suffix string
		mult   int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(u, unit.suffix) {
			u, mult = strings.TrimSpace(strings.TrimSuffix(u, unit.suffix)), unit.mult
			break
		}
	}
	n, err := strconv.ParseInt(u, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, usagef("%q is not a size (e.g. 100MB, 1GB)", s)
	}
	return n * mult, nil
}

// createSplit writes a bundle to a temporary file beside out, then splits
// it into out.1, out.2, … of at most max each, and removes the whole.
func createSplit(ctx context.Context, c *cli, s *store.Store, peers []data.Peer, max, out string) error {
	limit, err := parseSize(max)
	if err != nil {
		return err
	}
	if limit < replication.MinPartSize {
		return usagef("--max-size must be at least %s", data.FormatSize(replication.MinPartSize))
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".whole-*")
	if err != nil {
		return data.Op("bundle", "create", data.FileError(err))
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	res, err := replication.WriteBundle(ctx, s, peers, tmp)
	if err != nil {
		return data.Op("bundle", "create", err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return data.Op("bundle", "create", err)
	}
	parts, err := replication.SplitBundle(bufio.NewReaderSize(tmp, 1<<20), res.Bytes, limit, out)
	if err != nil {
		for _, p := range parts {
			os.Remove(p)
		}
		return data.Op("bundle", "create", err)
	}
	return c.printJSON(struct {
		replication.CreateResult
		Parts []string `json:"parts"`
	}{res, parts})
}
