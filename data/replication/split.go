package replication

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/google/uuid"

	"liaisondesk/data"
)

// A bundle too large for a mail or a USB limit is split into numbered
// parts FILE.1, FILE.2, …, each at most the limit. A part is a slice of
// the encrypted bundle after a small plain header saying which part of
// which split it is; nothing in it is readable without the bundle's key,
// and the bundle reassembled is verified as any other. Parts import in any
// order: each is kept beside the store until the last arrives.
const partMagic = "liaisondesk-part-v1\n"

// MinPartSize is the smallest part limit: room for the header and data.
const MinPartSize = 4 << 10

// PartHeader says which part of which split a file is.
type PartHeader struct {
	Split string `json:"split"` // UUIDv7, the same in every part
	Part  int    `json:"part"`  // from 1
	Parts int    `json:"parts"`
	Size  int64  `json:"size"` // this part's slice of the bundle, in bytes
}

// SplitBundle cuts the bundle read from src (size bytes) into parts of at
// most max bytes each, written atomically to dest.1, dest.2, …; it returns
// their paths.
func SplitBundle(src io.Reader, size, max int64, dest string) ([]string, error) {
	if max < MinPartSize {
		return nil, data.Invalid("max-size", "must be at least %s", data.FormatSize(MinPartSize))
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	// The header's length is bounded: the largest part number and count.
	room := max - int64(len(partMagic)+4+len(mustPartJSON(PartHeader{Split: id.String(), Part: 1 << 30, Parts: 1 << 30, Size: max})))
	parts := int((size + room - 1) / room)
	if parts == 0 {
		parts = 1
	}
	var paths []string
	for i := 1; i <= parts; i++ {
		n := min(room, size-int64(i-1)*room)
		h := mustPartJSON(PartHeader{Split: id.String(), Part: i, Parts: parts, Size: n})
		path := dest + "." + strconv.Itoa(i)
		err := data.WriteFileAtomic(path, 0o600, func(w io.Writer) error {
			var l [4]byte
			binary.BigEndian.PutUint32(l[:], uint32(len(h)))
			if _, err := io.WriteString(w, partMagic); err != nil {
				return err
			}
			w.Write(l[:])
			w.Write(h)
			got, err := io.Copy(w, io.LimitReader(src, n))
			if err == nil && got != n {
				err = fmt.Errorf("the bundle ended early")
			}
			return err
		})
		if err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

func mustPartJSON(h PartHeader) []byte {
	b, _ := json.Marshal(h)
	return b
}

// IsPart says whether a file is a part of a split bundle.
func IsPart(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len(partMagic))
	_, err = io.ReadFull(f, head)
	return err == nil && string(head) == partMagic
}

// readPartHeader reads a part's header; r is then at its slice.
func readPartHeader(r io.Reader) (PartHeader, error) {
	var h PartHeader
	head := make([]byte, len(partMagic)+4)
	if _, err := io.ReadFull(r, head); err != nil || !bytes.HasPrefix(head, []byte(partMagic)) {
		return h, refusedf("this is not a part of a split bundle")
	}
	n := binary.BigEndian.Uint32(head[len(partMagic):])
	if n > 4096 {
		return h, refusedf("the part's header is malformed")
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return h, refusedf("the part is truncated")
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return h, refusedf("the part's header is malformed")
	}
	if _, err := uuid.Parse(h.Split); err != nil || h.Part < 1 || h.Parts < h.Part || h.Parts > 1<<20 || h.Size < 0 || h.Size > maxPush {
		return h, refusedf("the part's header is malformed")
	}
	return h, nil
}

// PartsWaiting is a part kept until the rest of its split arrives.
type PartsWaiting struct {
	Part    int   `json:"part"`
	Parts   int   `json:"parts"`
	Missing []int `json:"missing"`
}

// ImportPart keeps a part of a split bundle in staging, a folder beside
// the store (owner-only; the parts are ciphertext). Once every part of its
// split is there, it imports the bundle they make, streamed from the
// parts in order, and removes them; until then it says what is missing.
func ImportPart(ctx context.Context, r Replica, staging, path string) (*PartsWaiting, data.ImportResult, *Bundle, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, data.ImportResult{}, nil, data.FileError(err)
	}
	defer f.Close()
	h, err := readPartHeader(f)
	if err != nil {
		return nil, data.ImportResult{}, nil, data.Op("bundle", "import", err)
	}
	dir := filepath.Join(staging, h.Split)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, data.ImportResult{}, nil, err
	}
	slice := filepath.Join(dir, strconv.Itoa(h.Part))
	err = data.WriteFileAtomic(slice, 0o600, func(w io.Writer) error {
		n, err := io.Copy(w, io.LimitReader(f, h.Size))
		if err == nil && n != h.Size {
			err = refusedf("part %d is truncated", h.Part)
		}
		return err
	})
	if err != nil {
		return nil, data.ImportResult{}, nil, data.Op("bundle", "import", err)
	}
	var missing []int
	for i := 1; i <= h.Parts; i++ {
		if _, err := os.Stat(filepath.Join(dir, strconv.Itoa(i))); err != nil {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		return &PartsWaiting{Part: h.Part, Parts: h.Parts, Missing: missing}, data.ImportResult{}, nil, nil
	}
	res, b, err := importStaged(ctx, r, dir, h.Parts)
	if err != nil {
		return nil, res, b, err
	}
	os.RemoveAll(dir) // imported: the parts are no longer needed
	return nil, res, b, nil
}

// importStaged imports the bundle a split's parts make, read in order.
func importStaged(ctx context.Context, r Replica, dir string, parts int) (data.ImportResult, *Bundle, error) {
	var files []io.Reader
	for i := 1; i <= parts; i++ {
		pf, err := os.Open(filepath.Join(dir, strconv.Itoa(i)))
		if err != nil {
			return data.ImportResult{}, nil, err
		}
		defer pf.Close()
		files = append(files, pf)
	}
	return ImportBundle(ctx, r, bufio.NewReaderSize(io.MultiReader(files...), 1<<20))
}
