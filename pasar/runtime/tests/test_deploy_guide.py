"""docs/deploy.md, run: every ``bash ci`` block of the guide, in order, against the local PostgreSQL.

This reads the guide itself, so a step changed there is a step changed here. Only the values of
step 3 (the ``bash ci-values`` block) are replaced: a throwaway folder, database and port, and root
as the app's user (CI runs as root and has no ``pasar`` user).
"""

import os
import re
import shutil
import socket
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings

GUIDE = Path(settings.BASE_DIR).parent / "docs" / "deploy.md"
BLOCK = re.compile(r"^```bash (ci|ci-values)\n(.*?)^```$", re.MULTILINE | re.DOTALL)

pytestmark = [
    pytest.mark.wall_clock,
    pytest.mark.skipif("postgresql" not in str(settings.DATABASES["default"]["ENGINE"]), reason="PostgreSQL"),
    pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("runuser"), reason="runs as root, as CI does"),
]


def guide_script(values: str) -> str:
    blocks = BLOCK.findall(GUIDE.read_text())
    kinds = [kind for kind, _ in blocks]
    assert kinds.count("ci-values") == 1, kinds
    assert kinds[0] == "ci-values", kinds
    assert kinds.count("ci") >= 6, "the guide lost its tested steps"
    body = "\n".join(text for kind, text in blocks if kind == "ci")
    return f"set -euo pipefail\nset -m\n{values}\n{body}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_deploy_guide_runs_from_an_empty_database_to_a_ready_market(tmp_path):
    home = tmp_path / "srv"
    home.mkdir()
    (home / "app").symlink_to(GUIDE.parent.parent)
    name = f"pasar_guide_{uuid.uuid4().hex[:8]}"
    values = "\n".join(
        [
            f"export PASAR_HOME={home}",
            "export PASAR_USER=root",
            f"export PASAR_DB={name}",
            "export PASAR_DB_PASSWORD=$(openssl rand -hex 16)",
            "export PASAR_DOMAIN=pasar.example.go.id",
            f"export PASAR_PORT={free_port()}",
        ]
    )
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PASAR_", "DJANGO_", "VIRTUAL_ENV"))
    }
    try:
        done = subprocess.run(  # noqa: S603 - the guide's own commands
            ["bash", "-c", guide_script(values)],  # noqa: S607
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        log = home / "first-run.log"
        assert done.returncode == 0, f"{done.stdout}\n{done.stderr}\n{log.read_text() if log.exists() else ''}"
        assert '"database": "ok"' in done.stdout
        assert '"worker": "ok"' in done.stdout
        assert '"scheduler": "ok"' in done.stdout
        assert "market pasar-cikurubuk added" in done.stdout
        assert list((home / "data" / "backups").glob("*.tar.gz"))
    finally:
        for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'DROP ROLE IF EXISTS "{name}"'):
            subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-q", "-c", sql], check=False)  # noqa: S603,S607
