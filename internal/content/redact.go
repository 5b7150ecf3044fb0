package content

import (
	"net/url"
	"slices"
	"strings"
)

// Redacted replaces a credential in messages.
const Redacted = "REDACTED"

// RedactURL returns s, a URL or a URL template, with its credentials
// replaced by REDACTED: the user information before the host, and the
// values of query parameters whose names look like a key, token, secret,
// password, signature or authorization (apikey, access_token, X-Amz-Signature).
// It reads text that is not a valid URL as well, so that a message about a
// bad URL can show it.
func RedactURL(s string) string {
	var b strings.Builder
	rest := s
	if i := strings.Index(rest, "://"); i >= 0 {
		end := i + 3 + strings.IndexFunc(rest[i+3:]+"/", func(r rune) bool { return r == '/' || r == '?' || r == '#' })
		host := rest[i+3 : end]
		if at := strings.LastIndexByte(host, '@'); at >= 0 {
			host = Redacted + host[at:]
		}
		b.WriteString(rest[:i+3])
		b.WriteString(host)
		rest = rest[end:]
	}
	q := strings.IndexByte(rest, '?')
	if q < 0 {
		b.WriteString(rest)
		return b.String()
	}
	b.WriteString(rest[:q+1])
	query, fragment := rest[q+1:], ""
	if h := strings.IndexByte(query, '#'); h >= 0 {
		query, fragment = query[:h], query[h:]
	}
	for i, p := range strings.Split(query, "&") {
		if i > 0 {
			b.WriteByte('&')
		}
		if name, value, ok := strings.Cut(p, "="); ok && value != "" && secretName(name) {
			p = name + "=" + Redacted
		}
		b.WriteString(p)
	}
	b.WriteString(fragment)
	return b.String()
}

// URLSecrets returns the credentials of a URL, as written and unescaped, to
// blank them out of other text such as a server's answer. Values shorter
// than four characters are left out: blanking them would garble the text.
func URLSecrets(s string) []string {
	var out []string
	add := func(v string) {
		for _, w := range []string{v, unescape(v)} {
			if len(w) >= 4 && !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
	}
	if i := strings.Index(s, "://"); i >= 0 {
		host := s[i+3:]
		if end := strings.IndexAny(host, "/?#"); end >= 0 {
			host = host[:end]
		}
		if at := strings.LastIndexByte(host, '@'); at >= 0 {
			user, pass, _ := strings.Cut(host[:at], ":")
			add(user)
			add(pass)
		}
	}
	if q := strings.IndexByte(s, '?'); q >= 0 {
		query := s[q+1:]
		if h := strings.IndexByte(query, '#'); h >= 0 {
			query = query[:h]
		}
		for _, p := range strings.Split(query, "&") {
			if name, value, ok := strings.Cut(p, "="); ok && secretName(name) {
				add(value)
			}
		}
	}
	return out
}

// secretName reports whether a query parameter's name says its value is a
// credential.
func secretName(name string) bool {
	n := strings.ToLower(unescape(name))
	n = strings.NewReplacer("-", "", "_", "", ".", "").Replace(n)
	for _, w := range []string{"key", "token", "secret", "password", "passwd", "pwd", "sig", "auth", "credential", "session"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// RedactText replaces every URL in text as RedactURL does, and every one of
// secrets (from URLSecrets) wherever it appears.
func RedactText(text string, secrets []string) string {
	var b strings.Builder
	for {
		i := strings.Index(text, "://")
		if i < 0 {
			break
		}
		start := i
		for start > 0 && isSchemeByte(text[start-1]) {
			start--
		}
		end := i + 3 + strings.IndexFunc(text[i+3:]+" ", func(r rune) bool {
			return r <= ' ' || r == '"' || r == '\'' || r == '<' || r == '>' || r == '(' || r == ')' || r == '\\'
		})
		b.WriteString(text[:start])
		b.WriteString(RedactURL(text[start:end]))
		text = text[end:]
	}
	b.WriteString(text)
	out := b.String()
	for _, s := range secrets {
		out = strings.ReplaceAll(out, s, Redacted)
	}
	return out
}

func isSchemeByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}
