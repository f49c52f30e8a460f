package store

import (
	"os"
	"syscall"
)

// lockHolderPID finds the pid holding an flock on path in /proc/locks, or 0.
func lockHolderPID(path string) int {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0
	}
	f, err := os.Open("/proc/locks")
	if err != nil {
		return 0
	}
	defer f.Close()
	return parseLocks(f, linuxFileID(uint64(st.Dev), uint64(st.Ino)))
}
