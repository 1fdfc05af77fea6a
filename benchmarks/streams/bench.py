"""Drives benchmarks/streams/run.sh: see that script for what is measured."""
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

root, seconds, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
# MW_BASELINE_ROOT: another checkout's published build (the old one), measured in stream copy beside this one.
baseline = os.environ.get("MW_BASELINE_ROOT")
daemon = os.path.join(root, "publish", "mediaworker")
PIPELINE = {"name": "segment_probe", "steps": [{"name": "probe", "task": "video_probe", "params": {"input_path": "${input.path}"}}]}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(folder, port, root=root):
    plugins = os.path.join(folder, "plugins")
    os.makedirs(plugins, exist_ok=True)
    os.symlink(os.path.join(root, "publish", "plugins", "Video"), os.path.join(plugins, "Video"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WORKER_", "MQTT_", "JOB_", "DATABASE_", "VIDEO_", "STREAM_", "CL_", "PLUGIN_", "MEDIA_"))}
    env.update({
        "CL_SERVER_DIR": folder, "DATABASE_URL": os.path.join(folder, "media_store.db"), "PLUGIN_DIR": plugins,
        "MEDIA_ALLOWED_ROOTS": folder, "BROADCAST_TYPE": "noop", "WORKER_CONCURRENCY": "3", "LOG_LEVEL": "warning",
        "VIDEO_ALLOWED_URL_PREFIXES": f"http://127.0.0.1:{port}",
    })
    return env


def source(port):
    return subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
         "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
         "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "96k", "-f", "mpegts", "-listen", "1", f"http://127.0.0.1:{port}/live.ts"],
        stdin=subprocess.DEVNULL)


def run_worker(env, until, daemon=daemon):
    """Starts a worker, waits until until() is true, stops it with SIGINT; returns (cpu seconds, wall seconds)."""
    start = time.monotonic()
    worker = subprocess.Popen([daemon, "run"], env=env, cwd=env["CL_SERVER_DIR"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not until(time.monotonic() - start):
        time.sleep(0.2)
    worker.send_signal(signal.SIGINT)
    _, _, usage = os.wait4(worker.pid, 0)
    return usage.ru_utime + usage.ru_stime, time.monotonic() - start


def ingest(mode, build=root):
    daemon = os.path.join(build, "publish", "mediaworker")
    with tempfile.TemporaryDirectory(prefix="mw-stream-bench-") as folder:
        port = free_port()
        env = environment(folder, port, build)
        live = source(port)
        time.sleep(0.5)
        params = {"input_path": f"http://127.0.0.1:{port}/live.ts", "segment_seconds": 2, "max_segments": 5,
                  "max_duration_seconds": seconds, "extract_audio": mode == "audio", "delete_grace_seconds": 0}
        if mode == "pipeline":
            # Stored by starting it once (on a missing file: that run fails at once).
            definition = os.path.join(folder, "segment_probe.json")
            with open(definition, "w") as f:
                json.dump(PIPELINE, f)
            subprocess.run([daemon, "pipeline", "run", definition, "--input", json.dumps({"path": "missing.ts"})],
                           env=env, cwd=folder, check=True, capture_output=True)
            params["pipeline"] = {"name": "segment_probe"}
        else:
            params["follow_ups"] = [{"task_type": "video_probe"}]
        job = subprocess.run([daemon, "submit", "stream_ingest", "--params", json.dumps(params), "--max-retries", "0"],
                             env=env, cwd=folder, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        db = os.path.join(folder, "media_store.db")

        def finished(_):
            with sqlite3.connect(db) as c:
                row = c.execute("SELECT status FROM jobs WHERE job_id = ?", (job,)).fetchone()
                pending = c.execute("SELECT COUNT(*) FROM jobs WHERE parent_job_id = ? AND status IN ('queued','processing')", (job,)).fetchone()[0]
                if mode == "pipeline":
                    pending += c.execute("SELECT COUNT(*) FROM pipeline_runs WHERE created_by = ? AND status IN ('queued','running')", ("job:" + job,)).fetchone()[0]
            return row[0] in ("completed", "failed", "cancelled") and pending == 0

        cpu, wall = run_worker(env, finished, daemon)
        live.kill()
        live.wait()
        with sqlite3.connect(db) as c:
            status, output = c.execute("SELECT status, output FROM jobs WHERE job_id = ?", (job,)).fetchone()
            state = json.loads(c.execute("SELECT state FROM job_checkpoints WHERE job_id = ?", (job,)).fetchone()[0])
            starts = dict(c.execute("SELECT job_id, started_at FROM jobs WHERE parent_job_id = ?", (job,)).fetchall())
            if mode == "pipeline":
                # A run's first step job, keyed by the run: the segment names its run.
                starts = dict(c.execute(
                    "SELECT sj.run_id, MIN(j.started_at) FROM pipeline_step_jobs sj JOIN jobs j ON j.job_id = sj.job_id "
                    "JOIN pipeline_runs r ON r.run_id = sj.run_id WHERE r.created_by = ? GROUP BY sj.run_id", ("job:" + job,)).fetchall())
        if status != "completed":
            raise SystemExit(f"{mode}: the ingest ended {status}: {output}")
        delays = [starts[f] - s["recorded_at_ms"] for s in state["segments"] for f in s["follow_ups"] + ([s["pipeline_run"]] if s.get("pipeline_run") else []) if starts.get(f)]
        return {"cpu": cpu, "wall": wall, "recorded": state["recorded"], "segments": len(state["segments"]), "delays": delays}


def idle(wall, build=root):
    with tempfile.TemporaryDirectory(prefix="mw-stream-bench-") as folder:
        return run_worker(environment(folder, free_port(), build), lambda elapsed: elapsed >= wall, os.path.join(build, "publish", "mediaworker"))


load_before = os.getloadavg()
results = {}
MODES = [("copy", "stream copy", root), ("audio", "stream copy + audio extraction (16 kHz WAV)", root),
         ("pipeline", "stream copy + a one-step pipeline run (video_probe) per segment", root)]
if baseline:
    MODES.insert(1, ("copy-old", f"stream copy, old build ({baseline})", baseline))
for mode, _, build in MODES:
    results[mode] = ingest(mode.removesuffix("-old"), build)
    cpu_idle, wall_idle = idle(results[mode]["wall"], build)
    results[mode]["idle"] = cpu_idle * results[mode]["wall"] / wall_idle
load_after = os.getloadavg()
version = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True).stdout.split("\n")[0].split(" ")[2]

lines = [
    "## Live-stream ingest (stream_ingest)",
    "",
    f"Produced by `{'MW_BASELINE_ROOT=' + baseline + ' ' if baseline else ''}benchmarks/streams/run.sh {seconds:g}` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC (2 cores, ffmpeg {version}):",
    "a real worker ingests a live MPEG-TS source on loopback (ffmpeg -re, 640x360 25 fps H.264 + AAC 96k,",
    "a keyframe every second) with 2 s segments and one `video_probe` follow-up per segment (or, in the pipeline",
    "mode, one run of a stored one-step `video_probe` pipeline per segment), one run per mode.",
    "CPU: the worker's user+sys time including every ffmpeg/ffprobe it started (wait4 rusage), minus an",
    "idle worker's over the same wall time, per second of stream recorded; the follow-ups' probes are included.",
    "Delay: a segment's end (the moment ffmpeg listed it complete) to its follow-up's `started_at` (the first step job's, for a pipeline run).",
    f"Load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}; after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}",
    "(a shared machine: other sessions' builds and tests compete for the cores).",
    "",
    "| mode | stream recorded (s) | segments | worker CPU (s) | idle worker CPU (s) | CPU per stream (% of one core) | delay median (ms) | delay max (ms) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
]
for mode, label, _ in MODES:
    r = results[mode]
    per_stream = max(0.0, r["cpu"] - r["idle"]) / r["recorded"] * 100
    d = r["delays"] or [0]
    lines.append(f"| {label} | {r['recorded']:.1f} | {r['segments']} | {r['cpu']:.2f} | {r['idle']:.2f} | {per_stream:.1f} % | {statistics.median(d):.0f} | {max(d):.0f} |")
ratio = (max(0.0, results["audio"]["cpu"] - results["audio"]["idle"]) / results["audio"]["recorded"]) / max(1e-9, max(0.0, results["copy"]["cpu"] - results["copy"]["idle"]) / results["copy"]["recorded"])
lines += ["", f"Audio extraction costs {ratio:.2f}x the CPU of stream copy alone, in this run."]
if baseline:
    per = {m: max(0.0, results[m]["cpu"] - results[m]["idle"]) / results[m]["recorded"] for m in ("copy", "copy-old")}
    lines += [f"Stream copy, this build against the old one: {per['copy'] / max(1e-9, per['copy-old']):.2f}x the CPU per stream."]
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
