//go:build !linux

package capture

import "errors"

var errUnsupported = errors.New("capture: redirecting file descriptors works on Linux only")

func dup(fd int) (int, error) { return -1, errUnsupported }

func dup2(oldfd, newfd int) error { return errUnsupported }
