#!/usr/bin/env python3
"""throughput.py DB JOBS PARAMS_JSON: inserts JOBS image_resize jobs the way a foreign producer does
(one transaction), waits until every one has finished, and prints images/s, the outcome counts and
the median time a job ran (started_at to completed_at: the plugin's work plus the job folder, without
the queue's claim and completion), which tells the plugin's share from the daemon's."""
import json, sqlite3, sys, time, uuid

db, jobs, params = sys.argv[1], int(sys.argv[2]), sys.argv[3]
connection = sqlite3.connect(db, timeout=30)
connection.execute("PRAGMA busy_timeout=30000")
now = int(time.time() * 1000)
start = time.perf_counter()
with connection:
    connection.executemany(
        "INSERT INTO jobs (job_id, task_type, params, status, created_at) VALUES (?, 'image_resize', ?, 'queued', ?)",
        [(str(uuid.uuid4()), params, now) for _ in range(jobs)])
while True:
    (left,) = connection.execute("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'processing')").fetchone()
    if left == 0:
        break
    time.sleep(0.05)
elapsed = time.perf_counter() - start
runs = sorted(r for (r,) in connection.execute("SELECT completed_at - started_at FROM jobs WHERE status = 'completed'"))
job_ms = runs[len(runs) // 2] if runs else 0
counts = dict(connection.execute("SELECT status, COUNT(*) FROM jobs GROUP BY status").fetchall())
print(f"daemon jobs={jobs} seconds={elapsed:.1f} images_per_s={jobs / elapsed:.2f} completed={counts.get('completed', 0)} failed={counts.get('failed', 0)} job_median_ms={job_ms}")
