"""`make test` on a fresh machine: what the suite needs from the system is installed when
it is missing, and nothing is installed when it is there."""

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "test-dependencies"


def _run(tmp_path: Path, chromium: Path, soffice: Path
         ) -> tuple[subprocess.CompletedProcess, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "apt.log"
    # Stand-ins for the system's package manager and user id: they record what was asked.
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    (bin_dir / "id").write_text("#!/bin/sh\necho 0\n")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "CHROMIUM": str(chromium),
           "SOFFICE": str(soffice)}
    result = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True,
                            check=False)
    return result, log.read_text() if log.exists() else ""


def _program(tmp_path: Path, name: str) -> Path:
    program = tmp_path / name
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    return program


def test_a_machine_without_chromium_or_libreoffice_gets_them_installed(tmp_path):
    result, asked = _run(tmp_path, tmp_path / "no-chromium-here", tmp_path / "no-soffice")

    assert result.returncode == 0, result.stderr
    assert "install -y -qq chromium chromium-driver libreoffice-calc-nogui" in asked


def test_a_machine_with_chromium_gets_only_libreoffice(tmp_path):
    result, asked = _run(tmp_path, _program(tmp_path, "chromium"), tmp_path / "no-soffice")

    assert result.returncode == 0, result.stderr
    assert "install -y -qq libreoffice-calc-nogui" in asked


def test_a_machine_with_both_installs_nothing(tmp_path):
    result, asked = _run(tmp_path, _program(tmp_path, "chromium"),
                         _program(tmp_path, "soffice"))

    assert result.returncode == 0, result.stderr
    assert asked == ""
