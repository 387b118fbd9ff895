import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_every_core_module_never_loads_qt():
    script = (
        "import pkgutil, sys, importlib, core\n"
        "names = [m.name for m in pkgutil.walk_packages(core.__path__, 'core.')"
        " if '.migrations' not in m.name]\n"
        "for name in names: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6')\n"
        "print(len(names)); print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    count, loaded = result.stdout.splitlines()[:2] + [""] * (2 - len(result.stdout.splitlines()[:2]))
    assert int(count) >= 10, "the walk should have found the core modules"
    assert loaded == "", f"core imported Qt: {loaded}"
