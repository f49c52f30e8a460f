//go:build !linux

package store

// lockHolderPID returns 0: only Linux exposes lock holders in /proc/locks.
func lockHolderPID(string) int { return 0 }
