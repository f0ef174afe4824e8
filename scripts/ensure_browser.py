"""Make sure Debian's Chromium is there for the browser tests.

Installs it with apt-get when missing and we may (root, apt available);
otherwise prints why the browser tests will be skipped.
"""

import os
import shutil
import subprocess
import sys

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def main():
    if os.path.exists(CHROMIUM):
        return 0
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("installing chromium (Debian package) for the browser tests…", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium", "fonts-thai-tlwg"], check=False, env=env
        )
    if not os.path.exists(CHROMIUM):
        print(f"warning: {CHROMIUM} not found; browser tests will be skipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
