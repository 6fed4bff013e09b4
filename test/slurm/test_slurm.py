"""The sweep on a real Slurm: a throw-away single-node cluster on 127.0.0.1.

Starts munged with a fresh key, slurmctld and slurmd (Debian's packages,
as root with SlurmUser=root) as this test's own processes, each with its
files in one temporary directory: slurm.conf (free ports, NodeName the
machine's `hostname -s`, NodeAddr 127.0.0.1), the munge key and socket,
state, spool and logs. The daemons are stopped by pid at the end, even
when a test fails (after scancel of anything left in the queue).

On that cluster it runs a small sweep (DNMS, N = 40, dt = 10 ms, a few
hundred trials per run) with -executor slurm, scancels one array task
while it runs, checks that the command reports that task with its Slurm
log, deletes one result file, runs the command again and checks that only
the missing runs are redone, and that the result files (byte for byte)
and the summary equal those of -executor local. It also checks Ctrl-C
(SIGINT: the array is scancelled, finished results kept, and a second
coordinator meanwhile refuses to submit the same runs again), kill -9 of a
local sweep (a re-run redoes only the runs lost), and the errors for an
unreachable cluster and for no sbatch on PATH.

It then meta-trains (plasticlib/cmd/evolve, 2 iterations of 10 tiny
learning runs) in process and with -executor slurm (one array per
iteration) and checks that the printed records, the saved rule (byte for
byte) and the checkpoint's coefficients and Adam state are the same; then
scancels an array task of the second iteration, deletes one of that
iteration's results, resumes from the checkpoint and checks that only the
missing runs are redone and that the training ends equal to the
uninterrupted one.

Needs the Debian packages slurmctld, slurmd, slurm-client and munge
(./install.sh installs them) and root. PLASTICNB_SKIP_SLURM=1 skips it.
The sweep binary is built from this tree (go build, the BLAS tags of
scripts/buildtags.sh).

Run: /usr/bin/python3 -m unittest discover -s test/slurm -v
"""

import filecmp
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DAEMONS = {"munged": "munge", "slurmctld": "slurmctld", "slurmd": "slurmd", "sbatch": "slurm-client"}

# The sweep: 3 rules x 12 seeds on DNMS, tiny runs, never stopping early.
SWEEP = ["-task", "dnms", "-n", "40", "-dt", "10", "-episodes", "400", "-run-all",
         "-seeds", "12", "-rules", "miconi-cubic,eh,node-perturbation"]
ARRAY_TASKS = 3

# The meta-training: 2 iterations of 2 pairs x 2 seeds + 2 held-out seeds
# (10 learning runs each) of tiny DNMS runs, on fresh networks and random
# initial states.
EVOLVE = ["-task", "dnms", "-setting", "miconi", "-n", "40", "-dt", "10", "-episodes", "300", "-K", "3",
          "-iterations", "2", "-pairs", "2", "-seeds", "2", "-eval-seeds", "2", "-both-conditions"]
EVOLVE_RUNS = 10


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read(path):
    """The file's content stripped, "" when it does not exist (yet)."""
    try:
        with open(path) as f:
            return f.read().strip()
    except FileNotFoundError:
        return ""


def wait_for(what, cond, timeout, interval=0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(interval)
    raise AssertionError("timed out after %gs waiting for %s" % (timeout, what))


class Cluster:
    """munged, slurmctld and slurmd, started and stopped by pid."""

    def __init__(self, root):
        self.root = root
        self.procs = []  # (name, Popen)
        self.conf = os.path.join(root, "slurm.conf")
        self.env = dict(os.environ, SLURM_CONF=self.conf)
        self.host = socket.gethostname().split(".")[0]

    def start(self):
        r = self.root
        os.chmod(r, 0o755)
        munge = os.path.join(r, "munge")
        for d in ("munge", "state", "spool", "log"):
            os.makedirs(os.path.join(r, d), mode=0o755)
        key = os.path.join(munge, "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o400)
        self.socket = os.path.join(munge, "socket")
        self._spawn("munged", ["munged", "-F", "--key-file=" + key, "--socket=" + self.socket,
                               "--pid-file=" + os.path.join(munge, "munged.pid"),
                               "--log-file=" + os.path.join(munge, "munged.log"),
                               "--seed-file=" + os.path.join(munge, "seed")])
        wait_for("munged's socket", lambda: os.path.exists(self.socket), 20)
        with open(self.conf, "w") as f:
            f.write(f"""# A throw-away single-node cluster for test/slurm.
ClusterName=plasticnbtest
SlurmctldHost={self.host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={self.socket}
StateSaveLocation={r}/state
SlurmdSpoolDir={r}/spool
SlurmctldPidFile={r}/slurmctld.pid
SlurmdPidFile={r}/slurmd.pid
SlurmctldLogFile={r}/log/slurmctld.log
SlurmdLogFile={r}/log/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SlurmdTimeout=60
MinJobAge=600
NodeName={self.host} NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes={self.host} Default=YES MaxTime=INFINITE State=UP
""")
        self._spawn("slurmctld", ["slurmctld", "-D", "-i", "-f", self.conf])
        self._spawn("slurmd", ["slurmd", "-D", "-f", self.conf, "-N", self.host])

        def idle():
            p = subprocess.run(["sinfo", "-h", "-o", "%T"], env=self.env, capture_output=True, text=True)
            return p.returncode == 0 and p.stdout.strip() == "idle"
        wait_for("the node to be idle (logs in %s/log)" % r, idle, 60, 0.5)

    def _spawn(self, name, argv):
        log = open(os.path.join(self.root, "log", name + ".out"), "w")
        p = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=self.env, start_new_session=True)
        log.close()
        self.procs.append((name, p))
        time.sleep(0.3)
        if p.poll() is not None:
            with open(os.path.join(self.root, "log", name + ".out")) as f:
                raise AssertionError("%s exited at once (%d):\n%s" % (name, p.returncode, f.read()))

    def stop(self):
        """Cancel what is queued, then stop the daemons by pid, slurmd first."""
        if any(n == "slurmctld" for n, p in self.procs if p.poll() is None):
            subprocess.run(["scancel", "--user=root"], env=self.env, capture_output=True, timeout=30)
            try:
                wait_for("the queue to empty", lambda: subprocess.run(
                    ["squeue", "-h"], env=self.env, capture_output=True, text=True).stdout.strip() == "", 30, 0.5)
            except AssertionError:
                pass
        for name, p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(5)


class SlurmSweepTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if os.environ.get("PLASTICNB_SKIP_SLURM") == "1":
            raise unittest.SkipTest("PLASTICNB_SKIP_SLURM=1")
        missing = [pkg for cmd, pkg in DAEMONS.items() if shutil.which(cmd) is None]
        if missing:
            raise AssertionError("Slurm is not installed: install the Debian packages %s (./install.sh does), "
                                 "or set PLASTICNB_SKIP_SLURM=1 to skip this test." % " ".join(missing))
        if os.geteuid() != 0:
            raise AssertionError("the throw-away cluster runs its daemons as root (SlurmUser=root): run as root, "
                                 "or set PLASTICNB_SKIP_SLURM=1")
        cls.tmp = tempfile.mkdtemp(prefix="plasticnb-slurm-")
        os.chmod(cls.tmp, 0o755)  # munged wants its socket's directories traversable by all
        cls.cluster = Cluster(os.path.join(cls.tmp, "cluster"))
        os.mkdir(cls.cluster.root)
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.addClassCleanup(cls.cluster.stop)
        tags = subprocess.run([os.path.join(REPO, "scripts", "buildtags.sh")], capture_output=True, text=True).stdout.strip()
        cls.binary = os.path.join(cls.tmp, "bin", "sweep")
        cls.evolve = os.path.join(cls.tmp, "bin", "evolve")
        for binary, pkg in ((cls.binary, "./plasticlib/cmd/sweep"), (cls.evolve, "./plasticlib/cmd/evolve")):
            subprocess.run(["go", "build", "-tags", tags, "-o", binary, pkg], cwd=REPO, check=True)
        cls.cluster.start()

    def command(self, binary, *args, env=None, check=True):
        p = subprocess.run([binary, *args], env=env or self.cluster.env, capture_output=True, text=True, timeout=180)
        if check and p.returncode != 0:
            self.fail("%s %s: exit %d\nstdout:\n%s\nstderr:\n%s" % (os.path.basename(binary), " ".join(args), p.returncode, p.stdout, p.stderr))
        return p

    def sweep(self, *args, **kw):
        return self.command(self.binary, *args, **kw)

    def run_evolve(self, *args, **kw):
        return self.command(self.evolve, *args, **kw)

    def scancel_running(self, argv, job_id_file, task):
        """Runs argv, scancels array task `task` of the array whose ID it
        writes to job_id_file as soon as that task runs, and returns the
        task's ID and argv's exit code, stdout and stderr."""
        proc = subprocess.Popen(argv, env=self.cluster.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            job = wait_for("the array's job ID", lambda: read(job_id_file), 120, 0.05)
            victim = "%s_%d" % (job, task)

            def running():
                q = subprocess.run(["squeue", "-h", "-r", "-j", job, "-o", "%i %T"], env=self.cluster.env,
                                   capture_output=True, text=True).stdout
                return victim + " RUNNING" in q
            wait_for("array task %s to run" % victim, running, 60, 0.05)
            subprocess.run(["scancel", victim], env=self.cluster.env, check=True)
            stdout, stderr = proc.communicate(timeout=180)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        return victim, proc.returncode, stdout, stderr

    @staticmethod
    def summary(stdout):
        return [l for l in stdout.splitlines() if "episodes to criterion: median" in l]

    @staticmethod
    def results(out):
        files = {}
        for d, _, names in os.walk(os.path.join(out, "runs")):
            for n in names:
                if n.endswith(".json") and not n.startswith("."):
                    p = os.path.join(d, n)
                    files[os.path.relpath(p, out)] = p
        return files

    def test_sweep(self):
        local = os.path.join(self.tmp, "local")
        p = self.sweep(*SWEEP, "-out", local, "-executor", "local")
        want = self.summary(p.stdout)
        self.assertEqual(len(want), 3, p.stdout)
        want_files = self.results(local)
        self.assertEqual(len(want_files), 36)

        # Slurm, with one array task scancelled while it runs.
        out = os.path.join(self.tmp, "slurm")
        victim, rc, stdout, stderr = self.scancel_running(
            [self.binary, *SWEEP, "-out", out, "-executor", "slurm", "-poll", "0.5", "-array-tasks", str(ARRAY_TASKS)],
            os.path.join(out, "slurm", "1", "job_id"), 1)
        self.assertNotEqual(rc, 0, "the sweep did not notice the cancelled task:\n" + stdout)
        log = os.path.join(out, "slurm", "1", "logs", victim + ".out")
        self.assertIn("array task " + victim, stderr)
        self.assertIn(log, stderr)
        self.assertTrue(os.path.exists(log), log)
        got = self.results(out)
        lost = set(want_files) - set(got)
        self.assertTrue(lost, "array task %s finished before scancel reached it: nothing was lost" % victim)
        self.assertLess(len(lost), 36 // ARRAY_TASKS + 1, "more runs lost than the cancelled task held: %s" % sorted(lost))
        for rel, path in got.items():
            self.assertTrue(filecmp.cmp(path, want_files[rel], shallow=False), "%s differs from the local executor's" % rel)

        # Delete one result, run again: exactly the missing runs are redone.
        deleted = sorted(got)[0]
        os.remove(got[deleted])
        lost.add(deleted)
        before = {rel: os.stat(p).st_mtime_ns for rel, p in self.results(out).items()}
        p = self.sweep(*SWEEP, "-out", out, "-executor", "slurm", "-poll", "0.5", "-array-tasks", str(ARRAY_TASKS))
        self.assertIn("36 runs: %d done before, %d to run" % (36 - len(lost), len(lost)), p.stdout)
        self.assertIn("ran %d runs, skipped %d, missing 0" % (len(lost), 36 - len(lost)), p.stdout)
        after = self.results(out)
        self.assertEqual(set(after), set(want_files))
        for rel, mtime in before.items():
            self.assertEqual(os.stat(after[rel]).st_mtime_ns, mtime, "%s was redone, though it existed" % rel)
        for rel, path in after.items():
            self.assertTrue(filecmp.cmp(path, want_files[rel], shallow=False), "%s differs from the local executor's" % rel)
        self.assertEqual(self.summary(p.stdout), want)

        # Nothing missing: a third run submits nothing.
        p = self.sweep(*SWEEP, "-out", out, "-executor", "slurm")
        self.assertIn("ran 0 runs, skipped 36, missing 0", p.stdout)
        self.assertNotIn("submitted", p.stdout)

    def test_interrupt(self):
        """SIGINT (Ctrl-C) cancels the submitted array and keeps what finished."""
        out = os.path.join(self.tmp, "interrupted")
        args = [*SWEEP, "-episodes", "1000", "-out", out]
        proc = subprocess.Popen([self.binary, *args, "-executor", "slurm", "-poll", "0.5", "-array-tasks", "1"],
                                env=self.cluster.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            job = wait_for("the array's job ID", lambda: read(os.path.join(out, "slurm", "1", "job_id")), 60, 0.05)
            wait_for("array task %s_0 to run" % job, lambda: job + "_0 RUNNING" in subprocess.run(
                ["squeue", "-h", "-r", "-j", job, "-o", "%i %T"], env=self.cluster.env, capture_output=True, text=True).stdout, 60, 0.05)
            wait_for("a first result", lambda: self.results(out), 60, 0.05)
            # A second coordinator on the same sweep meanwhile submits nothing.
            p = self.sweep(*args, "-executor", "slurm", check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("array job %s of an earlier run of this sweep is still queued" % job, p.stderr)
            proc.send_signal(signal.SIGINT)
            stdout, stderr = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("cancelled array job %s" % job, stderr)
        q = subprocess.run(["squeue", "-h", "-j", job], env=self.cluster.env, capture_output=True, text=True).stdout
        self.assertEqual(q.strip(), "", "array job %s still queued after the interrupt" % job)
        kept = len(self.results(out))
        self.assertGreater(kept, 0, "the finished results were not kept")
        self.assertLess(kept, 36, "the array finished before the interrupt:\n%s\n%s\n%s" % (
            stdout, stderr, read(os.path.join(out, "slurm", "1", "logs", job + "_0.out"))))
        p = self.sweep(*args, "-executor", "local")
        self.assertIn("36 runs: %d done before, %d to run" % (kept, 36 - kept), p.stdout)

    def test_kill9(self):
        """kill -9 of a local sweep loses only the runs in flight; a re-run redoes just those."""
        out = os.path.join(self.tmp, "killed")
        args = [*SWEEP, "-episodes", "1000", "-out", out, "-workers", "1"]
        proc = subprocess.Popen([self.binary, *args], env=self.cluster.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for("a first result", lambda: self.results(out), 60, 0.05)
            proc.kill()
        finally:
            proc.wait()
        before = {rel: os.stat(p).st_mtime_ns for rel, p in self.results(out).items()}
        self.assertLess(len(before), 36, "the sweep finished before kill -9")
        p = self.sweep(*args)
        self.assertIn("36 runs: %d done before, %d to run" % (len(before), 36 - len(before)), p.stdout)
        after = self.results(out)
        self.assertEqual(len(after), 36)
        for rel, mtime in before.items():
            self.assertEqual(os.stat(after[rel]).st_mtime_ns, mtime, "%s was redone, though it existed" % rel)

    @staticmethod
    def records(stdout):
        """The iteration records evolve prints, without their wall time."""
        return [re.sub(r"\s+\[\d+ s\]$", "", l) for l in stdout.splitlines() if re.match(r"iteration \d+: objective", l)]

    @staticmethod
    def checkpoint(path):
        """A checkpoint without the wall times of its records."""
        with open(path) as f:
            ck = json.load(f)
        for r in ck["records"]:
            r.pop("seconds")
        return ck

    def test_evolve(self):
        """Meta-training through Slurm equals the in-process one, also when resumed after a lost array task."""
        local = os.path.join(self.tmp, "evolve-local")
        os.mkdir(local)
        p = self.run_evolve(*EVOLVE, "-checkpoint", os.path.join(local, "ck.json"), "-out", os.path.join(local, "rule.json"))
        want = self.records(p.stdout)
        self.assertEqual(len(want), 2, p.stdout)
        want_ck = self.checkpoint(os.path.join(local, "ck.json"))

        def slurm_args(d):
            return [*EVOLVE, "-executor", "slurm", "-out-dir", os.path.join(d, "runs"), "-poll", "0.5", "-array-tasks", "2",
                    "-checkpoint", os.path.join(d, "ck.json"), "-out", os.path.join(d, "rule.json")]

        # Uninterrupted, through Slurm: the same records, rule and checkpoint.
        whole = os.path.join(self.tmp, "evolve-slurm")
        p = self.run_evolve(*slurm_args(whole))
        self.assertEqual(self.records(p.stdout), want)
        self.assertEqual(p.stdout.count("submitted array job"), 2, p.stdout)
        self.assertTrue(filecmp.cmp(os.path.join(whole, "rule.json"), os.path.join(local, "rule.json"), shallow=False),
                        "the rule learned through Slurm differs from the in-process one")
        self.assertEqual(self.checkpoint(os.path.join(whole, "ck.json")), want_ck)
        self.assertFalse(os.path.exists(os.path.join(whole, "runs", "iteration-0000")), "iteration 0's runs were kept")

        # Interrupted: one array task of iteration 1 scancelled while it runs.
        out = os.path.join(self.tmp, "evolve-interrupted")
        it1 = os.path.join(out, "runs", "iteration-0001")
        victim, rc, stdout, stderr = self.scancel_running([self.evolve, *slurm_args(out)], os.path.join(it1, "slurm", "1", "job_id"), 1)
        self.assertNotEqual(rc, 0, "evolve did not notice the cancelled task:\n" + stdout)
        self.assertIn("array task " + victim, stderr)
        self.assertEqual(self.records(stdout), want[:1])
        kept = self.results(it1)
        self.assertTrue(0 < len(kept) < EVOLVE_RUNS, "iteration 1 has %d of %d results; want some lost, some kept" % (len(kept), EVOLVE_RUNS))
        # A deleted result is redone too.
        deleted = sorted(kept)[0]
        os.remove(kept.pop(deleted))
        before = {rel: os.stat(p).st_mtime_ns for rel, p in kept.items()}

        p = self.run_evolve(*slurm_args(out))
        n = len(kept)
        self.assertIn("resuming", p.stdout)
        self.assertIn("iteration 1: %d runs: %d done before, %d to run" % (EVOLVE_RUNS, n, EVOLVE_RUNS - n), p.stdout)
        self.assertIn("iteration 1: ran %d runs, reused %d, missing 0" % (EVOLVE_RUNS - n, n), p.stdout)
        self.assertEqual(self.records(p.stdout), want[1:])
        after = self.results(it1)
        self.assertEqual(len(after), EVOLVE_RUNS)
        self.assertIn(deleted, after)
        for rel, mtime in before.items():
            self.assertEqual(os.stat(after[rel]).st_mtime_ns, mtime, "%s was redone, though it existed" % rel)
        self.assertTrue(filecmp.cmp(os.path.join(out, "rule.json"), os.path.join(local, "rule.json"), shallow=False),
                        "the rule of the resumed training differs from the uninterrupted one")
        self.assertEqual(self.checkpoint(os.path.join(out, "ck.json")), want_ck)

    def test_unavailable(self):
        # No cluster reachable: a slurm.conf naming a port nobody listens on.
        dead = os.path.join(self.tmp, "dead.conf")
        with open(self.cluster.conf) as f:
            conf = re.sub(r"SlurmctldPort=\d+", "SlurmctldPort=%d" % free_port(), f.read())
        conf += "MessageTimeout=2\n"
        with open(dead, "w") as f:
            f.write(conf)
        out = os.path.join(self.tmp, "dead")
        p = self.sweep(*SWEEP, "-out", out, "-executor", "slurm", env=dict(self.cluster.env, SLURM_CONF=dead), check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("no cluster reachable", p.stderr)
        # No sbatch on PATH.
        empty = os.path.join(self.tmp, "empty-path")
        os.makedirs(empty, exist_ok=True)
        p = self.sweep(*SWEEP, "-out", out, "-executor", "slurm", env=dict(self.cluster.env, PATH=empty), check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("sbatch not found on PATH", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(out, "sweep.json")), "an unavailable executor claimed -out")
        # The same for evolve -executor slurm, before any learning run.
        for env, want in ((dict(self.cluster.env, SLURM_CONF=dead), "no cluster reachable"),
                          (dict(self.cluster.env, PATH=empty), "sbatch not found on PATH")):
            p = self.run_evolve(*EVOLVE, "-executor", "slurm", "-out-dir", out, env=env, check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn(want, p.stderr)
            self.assertNotIn("iteration 0", p.stdout)
        p = self.run_evolve(*EVOLVE, "-executor", "pbs", check=False)
        self.assertIn('-executor: unknown executor "pbs"', p.stderr)


if __name__ == "__main__":
    unittest.main()
