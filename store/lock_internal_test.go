package store

import (
	"strings"
	"testing"
)

func TestParseLocks(t *testing.T) {
	id := fileID{major: 0xfe, minor: 0, ino: 9978589}
	tests := []struct {
		name  string
		locks string
		want  int
	}{
		{"holder", "1: FLOCK  ADVISORY  WRITE 9109 fe:00:9978589 0 EOF\n", 9109},
		{"shared holder", "3: FLOCK  ADVISORY  READ 42 fe:00:9978589 0 EOF\n", 42},
		{"waiter skipped", "1: FLOCK  ADVISORY  WRITE 77 fe:00:9978589 0 EOF\n1: -> FLOCK  ADVISORY  WRITE 88 fe:00:9978589 0 EOF\n", 77},
		{"only waiter", "1: -> FLOCK  ADVISORY  WRITE 88 fe:00:9978589 0 EOF\n", 0},
		{"other inode", "1: FLOCK  ADVISORY  WRITE 9109 fe:00:9978588 0 EOF\n", 0},
		{"other device", "1: FLOCK  ADVISORY  WRITE 9109 08:01:9978589 0 EOF\n", 0},
		{"posix lock ignored", "1: POSIX  ADVISORY  WRITE 9109 fe:00:9978589 0 EOF\n", 0},
		{"ofd lock without pid", "1: OFDLCK ADVISORY  WRITE -1 fe:00:9978589 0 EOF\n", 0},
		{"pid hidden by namespace", "1: FLOCK  ADVISORY  WRITE 0 fe:00:9978589 0 EOF\n", 0},
		{"garbage", "nonsense\n\n1: FLOCK ADVISORY WRITE x fe:zz:1 0 EOF\n", 0},
		{"second line", "1: POSIX  ADVISORY  WRITE 5 08:01:12 0 EOF\n2: FLOCK  ADVISORY  WRITE 6 fe:00:9978589 0 EOF\n", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseLocks(strings.NewReader(tt.locks), id); got != tt.want {
				t.Errorf("parseLocks = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestLinuxFileID(t *testing.T) {
	tests := []struct {
		name         string
		dev          uint64
		major, minor uint64
	}{
		{"virtio disk", 0xfe00, 0xfe, 0},
		{"sda1", 0x0801, 8, 1},
		{"large minor", 0x0000_0000_1230_0a05, 0x0a, 0x12305},
		{"large major", 0x0000_1000_0000_0100, 0x1001, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := linuxFileID(tt.dev, 7)
			if got != (fileID{tt.major, tt.minor, 7}) {
				t.Errorf("linuxFileID(%#x) = %+v, want major %#x minor %#x", tt.dev, got, tt.major, tt.minor)
			}
		})
	}
}
