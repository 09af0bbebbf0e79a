"""`make test` on a fresh machine: what the suite needs from the system is installed when
it is missing, and nothing is installed when it is there."""

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "test-dependencies"


def _run(tmp_path: Path, chromium: Path) -> tuple[subprocess.CompletedProcess, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "apt.log"
    # Stand-ins for the system's package manager and user id: they record what was asked.
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    (bin_dir / "id").write_text("#!/bin/sh\necho 0\n")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "CHROMIUM": str(chromium)}
    result = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True,
                            check=False)
    return result, log.read_text() if log.exists() else ""


def test_a_machine_without_chromium_gets_it_installed(tmp_path):
    result, asked = _run(tmp_path, tmp_path / "no-chromium-here")

    assert result.returncode == 0, result.stderr
    assert "install -y -qq chromium chromium-driver" in asked


def test_a_machine_with_chromium_installs_nothing(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)

    result, asked = _run(tmp_path, chromium)

    assert result.returncode == 0, result.stderr
    assert asked == ""
