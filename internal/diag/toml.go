package diag

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// DecodeTOML decodes data strictly into v: unknown keys and type mismatches
// are errors at their line.
func DecodeTOML(name string, data []byte, v any) error {
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var errs []error
		for _, e := range strict.Errors {
			line, col := e.Position()
			key := strings.Join(e.Key(), ".")
			errs = append(errs, Errorf(name, line, col, "unknown key %q", key))
		}
		return Join(errs)
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		return &Error{File: name, Line: line, Col: col, Msg: "invalid TOML: " + de.Error(), Err: err}
	}
	return &Error{File: name, Msg: fmt.Sprintf("invalid TOML: %v", err), Err: err}
}
