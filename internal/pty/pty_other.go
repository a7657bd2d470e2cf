//go:build !linux

package pty

import (
	"errors"
	"os"
)

// Open is only implemented on Linux.
func Open() (master *os.File, slavePath string, err error) {
	return nil, "", errors.ErrUnsupported
}

// HoldSlave is only implemented on Linux.
func HoldSlave(path string) (*os.File, error) { return nil, errors.ErrUnsupported }
