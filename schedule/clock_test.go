package schedule_test

import (
	"testing"
	"time"

	"github.com/redline-watch/redline/schedule"
)

func fired(tm schedule.Timer) (time.Time, bool) {
	select {
	case at := <-tm.C():
		return at, true
	default:
		return time.Time{}, false
	}
}

func TestFakeClock(t *testing.T) {
	c := schedule.NewFakeClock(t0)
	soon := c.NewTimer(time.Minute)
	late := c.NewTimer(time.Hour)
	stopped := c.NewTimer(time.Second)
	c.BlockUntil(3)

	if !stopped.Stop() {
		t.Error("Stop of a waiting timer returned false")
	}
	if stopped.Stop() {
		t.Error("second Stop returned true")
	}
	c.BlockUntil(2)

	c.Advance(59 * time.Second)
	if _, ok := fired(soon); ok {
		t.Error("timer fired a second early")
	}
	c.Advance(2 * time.Second)
	if at, ok := fired(soon); !ok || !at.Equal(t0.Add(61*time.Second)) {
		t.Errorf("timer due at 1m: fired=%v at %s, want the time of Advance", ok, at)
	}
	if soon.Stop() {
		t.Error("Stop of a fired timer returned true")
	}
	if _, ok := fired(late); ok {
		t.Error("timer due in an hour fired")
	}
	if _, ok := fired(stopped); ok {
		t.Error("stopped timer fired")
	}
	c.BlockUntil(1)
	if got, want := c.Now(), t0.Add(61*time.Second); !got.Equal(want) {
		t.Errorf("Now = %s, want %s", got, want)
	}

	now := c.NewTimer(0)
	if at, ok := fired(now); !ok || !at.Equal(c.Now()) {
		t.Errorf("timer of 0: fired=%v at %s, want at once", ok, at)
	}
	c.BlockUntil(1)
}

func TestFakeClockBlockUntil(t *testing.T) {
	c := schedule.NewFakeClock(t0)
	armed := make(chan schedule.Timer)
	go func() { armed <- c.NewTimer(time.Minute) }()
	c.BlockUntil(1)
	c.Advance(time.Minute)
	tm := <-armed
	if _, ok := fired(tm); !ok {
		t.Error("timer made before BlockUntil returned did not fire on Advance")
	}
}

func TestRealClock(t *testing.T) {
	c := schedule.RealClock()
	before := time.Now()
	if now := c.Now(); now.Before(before) {
		t.Errorf("Now = %s, before %s", now, before)
	}
	tm := c.NewTimer(0)
	if at := <-tm.C(); at.Before(before) {
		t.Errorf("timer fired at %s, before %s", at, before)
	}
	if c.NewTimer(time.Hour).Stop() != true {
		t.Error("Stop of a waiting real timer returned false")
	}
}
