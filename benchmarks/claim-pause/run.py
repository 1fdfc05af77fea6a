#!/usr/bin/env python3
"""The claim query with and without the paused-queue checks (issue 17), side by side in one process.

The SQL is what JobClaimer.BuildSql(1) generates before and after schema step 5; each claim runs
inside BEGIN IMMEDIATE and is rolled back, so every sample sees the same queue. Old and new
alternate sample by sample, so load on the machine hits both alike. Usage: run.py [jobs] [samples]
"""
import os, sqlite3, statistics, sys, tempfile, time

JOBS = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
SAMPLES = int(sys.argv[2]) if len(sys.argv) > 2 else 400

def claim_sql(paused_checks):
    queued_limit = "CASE WHEN EXISTS (SELECT 1 FROM paused_queues WHERE task_type = @t0) THEN 0 ELSE @n0 END" if paused_checks else "@n0"
    lease_pause = "AND task_type NOT IN (SELECT task_type FROM paused_queues)" if paused_checks else ""
    return f"""
UPDATE jobs
SET status = 'processing', lease_owner = @owner, lease_token = @token, lease_expires_at = @until,
    attempts = attempts + 1, started_at = @now, updated_at = @now, progress = 0, worker_id = @owner
WHERE id IN (SELECT id FROM (
    SELECT * FROM (SELECT id, priority, created_at FROM jobs
        WHERE status = 'queued' AND task_type = @t0 AND (run_after <= @now OR typeof(run_after) IN ('text', 'blob')) AND cancel_requested = 0
        ORDER BY priority DESC, created_at, id LIMIT {queued_limit})
    UNION ALL
    SELECT * FROM (SELECT id, priority, created_at FROM jobs
        WHERE status = 'processing' AND lease_expires_at < @now AND cancel_requested = 0 AND task_type IN (@t0)
            {lease_pause}
        ORDER BY priority DESC, created_at, id LIMIT @limit)
) ORDER BY priority DESC, created_at, id LIMIT @limit)
RETURNING id, job_id, task_type, params, attempts, max_retries, timeout_seconds, created_at, priority,
    CASE WHEN typeof(run_after) IN ('text', 'blob') THEN quote(run_after) END
""".replace("@", ":")

def main():
    folder = tempfile.mkdtemp(prefix="mw-claim-pause-")
    db = sqlite3.connect(os.path.join(folder, "jobs.db"), isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("""CREATE TABLE jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT UNIQUE NOT NULL, task_type TEXT NOT NULL,
        params TEXT, output TEXT, status TEXT NOT NULL DEFAULT 'queued', priority INTEGER NOT NULL DEFAULT 5, progress INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER, started_at INTEGER, completed_at INTEGER, updated_at INTEGER, error_message TEXT, retry_count INTEGER NOT NULL DEFAULT 0,
        max_retries INTEGER NOT NULL DEFAULT 3, created_by TEXT, attempts INTEGER NOT NULL DEFAULT 0, run_after INTEGER NOT NULL DEFAULT 0,
        lease_owner TEXT, lease_token TEXT, lease_expires_at INTEGER, cancel_requested INTEGER NOT NULL DEFAULT 0, timeout_seconds REAL,
        idempotency_key TEXT, parent_job_id TEXT, worker_id TEXT)""")
    db.execute("CREATE INDEX jobs_queue ON jobs (task_type, priority DESC, created_at, id) WHERE status = 'queued'")
    db.execute("CREATE INDEX jobs_lease ON jobs (lease_expires_at) WHERE status = 'processing'")
    db.execute("CREATE TABLE paused_queues (task_type TEXT PRIMARY KEY, paused_at BIGINT NOT NULL, paused_by TEXT, reason TEXT)")
    db.execute("INSERT INTO paused_queues VALUES ('image_resize', 0, NULL, NULL)")  # another type paused: the realistic case
    db.execute("BEGIN")
    db.executemany("INSERT INTO jobs (job_id, task_type, params, created_at) VALUES (?, 'noop', '{}', ?)", ((f"j{i}", i) for i in range(JOBS)))
    db.execute("COMMIT")
    statements = {"old": claim_sql(False), "new": claim_sql(True)}
    for batch in (256, 1):
        args = {"owner": "w", "token": "t", "until": 10**13, "now": 10**12, "t0": "noop", "n0": batch, "limit": batch}
        times = {"old": [], "new": []}
        for _ in range(SAMPLES):
            for name in ("old", "new"):
                db.execute("BEGIN IMMEDIATE")
                start = time.perf_counter()
                rows = db.execute(statements[name], args).fetchall()
                times[name].append(time.perf_counter() - start)
                db.execute("ROLLBACK")
                assert len(rows) == batch, (name, len(rows))
        old, new = statistics.median(times["old"]), statistics.median(times["new"])
        print(f"claim batch {batch}: median old {old * 1e6:.0f} us, new {new * 1e6:.0f} us, new/old {new / old:.3f} ({SAMPLES} samples each, alternating)")

main()
