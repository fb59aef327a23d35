"""Maintainer script: the diagram screenshots in docs/, drawn by headless Chromium.

    PYTHONPATH=. python docs/screenshots.py            # needs /usr/bin/chromium (or chromium on PATH)

Each picture is cnncalc's own SVG at its natural size, photographed whole and scaled down so
its longer side is at most MAX_SIDE pixels, then reduced to a 64-colour palette (Pillow) to stay
small in the repository. tests/test_diagram_geometry.py checks the same drawings' geometry.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import cnncalc
from cnncalc.render.svg import architecture

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from test_diagram_geometry import CHROMIUM_FLAGS, chromium  # noqa: E402

MAX_SIDE = 4000
SHOTS = {  # file in docs/ → (spec, --collapse)
    "diagram_lenet5.png": ("lenet5", "auto"),
    "diagram_resnet50.png": ("resnet50", "none"),
    "diagram_resnet152.png": ("resnet152", "auto"),
    "diagram_unet.png": ("unet", "none"),
    "diagram_inception_v3.png": ("inception_v3", "auto"),
    "diagram_10k_layers.png": ("INPUT(32x32x3) → [CONV(3,3,p=1) → RELU] x 5000", "auto"),
    "inception_3a_graph.png": ("inception_3a", "auto"),
    "keras_fashion_mnist_volumes.png": ("keras_fashion_mnist", "auto"),
}


def shoot(svg: str, target: Path, browser: str) -> None:
    width, height = (float(n) for n in re.search(r'width="([\d.]+)" height="([\d.]+)"', svg).groups())  # type: ignore[union-attr]
    scale = min(1.0, MAX_SIDE / max(width, height))
    with tempfile.TemporaryDirectory() as folder:
        page, shot = Path(folder) / "page.html", Path(folder) / "shot.png"
        page.write_text(f'<!DOCTYPE html><html><body style="margin:0">{svg}</body></html>', "utf-8")
        subprocess.run(
            [
                browser,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={folder}/profile",
                "--hide-scrollbars",
                f"--force-device-scale-factor={scale}",
                f"--window-size={int(width) + 1},{int(height) + 1}",
                f"--screenshot={shot}",
                page.as_uri(),
            ],
            capture_output=True,
            timeout=300,
            check=True,
        )
        from PIL import Image

        image = Image.open(shot).convert("RGB").quantize(64)
        buffer = io.BytesIO()
        image.save(buffer, "PNG", optimize=True)
    target.write_bytes(buffer.getvalue())
    print(f"{target.name}: {image.width}×{image.height}, {len(buffer.getvalue()) // 1024} KiB")


def main() -> None:
    browser = chromium()
    if browser is None:
        sys.exit("no Chromium found")
    for file, (spec, collapse) in SHOTS.items():
        shoot(architecture(cnncalc.load(spec).summary(), collapse), HERE / file, browser)


if __name__ == "__main__":
    main()
