"""Words that differ by system: what the owner's keyboard calls a shortcut's keys.

Menus show shortcuts in the system's own way already (Qt does that); messages written by us
("Ctrl+Z to undo") must say "Cmd" on a Mac. `platform` is sys.platform, passed in so tests can
play any system.
"""

from __future__ import annotations

import sys


def is_mac(platform: str = sys.platform) -> bool:
    return platform == "darwin"


def shortcut_text(portable: str, platform: str = sys.platform) -> str:
    """'Ctrl+Z' as the owner's keyboard names it: 'Cmd+Z' on macOS."""
    return portable.replace("Ctrl+", "Cmd+") if is_mac(platform) else portable
