#!/usr/bin/env python3
"""The one-job claim on the SQLite that ships with the daemon and on the system's, with the overall
limit written `LIMIT @limit` (before) and `LIMIT +@limit` (JobClaimer now), through raw C calls.

Calling the libraries through ctypes, with the same calls for both, keeps the .NET binding out of
the figure. SQLite 3.53 marks a statement whose LIMIT is a bare parameter for re-preparation each
time that parameter is bound, and Microsoft.Data.Sqlite binds every parameter on every run, so the
script binds every parameter each run too and reports sqlite3_stmt_status(SQLITE_STMTSTATUS_REPREPARE).
Each round inserts one job, then claims and completes it in one BEGIN IMMEDIATE transaction; only
the claim statement is timed. The four variants alternate round by round, so load hits all alike.
Usage: claim-reprepare.py PUBLISH_DIR [ROUNDS]   (the schema comes from PUBLISH_DIR's own migration)
"""
import ctypes, ctypes.util, glob, os, secrets, shutil, statistics, subprocess, sys, tempfile, time, uuid

publish = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
bundled = (glob.glob(os.path.join(publish, "libe_sqlite3.so")) + glob.glob(os.path.join(publish, "runtimes", "linux-x64", "native", "libe_sqlite3.so")))[0]
system = ctypes.util.find_library("sqlite3")
ctypes.CDLL(ctypes.util.find_library("m"), mode=ctypes.RTLD_GLOBAL)  # the bundle needs libm's symbols

CLAIM = """UPDATE jobs
SET status = 'processing', lease_owner = :owner, lease_token = :token, lease_expires_at = :until,
    attempts = attempts + 1, started_at = :now, updated_at = :now, progress = 0, worker_id = :owner
WHERE id IN (SELECT id FROM (
    SELECT * FROM (SELECT id, priority, created_at FROM jobs
        WHERE status = 'queued' AND task_type = :t0 AND (run_after <= :now OR typeof(run_after) IN ('text', 'blob')) AND cancel_requested = 0
        ORDER BY priority DESC, created_at, id LIMIT CASE WHEN EXISTS (SELECT 1 FROM paused_queues WHERE task_type = :t0) THEN 0 ELSE :n0 END)
    UNION ALL
    SELECT * FROM (SELECT id, priority, created_at FROM jobs
        WHERE status = 'processing' AND lease_expires_at < :now AND cancel_requested = 0 AND task_type IN (:t0)
            AND task_type NOT IN (SELECT task_type FROM paused_queues)
        ORDER BY priority DESC, created_at, id LIMIT {limit})
) ORDER BY priority DESC, created_at, id LIMIT {limit})
RETURNING id, job_id, task_type, params, attempts, max_retries, timeout_seconds, created_at, priority,
    CASE WHEN typeof(run_after) IN ('text', 'blob') THEN quote(run_after) END"""
INSERT = """INSERT INTO jobs (job_id, task_type, params, status, priority, progress, created_at, updated_at,
    retry_count, max_retries, attempts, run_after) VALUES (:j, 'noop', '{}', 'queued', 5, 0, :now, :now, 0, 3, 0, 0)"""
COMPLETE = "UPDATE jobs SET status = 'completed', lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL WHERE status = 'processing'"


class Variant:
    def __init__(self, name, library, limit, path):
        self.name, self.samples = name, []
        self.lib = lib = ctypes.CDLL(library)
        lib.sqlite3_libversion.restype = ctypes.c_char_p
        lib.sqlite3_errmsg.restype = ctypes.c_char_p
        lib.sqlite3_bind_text.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p]
        lib.sqlite3_bind_int64.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int64]
        lib.sqlite3_bind_parameter_index.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        lib.sqlite3_stmt_status.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
        for f in ("sqlite3_step", "sqlite3_reset"):
            getattr(lib, f).argtypes = [ctypes.c_void_p]
        self.version = lib.sqlite3_libversion().decode()
        self.db = ctypes.c_void_p()
        assert lib.sqlite3_open_v2(path.encode(), ctypes.byref(self.db), 6, None) == 0
        for pragma in ("busy_timeout = 5000", "journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
            self.run(self.prepare("PRAGMA " + pragma))
        self.claim = self.prepare(CLAIM.format(limit=limit))
        self.insert, self.complete = self.prepare(INSERT), self.prepare(COMPLETE)
        self.begin, self.commit = self.prepare("BEGIN IMMEDIATE"), self.prepare("COMMIT")

    def prepare(self, sql):
        statement = ctypes.c_void_p()
        assert self.lib.sqlite3_prepare_v2(self.db, sql.encode(), -1, ctypes.byref(statement), None) == 0, self.lib.sqlite3_errmsg(self.db)
        return statement

    def run(self, statement, **values):
        for name, value in values.items():
            i = self.lib.sqlite3_bind_parameter_index(statement, (":" + name).encode())
            if i and isinstance(value, int):
                self.lib.sqlite3_bind_int64(statement, i, value)
            elif i:
                self.lib.sqlite3_bind_text(statement, i, value.encode(), -1, ctypes.c_void_p(-1))
        rows = 0
        while (rc := self.lib.sqlite3_step(statement)) == 100:
            rows += 1
        assert rc == 101, (rc, self.lib.sqlite3_errmsg(self.db))
        self.lib.sqlite3_reset(statement)
        return rows

    def round(self):
        now = int(time.time() * 1000)
        self.run(self.begin); self.run(self.insert, j=str(uuid.uuid4()), now=now); self.run(self.commit)
        self.run(self.begin)
        start = time.perf_counter()
        claimed = self.run(self.claim, owner="bench", token=secrets.token_hex(12), until=now + 30000, now=now, t0="noop", n0=1, limit=1)
        self.samples.append((time.perf_counter() - start) * 1e6)
        assert claimed == 1, claimed
        self.run(self.complete); self.run(self.commit)


work = tempfile.mkdtemp()
try:
    env = dict(os.environ, CL_SERVER_DIR=work, DATABASE_URL=os.path.join(work, "schema.db"))
    env.pop("WORKER_ENV_FILE", None)
    subprocess.run([os.path.join(publish, "mediaworker"), "jobs"], env=env, check=True, stdout=subprocess.DEVNULL)
    variants = []
    for library in (bundled, system):
        for limit in (":limit", "+:limit"):
            path = os.path.join(work, f"{len(variants)}.db")
            shutil.copy(os.path.join(work, "schema.db"), path)
            variants.append(Variant(f"LIMIT {limit.replace(':', '@')}", library, limit, path))
    for _ in range(rounds):
        for v in variants:
            v.round()
    print(f"claim-reprepare: {rounds} one-job claims per variant, load {os.getloadavg()[0]:.2f}")
    for v in variants:
        s = sorted(v.samples)
        print(f"SQLite {v.version:7} {v.name:15} claim p50 {statistics.median(s):6.0f} us  p90 {s[int(len(s) * 0.9)]:6.0f} us  re-prepared {v.lib.sqlite3_stmt_status(v.claim, 5, 0)} of {v.lib.sqlite3_stmt_status(v.claim, 6, 0)} runs")
finally:
    shutil.rmtree(work)
