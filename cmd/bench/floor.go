package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
)

// floor measures the least work any generator must do for the plain
// corpus: read every body, convert it with goldmark in the configuration
// briefs uses (GFM tables, strikethrough, task lists, linkify, footnotes,
// heading ids, raw HTML kept) on all cores, and write each page's HTML to
// its own file under out. No templates, no lists, no feeds. It returns the
// wall time from the first read to the last write.
func floor(ctx context.Context, content, out string) (time.Duration, error) {
	var files []string
	err := filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	if err := os.RemoveAll(out); err != nil {
		return 0, err
	}
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, runtime.NumCPU())
	for w := range errs {
		wg.Go(func() {
			md := goldmark.New(
				goldmark.WithExtensions(extension.GFM, extension.NewFootnote()),
				goldmark.WithParserOptions(parser.WithAutoHeadingID()),
				goldmark.WithRendererOptions(html.WithUnsafe()),
			)
			var buf bytes.Buffer
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				src, err := os.ReadFile(files[i])
				if err != nil {
					errs[w] = err
					return
				}
				buf.Reset()
				if err := md.Convert(body(src), &buf); err != nil {
					errs[w] = fmt.Errorf("%s: %w", files[i], err)
					return
				}
				rel, _ := filepath.Rel(content, files[i])
				dst := filepath.Join(out, strings.TrimSuffix(rel, ".md")+".html")
				if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
					errs[w] = err
					return
				}
				if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	d := time.Since(start)
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return d, ctx.Err()
}

// body is src without its YAML front matter.
func body(src []byte) []byte {
	if rest, ok := bytes.CutPrefix(src, []byte("---\n")); ok {
		if i := bytes.Index(rest, []byte("\n---\n")); i >= 0 {
			return rest[i+5:]
		}
	}
	return src
}
