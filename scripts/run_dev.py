"""Run the web server and a Django-Q2 cluster together; Ctrl-C stops both."""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    python = sys.executable
    procs = [
        subprocess.Popen(
            [python, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
            cwd=ROOT,
            env=env,
        ),
        subprocess.Popen([python, "manage.py", "qcluster"], cwd=ROOT, env=env),
    ]
    print(
        f"\n  เว็บไซต์พร้อมใช้งานที่ http://127.0.0.1:{args.port}/  (Ctrl-C เพื่อหยุด)\n"
        f"  ระบบผู้ดูแล: http://127.0.0.1:{args.port}/admin/\n",
        flush=True,
    )

    def stop(*_):
        # SIGINT first (what Ctrl-C sends), then SIGTERM for a child that
        # ignores SIGINT (as children of a background shell job do), then kill.
        for sig, grace in ((signal.SIGINT, 5), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            alive = [proc for proc in procs if proc.poll() is None]
            if not alive:
                break
            for proc in alive:
                proc.send_signal(sig)
            deadline = time.time() + grace
            for proc in alive:
                try:
                    proc.wait(timeout=max(0.1, deadline - time.time()))
                except subprocess.TimeoutExpired:
                    pass
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while all(proc.poll() is None for proc in procs):
        time.sleep(0.5)
    stop()


if __name__ == "__main__":
    main()
