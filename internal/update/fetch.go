package update

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxBody bounds a download: a daily price history is a few megabytes.
const maxBody = 64 << 20

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

// get downloads url, retrying transient failures after a backoff. It
// returns ctx's error once ctx is done.
func (f *fetcher) get(ctx context.Context, url string) ([]byte, error) {
	for attempt := 1; ; attempt++ {
		body, err := f.once(ctx, url)
		if err == nil {
			return body, nil
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
func (f *fetcher) once(ctx context.Context, rawURL string) ([]byte, error) {
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
		msg := fmt.Sprintf("HTTP %s: expected 200 OK", resp.Status)
		if s := strings.Join(strings.Fields(string(snippet)), " "); s != "" {
			msg += fmt.Sprintf(" (the server said %q)", s)
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
	return body, nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
