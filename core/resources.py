"""Finding the files in resources/ the same way from source and from the PyInstaller bundle.

Never relative to the working directory: the owner starts the app from a shortcut, Finder or
Explorer, wherever that leaves the current folder.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """<bundle>/resources when frozen (build.spec ships the folder there), else the source tree's."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a shipped file, e.g. resource_path("icons", "callahead.svg")."""
    return resources_dir().joinpath(*parts)
