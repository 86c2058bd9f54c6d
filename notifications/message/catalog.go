package message

import (
	"fmt"
	"strings"
)

// catalog holds every locale's texts by key. Keys are "subject.KIND", "heading.KIND" and "body.KIND"
// per kind, and the shared sentences and labels. A text names what it is filled with in braces
// ({order}, {date}, {amount}, …); every locale has every key (tested), so the fallback to English
// is only a guard.
var catalog = map[Locale]map[string]string{
	English:    english,
	Thai:       thai,
	Vietnamese: vietnamese,
	Indonesian: indonesian,
	Malay:      malay,
}

// text is key's text in l (else in English) with its placeholders filled from args, given as
// name, value pairs. A key no locale has is a bug of this package, reported by Render.
func text(l Locale, key string, args ...string) (string, error) {
	s, ok := catalog[l][key]
	if !ok {
		if s, ok = english[key]; !ok {
			return "", fmt.Errorf("message: no text %q", key)
		}
	}
	if len(args) == 0 {
		return s, nil
	}
	pairs := make([]string, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs[i], pairs[i+1] = "{"+args[i]+"}", args[i+1]
	}
	return strings.NewReplacer(pairs...).Replace(s), nil
}
