// Package coverage decides, for every demand (red line) and every parsed
// legal text, how far the text goes: a level per demand with the provisions
// and words that decide it. It is pure: demand files come in as bytes,
// documents as parsed values, results go out as values.
//
// # Demands and rules
//
// A demand file (the embedded demands.yaml by default) lists demands with an
// id, a title, the ask and the quote of the letter they come from, and
// declarative rules. A rule's groups of terms must all match in a provision's
// own heading and text or in those of its ancestors (the paragraph above a
// point, the point above a sub-point, the article, the annex point, the
// chapter), and at least one group must match in the provision's own words.
// So Annex III's "(d) ... assessing the risk of a natural person offending"
// matches a predictive-policing rule with the help of its heading "6. Law
// enforcement", while a chapeau never makes all of its points match. Terms
// match whole words case-insensitively after NFKC; hyphens, quotes and
// apostrophes separate words; a word ending in "*" matches the words it
// begins; excluded phrases mask the terms inside them. Rules never name an
// article number: where a provision sits is read from the document's
// structure, what it does from its wording.
//
// # Levels
//
// Every matching provision gets a level; the document's level is the
// strongest.
//
//   - mentioned: the provision is not binding: title, citations, recitals,
//     explanatory memorandum, footnotes, closing formula, anything outside
//     articles and annexes, and definitions (any provision of an article
//     whose heading is "Definitions").
//   - restricted: a binding provision of an article or annex with no ban
//     over it: a high-risk listing, a transparency, information,
//     registration or impact-assessment duty, an authorisation, a body
//     that must include a group.
//   - prohibited: the provision bans the practice, by its own words or as
//     a point (at any depth) under a chapeau that bans ("The following AI
//     practices shall be prohibited:"). A subparagraph after the points is
//     not under the chapeau, and a point is judged by its own words and
//     those of the points and chapeau above it, never by its neighbours'.
//   - prohibited_with_exceptions: as prohibited, but the ban carves out
//     exceptions or bans only part of the practice: an exception or a limit
//     in the words of the point, of the points and chapeau above it or of
//     its sub-points; or a later provision of the same article that refers
//     to the point (or to a point or paragraph above it) — "paragraph 1,
//     first subparagraph, point (h)", "points (a) and (b)", "paragraphs 1,
//     point (d), 2 and 3", "Article 5(1), point (h)" inside Article 5 — and
//     lets the practice happen.
//
// The legal wording is fixed, not part of demand files:
//
//   - ban: "shall be prohibited", "is/are prohibited", "shall prohibit",
//     "shall be banned", "is/are banned", "shall ban", "shall be forbidden",
//     "is/are forbidden", "shall not be placed on the market", "shall not be
//     put into service", "shall not be made available on the market",
//     "Member States shall not" (but not "Member States shall not prohibit,
//     restrict, impede, impose, create or require"), "no person shall";
//   - exception: "unless", "except", "exception(s)", "exceptionally",
//     "shall not / does not / do not apply", "shall not / does not / do not
//     cover", "shall not / does not include", "derogat…", "strictly
//     necessary", "save where / in / for", "exempt…";
//   - partial ban: "solely", "only", "exclusively", "by public
//     authorities", "on behalf of public authorities", "in the area(s) of",
//     "for the purpose(s) of law enforcement", "for law enforcement
//     purposes";
//   - permission (in a later provision that refers to the banned point):
//     the exception and partial wording, "may", "authoris…", "authoriz…",
//     "permit…", "allow…", "subject to", "conditions", "safeguards", "the
//     use of".
//
// # Verdicts
//
// The verdict judges the level against the ask:
//
//	ask           met                       partial                      unmet
//	prohibition   prohibited                prohibited_with_exceptions,  mentioned, absent
//	                                        restricted
//	restriction   restricted or stronger    -                            mentioned, absent
//	safeguard     restricted or stronger    -                            mentioned, absent
//	inclusion     restricted or stronger    -                            mentioned, absent
//
// A non-binding mention never meets an ask: a recital restricts nothing.
//
// # Amendments
//
// Parliament amendments are judged on the text they produce: apply them to
// the proposal first (legal/amend.Apply). A document that still holds
// unapplied amendments is judged on its own provisions only, and its Report
// carries a Note saying so, because an amended point read without the
// chapeau and the paragraphs around it cannot be judged.
package coverage
