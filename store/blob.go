package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"go.etcd.io/bbolt"

	"github.com/redline-watch/redline"
)

// Blob returns the content stored under a SHA-256 hex digest. It fails with
// redline.ErrNotFound for an unknown digest and with an error naming the
// digest when the stored bytes do not decompress to content of that digest.
func (s *Store) Blob(ctx context.Context, hash string) ([]byte, error) {
	if !validHash(hash) {
		return nil, fmt.Errorf("read blob %q: not a lowercase SHA-256 hex digest", hash)
	}
	var out []byte
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		z := tx.Bucket(bucketBlobs).Get([]byte(hash))
		if z == nil {
			return redline.ErrNotFound
		}
		// DecodeAll writes into a new slice (sized from the frame header),
		// so nothing refers to the mmap after the transaction.
		var err error
		if out, err = s.dec.DecodeAll(z, nil); err != nil {
			return fmt.Errorf("corrupt: decompress: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", hash, err)
	}
	if out == nil {
		out = []byte{}
	}
	if got := hashOf(out); got != hash {
		return nil, fmt.Errorf("read blob %s: corrupt: content hashes to %s", hash, got)
	}
	return out, nil
}

// blobPut is one blob a check wants stored.
type blobPut struct {
	hash string
	data []byte
	// z is the compressed data, filled before the write transaction when
	// the blob was missing, so compression does not hold the writer lock.
	z []byte
}

// addBlob appends data to puts unless a blob with the same hash is already there.
func addBlob(puts []blobPut, hash string, data []byte) []blobPut {
	for _, p := range puts {
		if p.hash == hash {
			return puts
		}
	}
	return append(puts, blobPut{hash: hash, data: data})
}

// putBlob stores p unless its hash is already stored.
func (s *Store) putBlob(b *bbolt.Bucket, p *blobPut) error {
	key := []byte(p.hash)
	if b.Get(key) != nil {
		return nil
	}
	if p.z == nil {
		p.z = s.enc.EncodeAll(p.data, nil)
	}
	if err := b.Put(key, p.z); err != nil {
		return fmt.Errorf("put blob %s: %w", p.hash, err)
	}
	return nil
}

// hashOf returns the lowercase SHA-256 hex digest of data.
func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// validHash reports whether h looks like a lowercase SHA-256 hex digest.
func validHash(h string) bool {
	if len(h) != sha256.Size*2 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// seqKey encodes a sequence number as a big-endian key, so keys sort by number.
func seqKey(n uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), n)
}

// seqOf decodes a key written by seqKey; malformed keys give 0.
func seqOf(k []byte) uint64 {
	if len(k) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(k)
}
