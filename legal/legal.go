// Package legal turns the bytes of a fetched EU legal document into a
// Document: an ordered, parent-linked list of provisions (title, citations,
// recitals, divisions, articles, paragraphs, points, annexes, footnotes, ...)
// each with a stable path such as "Article 5(1)(h)" and normalised text, so
// that the canonical text derived from it changes only when the law does.
//
// This file set holds the XHTML parsers (Official Journal, consolidated texts,
// Commission proposals, amending acts); other formats live in subpackages.
package legal

import "github.com/redline-watch/redline"

// Document is the parsed form of a legal text; see redline.Document.
type Document = redline.Document
