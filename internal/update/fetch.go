package update

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxBody bounds a download: a daily price history is a few megabytes.
const maxBody = 64 << 20

// maxHeader bounds a response's header: a provider's is a few kilobytes.
const maxHeader = 256 << 10

// fetcher downloads with retries.
type fetcher struct {
	client  *http.Client
	timeout time.Duration // of client, for messages
	ua      string
	retries int
	backoff func(n int) time.Duration
}

// fetchError is a failed download; transient ones are retried.
type fetchError struct {
	msg       string
	transient bool // a 5xx, a timeout, a connection or read error
	err       error
}

func (e *fetchError) Error() string { return e.msg }
func (e *fetchError) Unwrap() error { return e.err }

// download is a response's body, read to its end.
type download struct {
	body []byte
	// verified: the body's end was announced and checked, by a
	// Content-Length that matched or a gzip trailer. Without it, a
	// connection that closes early (HTTP/1.0 without a length, or a proxy
	// that ends its chunked response where its upstream broke off) looks
	// like a whole body.
	verified bool
}

// get downloads url, retrying transient failures after a backoff. It
// returns ctx's error once ctx is done.
func (f *fetcher) get(ctx context.Context, url string) (*download, error) {
	for attempt := 1; ; attempt++ {
		dl, err := f.once(ctx, url)
		if err == nil {
			return dl, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var fe *fetchError
		if !errors.As(err, &fe) || !fe.transient || attempt > f.retries {
			if attempt > 1 {
				err = &fetchError{msg: fmt.Sprintf("%s (%d attempts)", err, attempt), err: err}
			}
			return nil, err
		}
		t := time.NewTimer(f.backoff(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// once makes one request and reads the whole body.
func (f *fetcher) once(ctx context.Context, rawURL string) (*download, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, &fetchError{msg: "bad URL: " + err.Error(), err: err}
	}
	if f.ua != "" {
		req.Header.Set("User-Agent", f.ua)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		if isTimeout(err) {
			return nil, &fetchError{msg: fmt.Sprintf("no response within %s (update.timeout)", f.timeout), transient: true, err: err}
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &fetchError{msg: "cannot connect: " + err.Error(), transient: true, err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		msg := fmt.Sprintf("HTTP %s: expected 200 OK", clip(resp.Status))
		if s := strings.Join(strings.Fields(string(snippet)), " "); s != "" {
			msg += fmt.Sprintf(" (the server said %s)", quote(s))
		}
		return nil, &fetchError{msg: msg, transient: resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		what := fmt.Sprintf("the download stopped after %d bytes", len(body))
		if resp.ContentLength >= 0 {
			what = fmt.Sprintf("the download stopped after %d of %d bytes", len(body), resp.ContentLength)
		}
		switch {
		case isTimeout(err):
			return nil, &fetchError{msg: fmt.Sprintf("%s: no data within %s (update.timeout)", what, f.timeout), transient: true, err: err}
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, &fetchError{msg: what + ": the connection closed early (a truncated body)", transient: true, err: err}
		}
		return nil, &fetchError{msg: fmt.Sprintf("%s: %v", what, err), transient: true, err: err}
	}
	if len(body) > maxBody {
		return nil, &fetchError{msg: fmt.Sprintf("the download is larger than %d MiB: expected a daily price file", maxBody>>20)}
	}
	if resp.ContentLength >= 0 && int64(len(body)) != resp.ContentLength {
		return nil, &fetchError{msg: fmt.Sprintf("the download has %d bytes, but its Content-Length says %d (a truncated body)", len(body), resp.ContentLength), transient: true}
	}
	return &download{body: body, verified: resp.ContentLength >= 0 || resp.Uncompressed}, nil
}

// maxQuote bounds the text of a download or a response quoted in a message.
const maxQuote = 200

// clip returns s, cut to maxQuote bytes (on a character boundary) with an
// ellipsis if it is longer.
func clip(s string) string {
	if len(s) <= maxQuote {
		return s
	}
	return prefix(s, maxQuote) + "…"
}

// prefix returns at most the first n bytes of s, ending on a character
// boundary.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// quote quotes s, or its first maxQuote bytes and the number left out.
func quote(s string) string {
	if len(s) <= maxQuote {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s… (%d bytes in all)", strconv.Quote(prefix(s, maxQuote)), len(s))
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
