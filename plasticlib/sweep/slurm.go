package sweep

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// SlurmOptions configure the Slurm executor. The cluster is the one the
// Slurm commands on PATH reach (SLURM_CONF, or the site's slurm.conf).
type SlurmOptions struct {
	// Binary is a command with the worker mode (WorkerMain): the sweep
	// command (plasticlib/cmd/sweep) or the evolve command, on a
	// filesystem the compute nodes share, as is Options.Out. Default: this
	// process's executable, which must then be one of them.
	Binary string
	// Partition, Account and Time (sbatch --time, e.g. "2:00:00") are
	// passed to sbatch when not empty; CPUsPerTask (--cpus-per-task) when
	// > 0, and each array task then runs that many runs at once.
	Partition, Account, Time string
	CPUsPerTask              int
	// Tasks caps the array's size (default and at most 1000): with more
	// runs than tasks, task k does runs k, k+Tasks, ...
	Tasks int
	// Extra are further sbatch arguments, e.g. {"--qos=short"}.
	Extra []string
	// Poll is the interval between squeue calls (default 10 s).
	Poll time.Duration
}

// WorkerProbe is what "worker -probe" prints (WorkerMain): the Slurm
// executor checks that SlurmOptions.Binary is a sweep worker.
const WorkerProbe = "plasticnb sweep worker 1"

type slurm struct{ SlurmOptions }

// newSlurm checks that the Slurm commands are on PATH, that a cluster
// answers, and that the binary is a sweep worker.
func newSlurm(ctx context.Context, so SlurmOptions) (*slurm, error) {
	for _, c := range []string{"sbatch", "squeue", "scancel", "sinfo"} {
		if _, err := exec.LookPath(c); err != nil {
			return nil, fmt.Errorf("sweep: executor slurm is not available: %s not found on PATH (install Slurm's client commands, or use -executor local)", c)
		}
	}
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if _, err := command(cctx, "sinfo", "-h", "-o", "%P"); err != nil {
		return nil, fmt.Errorf("sweep: executor slurm is not available: no cluster reachable: %w", err)
	}
	if so.Binary == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("sweep.SlurmOptions.Binary: %w", err)
		}
		so.Binary = exe
	}
	abs, err := filepath.Abs(so.Binary)
	if err != nil {
		return nil, fmt.Errorf("sweep.SlurmOptions.Binary: %w", err)
	}
	so.Binary = abs
	probe, err := exec.CommandContext(cctx, so.Binary, "worker", "-probe").Output()
	if err != nil || strings.TrimSpace(string(probe)) != WorkerProbe {
		return nil, fmt.Errorf("sweep.SlurmOptions.Binary: %s is not a sweep worker (build plasticlib/cmd/sweep or plasticlib/cmd/evolve and name it here)", so.Binary)
	}
	if so.Tasks <= 0 || so.Tasks > 1000 {
		so.Tasks = 1000
	}
	if so.CPUsPerTask < 0 {
		return nil, fmt.Errorf("sweep.SlurmOptions.CPUsPerTask: must be >= 0, got %d", so.CPUsPerTask)
	}
	if so.Poll <= 0 {
		so.Poll = 10 * time.Second
	}
	return &slurm{so}, nil
}

// command runs a Slurm command and returns its output; the error holds
// its stderr.
func command(ctx context.Context, name string, args ...string) ([]byte, error) {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// newSubmission makes out/slurm/<n>, the next free n.
func newSubmission(out string) (string, error) {
	for n := 1; ; n++ {
		dir := filepath.Join(out, "slurm", strconv.Itoa(n))
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return "", fmt.Errorf("sweep: %w", err)
		}
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			return dir, os.Mkdir(filepath.Join(dir, "logs"), 0o755)
		}
		if !errors.Is(err, os.ErrExist) {
			return "", fmt.Errorf("sweep: %w", err)
		}
	}
}

func (s *slurm) execute(ctx context.Context, out string, jobs []Job, todo []int, t *tracker, o *Options) (string, error) {
	if err := s.checkEarlier(out); err != nil {
		return "", err
	}
	ntask := min(s.Tasks, len(todo))
	share := make([][]int, ntask)
	taskOf := map[int]int{}
	for i, k := range todo {
		share[i%ntask] = append(share[i%ntask], k)
		taskOf[k] = i % ntask
	}
	dir, err := newSubmission(out)
	if err != nil {
		return "", err
	}
	shareFile := filepath.Join(dir, "share.json")
	b, _ := json.Marshal(share)
	if err := os.WriteFile(shareFile, b, 0o644); err != nil {
		return "", fmt.Errorf("sweep: %w", err)
	}
	script := filepath.Join(dir, "job.sh")
	body := fmt.Sprintf("#!/bin/sh\n# One array task of the sweep in %s: its share of the runs.\nexec %s worker -out %s -share %s -index \"$SLURM_ARRAY_TASK_ID\"\n",
		out, quote(s.Binary), quote(out), quote(shareFile))
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		return "", fmt.Errorf("sweep: %w", err)
	}
	logs := filepath.Join(dir, "logs")
	args := []string{"--parsable", fmt.Sprintf("--array=0-%d", ntask-1), "--job-name=sweep-" + slug(filepath.Base(out)),
		"--output=" + filepath.Join(logs, "%A_%a.out"), "--chdir=" + out}
	for _, f := range []struct{ flag, v string }{{"--partition", s.Partition}, {"--account", s.Account}, {"--time", s.Time}} {
		if f.v != "" {
			args = append(args, f.flag+"="+f.v)
		}
	}
	if s.CPUsPerTask > 0 {
		args = append(args, fmt.Sprintf("--cpus-per-task=%d", s.CPUsPerTask))
	}
	args = append(append(args, s.Extra...), script)
	sub, err := command(ctx, "sbatch", args...)
	if err != nil {
		return "", fmt.Errorf("sweep: submitting the array: %w", err)
	}
	id := strings.TrimSpace(string(sub))
	if i := strings.IndexByte(id, ';'); i >= 0 { // "jobid;cluster"
		id = id[:i]
	}
	if id == "" {
		return "", fmt.Errorf("sweep: sbatch printed no job ID")
	}
	os.WriteFile(filepath.Join(dir, "job_id"), []byte(id+"\n"), 0o644)
	o.logf("submitted array job %s: %d runs on %d tasks (logs in %s)", id, len(todo), ntask, logs)

	check := func() {
		for _, k := range todo {
			if done(out, jobs[k]) {
				t.finished(k)
			}
		}
	}
	tick := time.NewTicker(s.Poll)
	defer tick.Stop()
	for {
		check()
		active, err := s.active(id)
		if err == nil && active == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return id, s.cancel(id, o, ctx.Err())
		case <-tick.C:
		}
	}
	check()
	// Tasks whose runs are missing failed: report them with their logs.
	failed := map[int][]Job{}
	for _, k := range todo {
		if !done(out, jobs[k]) {
			failed[taskOf[k]] = append(failed[taskOf[k]], jobs[k])
		}
	}
	if len(failed) == 0 {
		return id, nil
	}
	states := taskStates(id)
	var lines []string
	for task := range ntask {
		js, ok := failed[task]
		if !ok {
			continue
		}
		state := states[task]
		if state == "" {
			state = "state unknown"
		}
		lines = append(lines, fmt.Sprintf("array task %s_%d (%s): %d runs missing, log %s", id, task, state, len(js), filepath.Join(logs, fmt.Sprintf("%s_%d.out", id, task))))
		o.logf("%s", lines[len(lines)-1])
	}
	return id, fmt.Errorf("sweep: %d of %d array tasks failed (run the sweep again to redo their runs):\n  %s", len(lines), ntask, strings.Join(lines, "\n  "))
}

// checkEarlier refuses to submit while an array of an earlier run of the
// sweep (its coordinator killed, say) is still queued: it would do the
// same runs twice.
func (s *slurm) checkEarlier(out string) error {
	ids, _ := filepath.Glob(filepath.Join(out, "slurm", "*", "job_id"))
	for _, f := range ids {
		b, err := os.ReadFile(f)
		id := strings.TrimSpace(string(b))
		if err != nil || id == "" {
			continue
		}
		if n, err := s.active(id); err == nil && n > 0 {
			return fmt.Errorf("sweep: array job %s of an earlier run of this sweep is still queued (squeue -j %s): wait for it to end, or scancel %s, then run again", id, id, id)
		}
	}
	return nil
}

// active returns the number of the array's tasks squeue still lists.
func (s *slurm) active(id string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := command(ctx, "squeue", "-h", "-r", "-j", id, "-o", "%i")
	if err != nil {
		if strings.Contains(err.Error(), "Invalid job id") {
			return 0, nil // finished and purged
		}
		return 0, err
	}
	return len(strings.Fields(string(out))), nil
}

// cancel scancels the array and waits (at most a minute) until squeue no
// longer lists it, so that no result appears after Run returns.
func (s *slurm) cancel(id string, o *Options, cause error) error {
	ctx, stop := context.WithTimeout(context.Background(), time.Minute)
	defer stop()
	if _, err := command(ctx, "scancel", id); err != nil {
		return fmt.Errorf("sweep: interrupted, and cancelling array job %s failed (scancel it by hand): %w", id, err)
	}
	for ctx.Err() == nil {
		if n, err := s.active(id); err == nil && n == 0 {
			break
		}
		time.Sleep(min(s.Poll, time.Second))
	}
	o.logf("interrupted: cancelled array job %s (scancel); finished results are kept", id)
	return fmt.Errorf("sweep: interrupted: cancelled array job %s; finished results are kept: %w", id, cause)
}

// taskStates returns each array task's state and exit code from scontrol
// (jobs finished within MinJobAge), else sacct (when accounting is on).
func taskStates(id string) map[int]string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	states := map[int]string{}
	if out, err := command(ctx, "scontrol", "show", "job", "-o", id); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			f := map[string]string{}
			for _, kv := range strings.Fields(sc.Text()) {
				if k, v, ok := strings.Cut(kv, "="); ok {
					f[k] = v
				}
			}
			if task, err := strconv.Atoi(f["ArrayTaskId"]); err == nil {
				states[task] = f["JobState"] + ", exit " + f["ExitCode"]
			}
		}
	}
	if len(states) > 0 {
		return states
	}
	if out, err := command(ctx, "sacct", "-n", "-P", "-X", "-j", id, "-o", "JobID,State,ExitCode"); err == nil {
		for _, line := range strings.Split(string(out), "\n") {
			p := strings.Split(line, "|")
			if len(p) != 3 {
				continue
			}
			_, idx, ok := strings.Cut(p[0], "_")
			if task, err := strconv.Atoi(idx); ok && err == nil {
				states[task] = p[1] + ", exit " + p[2]
			}
		}
	}
	return states
}
