package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

// versionString names the build: the release, or the VCS revision for builds from a checkout.
func versionString() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	return v
}

func cmdVersion(_ context.Context, args []string, env *Env) int {
	fs := flagSet(env, "version", "", "Print the version of redline and of Go it was built with.")
	if code, ok := parseNoArgs(fs, args); !ok {
		return code
	}
	fmt.Fprintf(env.Stdout, "redline %s (%s %s/%s)\n", versionString(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}
