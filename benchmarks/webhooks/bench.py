"""Drives a real worker (./publish/mediaworker run) against a local receiver; see run.sh."""
import asyncio, json, os, socket, sqlite3, statistics, subprocess, sys, tempfile, threading, time, uuid

daemon, burst, paced = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
arrivals = []  # (arrival ms, completed_at ms, job_id)
lock = threading.Lock()


async def handle(reader, writer):
    # A minimal HTTP/1.1 keep-alive receiver on asyncio: http.server's thread per connection is what
    # limits a Python receiver on a loaded two-core box, not the worker.
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
            body = await reader.readexactly(length)
            now = time.time() * 1000
            data = json.loads(body)["data"]
            with lock:
                arrivals.append((now, data["completed_at"], data["job_id"]))
            writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()


loop = asyncio.new_event_loop()
server = loop.run_until_complete(asyncio.start_server(handle, "127.0.0.1", 0))
port = server.sockets[0].getsockname()[1]
threading.Thread(target=loop.run_forever, daemon=True).start()
work = tempfile.mkdtemp(prefix="mw-webhook-bench-")
db_path = os.path.join(work, "media_store.db")
env = dict(os.environ, CL_SERVER_DIR=work, BROADCAST_TYPE="noop", LOG_LEVEL="warning", WORKER_ENV_FILE="/dev/null",
           WEBHOOK_ALLOWED_URL_PREFIXES=f"http://127.0.0.1:{port}/", WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
           WEBHOOK_SECRET="whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", WEBHOOK_EVENTS="completed", WORKER_CONCURRENCY=os.environ.get("WORKER_CONCURRENCY", "8"))
worker = subprocess.Popen([daemon, "run", "--worker-id", "webhook-bench"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
try:
    for _ in range(200):
        if os.path.exists(db_path):
            db = sqlite3.connect(db_path, timeout=30)
            if db.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'webhook_endpoints'").fetchone()[0] and \
               db.execute("SELECT COUNT(*) FROM webhook_endpoints").fetchone()[0]:
                break
        time.sleep(0.1)
    else:
        sys.exit("the worker did not start")

    def insert(n):
        now = int(time.time() * 1000)
        # A foreign producer's insert: the seed's columns only.
        db.executemany("INSERT INTO jobs (job_id, task_type, params, status, created_at) VALUES (?, 'noop', '{}', 'queued', ?)",
                       [(str(uuid.uuid4()), now) for _ in range(n)])
        db.commit()

    def wait_for(count, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with lock:
                if len(arrivals) >= count:
                    return True
            time.sleep(0.01)
        return False

    # Burst: jobs in one insert; each completion enqueues one delivery.
    start = time.time()
    insert(burst)
    if not wait_for(burst, 300):
        sys.exit(f"only {len(arrivals)} of {burst} deliveries arrived")
    elapsed = time.time() - start
    with lock:
        first_completion = min(a[1] for a in arrivals)
        last_arrival = max(a[0] for a in arrivals)
    burst_jobs_per_s = burst / elapsed
    deliveries_per_s = burst / ((last_arrival - first_completion) / 1000)

    # Paced: one job at a time, so each latency is one delivery's own, not a queue's.
    with lock:
        arrivals.clear()
    for i in range(paced):
        insert(1)
        wait_for(i + 1, 10)
        time.sleep(0.01)
    with lock:
        latencies = sorted(a[0] - a[1] for a in arrivals)
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    load = os.getloadavg()[0]
    print("## Webhooks (issue 16)")
    print()
    print(f"Command: `benchmarks/webhooks/run.sh {burst} {paced}` — one worker (WORKER_CONCURRENCY=8), receiver: a Python asyncio HTTP/1.1 server")
    print(f"on loopback answering 204, one `completed` subscription, load average {load:.1f} at the end.")
    print()
    print("| figure | measured |")
    print("|---|---|")
    print(f"| {burst} no-op jobs inserted at once: jobs completed and notified per second (insert to last arrival) | {burst_jobs_per_s:,.0f} |")
    print(f"| deliveries per second (first completion to last arrival) | {deliveries_per_s:,.0f} |")
    print(f"| completion → arrival latency, {paced} jobs one at a time, p50 / p99 | {p50:.1f} ms / {p99:.1f} ms |")
finally:
    worker.terminate()
    worker.wait(30)
