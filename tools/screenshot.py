"""Take a screenshot of the main window on the demo business (for the README and for review).

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python tools/screenshot.py OUT.png [--today D]
    QT_SCALE_FACTOR=1.5 xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python tools/screenshot.py OUT.png

The window fills the screen (as an owner's maximised window would) unless --width/--height say
otherwise. The demo is created in a temporary folder, so no real data is touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from core.context import AppContext  # noqa: E402
from core.demo import ensure_demo_business  # noqa: E402
from gui.app import application, build_main_window  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("output", type=Path)
    parser.add_argument("--made", type=dt.date.fromisoformat, default=dt.date(2026, 11, 24),
                        help="the day the demo business is made (its price change comes ~3 weeks later)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 27),
                        help="the day the window opens on (the 27th is the demo's first heads-up day)")
    parser.add_argument("--width", type=int, help="the window's width (default: the screen's)")
    parser.add_argument("--height", type=int, help="the window's height (default: the screen's)")
    args = parser.parse_args()
    app: QApplication = application()
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        maker = AppContext.build(data_dir=folder, today=args.made, demo=True)
        ensure_demo_business(maker)
        maker.close()
        context = AppContext.build(data_dir=folder, today=args.today, demo=True)
        window = build_main_window(context)
        free = window.screen().availableGeometry()
        window.resize(args.width or free.width(), args.height or free.height())
        window.move(free.topLeft())
        window.show()

        def grab() -> None:
            window.grab().save(str(args.output))
            app.quit()

        QTimer.singleShot(800, grab)
        app.exec()
        context.close()
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
