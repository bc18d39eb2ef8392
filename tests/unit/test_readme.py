"""The README's promises, checked: its two commands exist and CI runs the test one."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def _commands() -> list[str]:
    block = re.search(r"## Two commands\n.*?```bash\n(.*?)```", README, re.S).group(1)
    return [line.split("#")[0].strip() for line in block.strip().splitlines()]


def test_readme_gives_exactly_two_commands_that_the_run_script_knows():
    assert _commands() == ["./run app", "./run test"]
    script = (ROOT / "run").read_text()
    assert "  app)" in script
    assert "  test)" in script


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "./run test" in ci


def test_run_rejects_an_unknown_command():
    result = subprocess.run([str(ROOT / "run"), "nonsense"], capture_output=True, text=True, check=False)
    assert result.returncode == 64
    assert "usage" in result.stderr


def test_procfile_runs_gunicorn_on_the_app():
    procfile = (ROOT / "Procfile").read_text()
    assert procfile.startswith("web: gunicorn app:server")
    assert "$PORT" in procfile or "${PORT" in procfile
