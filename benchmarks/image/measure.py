#!/usr/bin/env python3
"""measure.py LABEL N -- COMMAND...: runs COMMAND N times (after one warm-up) and prints one line:
median and p90 wall time in ms (process start included) and the largest peak RSS (MiB) of any run."""
import os, sys, time

label, n = sys.argv[1], int(sys.argv[2])
command = sys.argv[sys.argv.index("--") + 1:]


def run_once():
    start = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ, file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{label}: {' '.join(command)} failed")
    return elapsed, usage.ru_maxrss / 1024.0


run_once()
runs = [run_once() for _ in range(n)]
times = sorted(t for t, _ in runs)
print(f"{label} n={n} median_ms={times[len(times) // 2]:.1f} p90_ms={times[min(len(times) - 1, int(len(times) * 0.9 + 0.5) - 1)]:.1f} "
      f"min_ms={times[0]:.1f} peak_rss_mib={max(r for _, r in runs):.1f}")
