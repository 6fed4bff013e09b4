package capture

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// The Go runtime prints the first line of a fatal error ("fatal error:
// concurrent map writes", "runtime: out of memory: ...") to file
// descriptor 2 only, before it starts copying its crash output to
// SetCrashOutput's file, and then stops every goroutine: with fd 2
// captured, that line would die unread in the capture's pipe, and the
// front end's log would show a traceback without its cause. A relay
// process between fd 2 and the capture's pipe (RelayStderr) passes
// everything on and copies such lines to the original standard error,
// where they survive the kernel.

// RelayCommand is the kernel's hidden subcommand that runs RelayMain.
const RelayCommand = "stderr-relay"

// RelayStderr puts the process cmd, which must run RelayMain, between file
// descriptor 2 and the capture, so that the runtime's last words reach
// the original standard error even when the process dies at once. Call it
// right after Start, before any cell runs.
func (s *Stdio) RelayStderr(cmd *exec.Cmd) error {
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = r, s.errW, s.origErr
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return err
	}
	r.Close()
	if err := dup2(int(w.Fd()), 2); err != nil {
		w.Close() // the relay ends at end of input
		_ = cmd.Wait()
		return err
	}
	s.mu.Lock()
	old := s.errW
	s.errW, s.relay = w, cmd
	s.mu.Unlock()
	old.Close() // the relay holds the capture's pipe now
	return nil
}

// fatalPrefixes start the lines the runtime prints to fd 2 alone before
// it dies.
var fatalPrefixes = [][]byte{[]byte("fatal error: "), []byte("runtime: "), []byte("fatal: morestack")}

// RelayMain copies standard input to standard output and each line that
// starts a Go runtime fatal error to standard error too, and ends at the
// end of its input. It returns the exit status. The relay process should
// ignore the signals the kernel's process group receives (IgnoreSignals).
func RelayMain(stdin io.Reader, stdout, stderr io.Writer) int {
	buf := make([]byte, 32<<10)
	var line []byte // the start of the current line, up to 256 bytes
	for {
		n, err := stdin.Read(buf)
		chunk := buf[:n]
		for len(chunk) > 0 {
			// A line ends at a newline, or at a NUL: Flush's markers
			// hold NULs and no newline.
			i := bytes.IndexAny(chunk, "\n\x00")
			part := chunk
			if i >= 0 {
				part = chunk[:i+1]
			}
			if len(line) < 256 {
				line = append(line, part[:min(len(part), 256-len(line))]...)
			}
			if i >= 0 && chunk[i] == '\n' {
				for _, p := range fatalPrefixes {
					if bytes.HasPrefix(line, p) {
						stderr.Write(line)
						break
					}
				}
			}
			if i >= 0 {
				line = line[:0]
			}
			chunk = chunk[len(part):]
		}
		if n > 0 {
			if _, werr := stdout.Write(buf[:n]); werr != nil {
				return 1
			}
		}
		if err != nil {
			return 0
		}
	}
}

// IgnoreSignals makes the relay process ignore an interrupt or a shutdown
// sent to the kernel's process group: it ends when the kernel closes its
// end of the pipe (or dies).
func IgnoreSignals() {
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
}
