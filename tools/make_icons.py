"""Renders the app icon's SVG into PNG sizes, a Windows .ico and a macOS .icns.

The SVG in resources/icons is the only source that is committed. What this script writes is a
build product, by default under build/icons (already ignored by git); build.spec runs it before
bundling, so the .exe and the .app always carry the icon of the SVG they were built from.
Qt draws each size (the same renderer that draws the window and tray icon from the SVG at run
time); Pillow packs the sizes into the two icon containers.

    python tools/make_icons.py [--source SVG] [--output DIR]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICON_SOURCE = ROOT / "resources" / "icons" / "callahead.svg"
DEFAULT_OUTPUT = ROOT / "build" / "icons"
ICON_NAME = "callahead"

PNG_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256, 512, 1024)
# What Windows picks from for title bar, taskbar and Explorer at 100-250 % display scaling.
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)
# The .icns entries Pillow writes (32..1024, the @2x Retina variants included).
ICNS_SIZES = (32, 64, 128, 256, 512, 1024)


class IconSourceError(Exception):
    """The SVG is missing or Qt cannot read it."""


@dataclass(frozen=True)
class IconSet:
    pngs: dict[int, Path]
    ico: Path
    icns: Path


def render_pngs(source: Path, output_dir: Path, sizes: tuple[int, ...] = PNG_SIZES) -> dict[int, Path]:
    """Draw the SVG at each size, anti-aliased on a transparent square; return size -> PNG path."""
    # Imported here so `--help` works without Qt, and so importing this module costs nothing.
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if not source.is_file():
        raise IconSourceError(f"The icon source {source} does not exist.")
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise IconSourceError(f"Qt cannot read {source} as SVG.")
    output_dir.mkdir(parents=True, exist_ok=True)
    written: dict[int, Path] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        target = output_dir / f"{ICON_NAME}-{size}.png"
        if not image.save(str(target), "PNG"):
            raise OSError(f"Qt could not write {target}.")
        written[size] = target
    return written


def pack_ico(pngs: dict[int, Path], target: Path) -> Path:
    """A Windows icon holding each of ICO_SIZES as drawn, not downscaled from the largest."""
    from PIL import Image

    images = [Image.open(pngs[size]).convert("RGBA") for size in ICO_SIZES]
    largest = images[-1]
    largest.save(target, format="ICO", sizes=[(size, size) for size in ICO_SIZES], append_images=images[:-1])
    return target


def pack_icns(pngs: dict[int, Path], target: Path) -> Path:
    """A macOS icon holding each of ICNS_SIZES as drawn."""
    from PIL import Image

    images = [Image.open(pngs[size]).convert("RGBA") for size in ICNS_SIZES]
    largest = images[-1]
    largest.save(target, format="ICNS", append_images=images[:-1])
    return target


def make_icons(output_dir: Path = DEFAULT_OUTPUT, source: Path = ICON_SOURCE) -> IconSet:
    pngs = render_pngs(source, output_dir)
    ico = pack_ico(pngs, output_dir / f"{ICON_NAME}.ico")
    icns = pack_icns(pngs, output_dir / f"{ICON_NAME}.icns")
    return IconSet(pngs=pngs, ico=ico, icns=icns)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the app icon's SVG into PNG, ICO and ICNS files.")
    parser.add_argument("--source", type=Path, default=ICON_SOURCE, help=f"the SVG (default: {ICON_SOURCE})")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"where to write (default: {DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)
    try:
        icons = make_icons(args.output, args.source)
    except IconSourceError as error:
        print(f"make_icons: {error}", file=sys.stderr)
        return 1
    print(f"make_icons: {len(icons.pngs)} PNG sizes, {icons.ico.name} and {icons.icns.name} in {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
