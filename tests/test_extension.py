"""The browser add-on's files (``examples/browser-extension``), without a browser: a valid
Manifest V3, plain ES modules, the zip command, a stable id the server's CORS allows, and no
network call but the service worker's (to the configured server) and the options page's
health check."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from chatlint.extension import build, extension_dir, extension_id, main, manifest, origin, referenced_files

EXT = extension_dir()
NETWORK = re.compile(r"\b(fetch|XMLHttpRequest|WebSocket|sendBeacon|EventSource)\s*\(|new\s+(WebSocket|EventSource|XMLHttpRequest)\b")


def test_manifest_v3_names_only_files_that_exist():
    data = manifest()
    assert data["manifest_version"] == 3
    assert data["background"] == {"service_worker": "background.js", "type": "module"}
    assert data["permissions"] == ["storage"]  # no host permission: the server's CORS decides
    assert "host_permissions" not in data
    for name in referenced_files(data):
        assert (EXT / name).is_file(), name


def test_the_id_is_stable_and_the_origin_follows():
    assert re.fullmatch(r"[a-p]{32}", extension_id())
    assert origin() == f"chrome-extension://{extension_id()}"


def test_only_the_service_worker_talks_to_the_server():
    for path in sorted(EXT.glob("*.js")):
        src = path.read_text(encoding="utf-8")
        calls = NETWORK.findall(src)
        if path.name == "background.js":
            assert src.count("fetch(") == 1 and "base + message.path" in src
            assert "siteAllowed(origin, settings.sites)" in src
        elif path.name == "options.js":
            assert src.count("fetch(") == 1 and "/healthz" in src  # no text, the configured server
        else:
            assert not calls, (path.name, calls)


def test_modules_are_plain_es_modules():
    """No build step: relative imports of files that exist, no bare package names."""
    for path in sorted(EXT.glob("*.js")):
        for spec in re.findall(r"""^\s*import\s[^;]*?from\s+["']([^"']+)["']""", path.read_text(encoding="utf-8"), re.M):
            assert spec.startswith("./") and (EXT / spec[2:]).is_file(), (path.name, spec)


def test_build_command(tmp_path, capsys):
    out = tmp_path / "chatlint-extension.zip"
    assert main(["build", "-o", str(out)]) == 0
    assert origin() in capsys.readouterr().out
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        assert json.loads(z.read("manifest.json"))["manifest_version"] == 3
    assert {"manifest.json", "background.js", "content.js", "content-main.js", "checker.js", "options.html"} <= names
    assert main(["id"]) == 0 and extension_id() in capsys.readouterr().out


def test_build_into_a_missing_directory_is_a_clear_error(tmp_path, capsys):
    assert main(["build", "-o", str(tmp_path / "nope" / "x.zip")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("chatlint: error:") and "nope" in err and "Traceback" not in err


def test_a_manifest_naming_a_missing_file_is_refused(tmp_path):
    from chatlint.extension import ExtensionError

    (tmp_path / "manifest.json").write_text(json.dumps({"manifest_version": 3, "background": {"service_worker": "bg.js"}}))
    with pytest.raises(ExtensionError, match="bg.js"):
        build(tmp_path / "x.zip", tmp_path)


pytest.importorskip("fastapi", reason="the server extra is not installed: pip install 'chatlint-ru[server]'")


def test_server_cors_allows_the_extension_origin():
    from starlette.testclient import TestClient

    from chatlint.server import create_app

    with TestClient(create_app(cors_origins=[origin()])) as c:
        pre = c.options("/v1/check", headers={"origin": origin(), "access-control-request-method": "POST",
                                               "access-control-request-headers": "content-type"})
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == origin()
        other = c.options("/v1/check", headers={"origin": "chrome-extension://" + "a" * 32,
                                                 "access-control-request-method": "POST"})
        assert other.headers.get("access-control-allow-origin") != "chrome-extension://" + "a" * 32


def test_checking_a_folder_skips_the_addon(tmp_path):
    """``chatlint check examples/`` reads conversations, not the add-on's manifest.json."""
    from chatlint.files import walk

    found = [p.name for p, _ in walk(EXT.parent, (".json", ".txt", ".jsonl", ".csv"))]
    assert "manifest.json" not in found
    assert [p.name for p, _ in walk(EXT, (".json",))] == ["manifest.json"]  # named itself: read


# ------------------------------------------------------------------ chatlint extension build|id


def test_the_chatlint_command_builds_the_addon_and_prints_its_id(tmp_path, capsys):
    from chatlint.cli import main as cli_main

    out = tmp_path / "addon.zip"
    assert cli_main(["extension", "build", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "chatlint serve --allow-extension" in printed
    with zipfile.ZipFile(out) as z:
        assert "manifest.json" in z.namelist()
    assert cli_main(["extension", "id"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == extension_id() and origin() in lines[1]


def test_chatlint_extension_without_a_subcommand_says_what_it_takes(capsys):
    from chatlint.cli import main as cli_main

    with pytest.raises(SystemExit) as exc:
        cli_main(["extension"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "build" in err and "id" in err and "Traceback" not in err


def test_chatlint_extension_build_into_a_missing_directory_is_one_line(tmp_path, capsys):
    from chatlint.cli import main as cli_main

    assert cli_main(["extension", "build", "-o", str(tmp_path / "nope" / "x.zip")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("chatlint: error:") and "nope" in err[0]
