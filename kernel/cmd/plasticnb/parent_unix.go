//go:build unix

package main

import (
	"context"
	"errors"
	"log"
	"os"
	"strconv"
	"syscall"
	"time"
)

// parent is the process that started the kernel: the Jupyter server or
// client.
type parent struct {
	ppid int // the parent process id when the kernel started
	jpy  int // JPY_PARENT_PID, which jupyter_client sets on POSIX; 0 if unset
}

func parentOf() parent {
	p := parent{ppid: os.Getppid()}
	p.jpy, _ = strconv.Atoi(os.Getenv("JPY_PARENT_PID"))
	return p
}

// gone reports whether the parent has exited: the kernel was reparented,
// or the process jupyter_client named no longer exists.
func (p parent) gone() bool {
	if os.Getppid() != p.ppid {
		return true
	}
	return p.jpy > 1 && errors.Is(syscall.Kill(p.jpy, 0), syscall.ESRCH)
}

// watchParent cancels the kernel when its parent has died, as ipykernel's
// parent poller does, so that a crashed frontend leaves no orphaned kernel.
// It looks once a second: a negligible cost at idle.
func watchParent(ctx context.Context, p parent, cancel context.CancelFunc, lg *log.Logger) {
	if p.ppid <= 1 && p.jpy <= 1 {
		return // started by init or a container's PID 1: nothing to watch
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if p.gone() {
				lg.Print("the process that started the kernel has exited: shutting down")
				cancel()
				return
			}
		}
	}
}
