//go:build tools

// Package deps pins the module's dependencies while packages that use them
// are being written; it is never built.
package deps

import (
	_ "github.com/PuerkitoBio/goquery"
	_ "github.com/goccy/go-yaml"
	_ "github.com/gocolly/colly/v2"
	_ "github.com/klauspost/compress/zstd"
	_ "github.com/ledongthuc/pdf"
	_ "github.com/robfig/cron/v3"
	_ "github.com/sergi/go-diff/diffmatchpatch"
	_ "go.etcd.io/bbolt"
	_ "golang.org/x/net/html"
	_ "golang.org/x/text/unicode/norm"
)
