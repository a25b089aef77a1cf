"""The browser add-on (Chromium, Manifest V3) for the helpdesk the operator already uses.

Its files are plain ES modules in ``examples/browser-extension`` (``chatlint/browser_extension``
in a wheel): no build step but zipping. ::

    chatlint extension build -o chatlint-extension.zip   # the zip to install
    chatlint extension id                                # its id and the server's CORS origin

(``python -m chatlint.extension build|id`` does the same.) This module imports the standard
library only.

The manifest carries a public ``key``, so the add-on's id — and the origin
``chrome-extension://ID`` that ``chatlint serve --cors-origin`` must allow — is the same on
every machine.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

SHIPPED = (".js", ".html", ".css", ".json", ".png", ".svg")
ZIP_TIME = (2026, 1, 1, 0, 0, 0)  # fixed: the same files give the same zip


class ExtensionError(Exception):
    """The add-on's files are missing or inconsistent."""


def extension_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "browser_extension", here.parent / "examples" / "browser-extension"):
        if (candidate / "manifest.json").is_file():
            return candidate
    raise ExtensionError("the browser add-on's files are missing (browser_extension/manifest.json): reinstall chatlint")


def manifest(folder: Path | None = None) -> dict:
    path = (folder or extension_dir()) / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ExtensionError(f"{path}: not a readable JSON manifest ({exc})") from None
    if data.get("manifest_version") != 3:
        raise ExtensionError(f"{path}: manifest_version must be 3")
    return data


def extension_id(folder: Path | None = None) -> str:
    """The id Chromium gives the add-on: from the manifest's public ``key`` (the first 128
    bits of its SHA-256, written with the letters a-p)."""
    key = manifest(folder).get("key")
    if not key:
        raise ExtensionError("manifest.json has no \"key\": the add-on's id would change from machine to machine")
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def origin(folder: Path | None = None) -> str:
    """The add-on's web origin: what ``chatlint serve --cors-origin`` allows."""
    return f"chrome-extension://{extension_id(folder)}"


def referenced_files(data: dict) -> set[str]:
    """Every file the manifest names."""
    out: set[str] = set()
    bg = data.get("background", {})
    if bg.get("service_worker"):
        out.add(bg["service_worker"])
    for cs in data.get("content_scripts", []):
        out.update(cs.get("js", []))
        out.update(cs.get("css", []))
    for war in data.get("web_accessible_resources", []):
        out.update(war.get("resources", []))
    for key in ("options_ui", "options_page"):
        page = data.get(key)
        if isinstance(page, dict):
            page = page.get("page")
        if page:
            out.add(page)
    return out


def files(folder: Path | None = None) -> list[Path]:
    root = folder or extension_dir()
    data = manifest(root)
    missing = sorted(name for name in referenced_files(data) if not (root / name).is_file())
    if missing:
        raise ExtensionError(f"{root / 'manifest.json'} names files that are missing: {', '.join(missing)}")
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in SHIPPED and not p.name.startswith("."))


def build(out: Path, folder: Path | None = None) -> list[str]:
    """Write the add-on's zip to ``out`` (manifest at the top); returns the names it holds."""
    root = folder or extension_dir()
    names = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for path in files(root):
            name = path.relative_to(root).as_posix()
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, path.read_bytes())
            names.append(name)
    return names


def configure_parser(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``build`` and ``id`` subcommands to ``p`` (``chatlint extension``)."""
    sub = p.add_subparsers(dest="extension_command", required=True, metavar="{build,id}")
    b = sub.add_parser("build", help="zip the add-on for installing")
    b.add_argument("-o", "--output", default="chatlint-extension.zip", metavar="ZIP",
                   help="the zip to write (default chatlint-extension.zip)")
    sub.add_parser("id", help="print the add-on's id and the origin chatlint serve must allow")
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``chatlint extension build|id``: 0, or 2 with a one-line error."""
    try:
        if args.extension_command == "id":
            print(extension_id())
            print(f"chatlint serve --cors-origin {origin()}   (or: chatlint serve --allow-extension)")
            return 0
        out = Path(args.output)
        if out.parent and not out.parent.is_dir():
            print(f"chatlint: error: {out.parent} is not a directory: create it or choose another -o", file=sys.stderr)
            return 2
        names = build(out)
    except ExtensionError as exc:
        print(f"chatlint: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"chatlint: error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"{out}: {len(names)} files; install it unpacked, then run: chatlint serve --allow-extension "
          f"(the same as --cors-origin {origin()})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m chatlint.extension``: the same as ``chatlint extension``."""
    p = configure_parser(argparse.ArgumentParser(prog="chatlint extension", description="the chatlint browser add-on"))
    return run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
