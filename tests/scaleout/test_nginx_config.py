"""The nginx configuration that deploy/cluster.py renders: nginx (Debian's) accepts it, it lists every app process,
lets through what the app accepts and carries the websocket."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dti.framework import registry

sys.path.insert(0, str(registry.REPO_ROOT / "deploy"))
import cluster as cluster_lib  # noqa: E402 - deploy/ is a folder of scripts, not a package

pytestmark = pytest.mark.scaleout


def test_the_rendered_configuration_is_accepted_by_nginx(tmp_path):
    conf = cluster_lib.render_nginx_conf([8601, 8602, 8603], "127.0.0.1:8680", tmp_path)
    (tmp_path / "nginx.conf").write_text(conf)
    checked = subprocess.run([cluster_lib.NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                              "-e", str(tmp_path / "error.log")], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    assert "{{" not in conf
    assert [f"server 127.0.0.1:{port}" in conf for port in (8601, 8602, 8603)] == [True] * 3
    assert "client_max_body_size 20m;" in conf  # .streamlit/config.toml: server.maxUploadSize = 20
    assert cluster_lib.max_upload_mb() == 20
    assert "proxy_set_header Upgrade $http_upgrade;" in conf and "proxy_read_timeout 1d;" in conf


def test_the_command_prints_the_configuration_for_a_system_nginx(capsys):
    assert cluster_lib.main(["--print-nginx-conf", "--app-port", "8501", "--app-port", "8502",
                             "--listen", "80"]) == 0
    printed = capsys.readouterr().out
    assert "listen 80;" in printed and "server 127.0.0.1:8502" in printed


def test_a_cluster_on_a_database_it_cannot_open_says_so_and_leaves_nothing_running(tmp_path, capsys):
    code = cluster_lib.main(["--processes", "1", "--database-url", "postgresql://nobody@127.0.0.1:1/none",
                             "--workdir", str(tmp_path)])
    assert code == 1
    said = capsys.readouterr().err
    assert said.startswith("cluster not started:") and "127.0.0.1:1/none" in said and "Traceback" not in said
    assert not list(tmp_path.glob("app-*.log"))  # no app process was started
