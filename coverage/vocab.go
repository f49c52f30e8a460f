package coverage

import "slices"

// vocabulary is the legal wording coverage recognises whatever the demand:
// how a ban, a carve-out, a partial ban and a permission are written in EU
// legislative drafting. It is the same for every demand and every text;
// demand files do not change it.
type vocabulary struct {
	// prohibition marks a provision that bans what it (or the points under
	// it) describes.
	prohibition []term
	// notProhibition are phrases that contain a prohibition phrase but do
	// not ban anything: the free-movement clause "Member States shall not
	// prohibit, restrict or impede".
	notProhibition []term
	// exception marks a carve-out from a ban.
	exception []term
	// partial marks a ban of only part of a practice: only some actors,
	// purposes, areas or bases.
	partial []term
	// permission marks a later provision that lets the banned practice
	// happen under conditions.
	permission []term
}

// newVocabulary compiles the phrases, which the package doc lists; change
// both together. The phrases are fixed and valid, so a failure is a
// programming error caught by the package tests.
func newVocabulary() vocabulary {
	exception := []string{
		"unless", "except", "exception", "exceptions", "exceptionally",
		"shall not apply", "does not apply", "do not apply", "shall not cover",
		"does not cover", "do not cover", "shall not include", "does not include",
		"derogat*", "strictly necessary", "save where", "save in", "save for",
		"exempt*", "without prejudice to the use",
	}
	partial := []string{
		"solely", "only", "exclusively", "by public authorities",
		"on behalf of public authorities", "in the area of", "in the areas of",
		"for the purpose of law enforcement", "for the purposes of law enforcement",
		"for law enforcement purposes",
	}
	permission := []string{
		"may", "authoris*", "authoriz*", "permit*", "allow*", "subject to",
		"conditions", "safeguards", "the use of",
	}
	return vocabulary{
		prohibition: mustTerms([]string{
			"shall be prohibited", "is prohibited", "are prohibited", "shall prohibit",
			"shall be banned", "is banned", "are banned", "shall ban",
			"shall be forbidden", "is forbidden", "are forbidden",
			"shall not be placed on the market", "shall not be put into service",
			"shall not be made available on the market", "member states shall not",
			"no person shall",
		}),
		notProhibition: mustTerms([]string{
			"member states shall not prohibit", "member states shall not restrict",
			"member states shall not impede", "member states shall not impose",
			"member states shall not create", "member states shall not require",
		}),
		exception:  mustTerms(exception),
		partial:    mustTerms(partial),
		permission: mustTerms(slices.Concat(permission, exception, partial)),
	}
}

func mustTerms(phrases []string) []term {
	out := make([]term, 0, len(phrases))
	for _, p := range phrases {
		t, err := compileTerm(p)
		if err != nil {
			panic("coverage: bad built-in phrase: " + err.Error())
		}
		out = append(out, t)
	}
	return out
}
