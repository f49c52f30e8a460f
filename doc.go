// Package redline holds the domain types and interfaces of redline, a daemon
// that watches EU legislative texts and tells digital-rights campaigners when a
// draft gains or loses one of their red lines.
//
// Data flows in one direction per check of a source:
//
//	schedule  -> finds a source due and runs pipeline.Check in a worker slot
//	crawler   -> fetches the source (conditional GET, robots, block-page guard)
//	legal     -> parses the body into a Document: an ordered list of provisions
//	diff      -> compares the Document with the previous snapshot's
//	coverage  -> decides, for every Demand, how far the text goes, with evidence
//	store     -> writes capture, snapshot, blobs and events in one transaction
//
// The root package depends on the standard library only. Adapters (crawler,
// store, ...) implement the interfaces declared here; only cmd/redline wires
// concrete types together.
package redline
