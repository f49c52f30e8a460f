package store

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/redline-watch/redline"
)

// LockedError says that another process holds the database file. It wraps
// redline.ErrLocked.
type LockedError struct {
	// Path is the database file.
	Path string
	// PID is the process holding the lock, or 0 when it cannot be found.
	PID int
}

// Error implements error.
func (e *LockedError) Error() string {
	holder := "a running redline"
	if e.PID > 0 {
		holder = fmt.Sprintf("a running redline (pid %d)", e.PID)
	}
	return fmt.Sprintf("database %q is in use by %s; use the HTTP API or \"redline backup\"", e.Path, holder)
}

// Unwrap returns redline.ErrLocked.
func (e *LockedError) Unwrap() error { return redline.ErrLocked }

// fileID names a file the way /proc/locks does: device major and minor
// numbers and inode.
type fileID struct {
	major, minor uint64
	ino          uint64
}

// linuxFileID splits a Linux dev_t into major and minor numbers (the glibc
// encoding also used by golang.org/x/sys/unix.Major and Minor).
func linuxFileID(dev, ino uint64) fileID {
	major := (dev&0x00000000000fff00)>>8 | (dev&0xfffff00000000000)>>32
	minor := dev&0x00000000000000ff | (dev&0x00000ffffff00000)>>12
	return fileID{major: major, minor: minor, ino: ino}
}

// parseLocks returns the pid of the first process holding an flock on the
// file id, reading /proc/locks lines such as
//
//	1: FLOCK  ADVISORY  WRITE 12345 08:01:1234567 0 EOF
//
// Waiters ("1: -> FLOCK ...") are skipped. It returns 0 when none matches.
func parseLocks(r io.Reader, id fileID) int {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 6 || f[1] != "FLOCK" {
			continue
		}
		dev := strings.Split(f[5], ":")
		if len(dev) != 3 {
			continue
		}
		major, err1 := strconv.ParseUint(dev[0], 16, 32)
		minor, err2 := strconv.ParseUint(dev[1], 16, 32)
		ino, err3 := strconv.ParseUint(dev[2], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || (fileID{major, minor, ino}) != id {
			continue
		}
		if pid, err := strconv.Atoi(f[4]); err == nil && pid > 0 {
			return pid
		}
	}
	return 0
}
