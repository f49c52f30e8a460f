package store_test

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/redline-watch/redline"
	"github.com/redline-watch/redline/store"
)

// startChild re-executes the test binary in the given role on path.
func startChild(t *testing.T, role, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"="+role, envPath+"="+path)
	cmd.Stderr = &strings.Builder{}
	return cmd
}

func TestOpenLockedByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "redline.db")
	child := startChild(t, "hold", path)
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	waited := false
	defer func() {
		if !waited { // a failed assertion left the holder running
			stdin.Close()
			_ = child.Wait()
		}
	}()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
		stdin.Close()
		waited = true
		werr := child.Wait()
		t.Fatalf("holder said %q, %v; exit %v: %s", line, err, werr, child.Stderr)
	}

	pid := child.Process.Pid
	for _, opts := range []store.Options{
		{Timeout: 100 * time.Millisecond},
		{Timeout: 100 * time.Millisecond, ReadOnly: true},
	} {
		t.Run(fmt.Sprintf("read-only=%v", opts.ReadOnly), func(t *testing.T) {
			s, err := store.Open(t.Context(), path, opts)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded while another process holds the file")
			}
			if !errors.Is(err, redline.ErrLocked) {
				t.Errorf("error %v does not wrap redline.ErrLocked", err)
			}
			var locked *store.LockedError
			if !errors.As(err, &locked) {
				t.Fatalf("error %T is not a *store.LockedError", err)
			}
			want := fmt.Sprintf(`database %q is in use by a running redline (pid %d); use the HTTP API or "redline backup"`, path, pid)
			if runtime.GOOS != "linux" {
				want = fmt.Sprintf(`database %q is in use by a running redline; use the HTTP API or "redline backup"`, path)
			}
			if err.Error() != want {
				t.Errorf("error = %s\nwant    %s", err, want)
			}
		})
	}

	// Once the holder is gone, the file opens.
	stdin.Close()
	waited = true
	if err := child.Wait(); err != nil {
		t.Fatalf("holder: %v: %s", err, child.Stderr)
	}
	s, err := store.Open(t.Context(), path, store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatalf("Open after the holder exited: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestLockedErrorWithoutPID(t *testing.T) {
	err := &store.LockedError{Path: "/var/lib/redline/redline.db"}
	want := `database "/var/lib/redline/redline.db" is in use by a running redline; use the HTTP API or "redline backup"`
	if err.Error() != want || !errors.Is(err, redline.ErrLocked) {
		t.Errorf("error = %s (wraps ErrLocked: %v), want %s", err, errors.Is(err, redline.ErrLocked), want)
	}
}
