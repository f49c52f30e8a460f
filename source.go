package redline

import (
	"fmt"
	"regexp"
	"time"
)

// SourceKind tells the crawler what a source serves and the parser how to read it.
type SourceKind string

// The kinds of source redline knows.
const (
	// KindHTML is an HTML page such as a EUR-Lex TXT/HTML rendering.
	KindHTML SourceKind = "html"
	// KindXHTML is XHTML served by Cellar or EUR-Lex (CONVEX markup).
	KindXHTML SourceKind = "xhtml"
	// KindPDF is a PDF document (Commission proposals, Council documents).
	KindPDF SourceKind = "pdf"
	// KindRegister is a register or procedure page: a dossier timeline, not legal text.
	KindRegister SourceKind = "register"
)

// Valid reports whether k is one of the known kinds.
func (k SourceKind) Valid() bool {
	switch k {
	case KindHTML, KindXHTML, KindPDF, KindRegister:
		return true
	}
	return false
}

// sourceIDPattern is the shape of a source id: it appears in URLs and on the command line.
var sourceIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// ValidSourceID reports whether id may be used as a source id ([a-z0-9-]+, not starting with '-').
func ValidSourceID(id string) bool { return sourceIDPattern.MatchString(id) }

// Source is one document or register page that redline watches.
type Source struct {
	// ID is unique, made of [a-z0-9-], and used in URLs, logs and the CLI.
	ID string
	// Name is what a campaigner calls the document.
	Name string
	// URL is fetched on every check; redirects are followed.
	URL string
	// Kind tells what the URL serves.
	Kind SourceKind
	// Schedule is a five-field cron spec, optionally prefixed by CRON_TZ=Zone.
	Schedule string
	// Selector is an optional CSS selector for the root of the text in an HTML page.
	Selector string
	// Marker is an optional phrase a good body must contain; a body without it
	// is treated as a block or error page.
	Marker string
	// Freshness is how long the source may go without a successful check
	// before it is reported as failing; zero disables the check.
	Freshness time.Duration
	// Headers are sent with every request for this source (e.g. Accept-Language).
	Headers map[string]string
}

// String names the source for logs and errors.
func (s Source) String() string { return fmt.Sprintf("source %q", s.ID) }
