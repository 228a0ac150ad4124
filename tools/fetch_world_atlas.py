"""Fetch the dashboard's country outlines at build time (``make install``): the ``world-atlas``
npm package's ``countries-110m.json`` (Natural Earth 1:110m, TopoJSON; ISC licence), from the npm
registry, its tarball checked against the registry's published sha512 before anything is kept.

Why not vendored: the repository holds only what the project wrote; why not the ``npm`` command:
the registry serves the tarball over plain HTTPS, so the build needs no Node toolchain.
Nothing is fetched at run time; without the file the dashboard draws the map without outlines.

    python tools/fetch_world_atlas.py [DEST_DIR]
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "2.0.2"
TARBALL = f"https://registry.npmjs.org/world-atlas/-/world-atlas-{VERSION}.tgz"
SHA512 = "IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
WANTED = {"package/countries-110m.json": "countries-110m.json", "package/LICENSE": "LICENSE"}
DEST = Path(__file__).resolve().parents[1] / "src" / "sitroom" / "serve" / "static" / "vendor" / "world-atlas"


def main(argv: list[str]) -> int:
    dest = Path(argv[0]) if argv else DEST
    if all((dest / name).exists() for name in WANTED.values()):
        return 0
    try:
        with urllib.request.urlopen(TARBALL, timeout=60) as response:
            data = response.read(20 * 2**20)
    except OSError as exc:
        print(f"fetch_world_atlas: cannot fetch {TARBALL}: {exc}", file=sys.stderr)
        return 1
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != SHA512:
        print(f"fetch_world_atlas: {TARBALL} does not match its published sha512; nothing kept", file=sys.stderr)
        return 1
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member, name in WANTED.items():
            source = tar.extractfile(member)
            if source is None:
                print(f"fetch_world_atlas: {member} missing from the tarball", file=sys.stderr)
                return 1
            (dest / name).write_bytes(source.read())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
