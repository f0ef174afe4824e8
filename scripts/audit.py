"""Dependency audit: pip-audit over requirements.lock, and an honest verdict.

pip-audit prints "No known vulnerabilities found" even when it could not read
the vulnerability data of any package (for instance when only a package mirror
is reachable). This script says so instead and fails:

    exit 0  every pinned package was checked and none has a known vulnerability
    exit 1  known vulnerabilities (listed)
    exit 2  some packages could not be checked (listed); the audit is incomplete

``AUDIT_SERVICE`` picks the vulnerability service (``pypi``, the default, or ``osv``).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    service = os.environ.get("AUDIT_SERVICE", "pypi")
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "-r",
        str(ROOT / "requirements.lock"),
        "--vulnerability-service",
        service,
        "--no-deps",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "-f",
        "json",
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout + result.stderr, file=sys.stderr)
        print(f"audit: pip-audit failed (exit {result.returncode}); no verdict.", file=sys.stderr)
        return 2
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"{dep['name']} {dep.get('version', '')}: {vuln['id']} (fixed in {fixes})")
    checked = len(dependencies) - len(skipped)
    print(f"audit: {checked} of {len(dependencies)} pinned packages checked against {service}.")
    if skipped:
        for dep in skipped[:10]:
            print(f"  not checked: {dep['skip_reason']}", file=sys.stderr)
        print(
            f"audit: INCOMPLETE, {len(skipped)} packages could not be checked: the "
            f"vulnerability data of the '{service}' service is not reachable from here.",
            file=sys.stderr,
        )
    if vulnerable:
        print(f"audit: {len(vulnerable)} packages have known vulnerabilities.")
        return 1
    if skipped:
        return 2
    print("audit: no known vulnerabilities.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
