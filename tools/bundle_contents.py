"""What goes into the PyInstaller bundle, decided in plain Python so tests can check it.

build.spec asks this module for the data folders, the hidden imports the Alembic migrations
need, the Qt modules and Qt files left out, the Windows version resource and the macOS
Info.plist. Nothing here imports PyInstaller or Qt.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path, PurePosixPath

from core import APP_NAME, __version__

ROOT = Path(__file__).resolve().parents[1]
BUNDLE_IDENTIFIER = "app.callahead.CallAhead"
MIGRATIONS_FOLDER = "core/storage/migrations"
RESOURCES_FOLDER = "resources"

# Everything the window uses now or is planned to: the tray (QtWidgets), printing the day's
# list (QtPrintSupport), SVG icons/drawings (QtSvg, QtSvgWidgets) and the local socket that
# keeps one window per data folder (QtNetwork's QLocalServer: a Unix socket or named pipe,
# never the network). Every other Qt module is left out: add one here when the app starts
# importing it (tests/test_packaging.py checks).
QT_MODULES_USED = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtSvg", "QtSvgWidgets", "QtNetwork")

# Not imported by the app, but pulled into a naive bundle by something that is.
PYTHON_PACKAGES_LEFT_OUT = (
    "tkinter",
    "PIL",  # Pillow makes the icons at build time; pygments (via Mako) would drag it in
    "pygments",  # Mako only uses it to colour HTML tracebacks; Alembic's upgrade never does
)

# Qt platform plugins the owner's machine can use. The others (framebuffer, EGLFS, VNC...)
# are for embedded devices; `offscreen` is what CI starts the bundle with.
QT_PLATFORMS_KEPT = ("windows", "cocoa", "xcb", "wayland", "offscreen")
# Image formats Qt may be asked to read: the icons (SVG, ICO) and common pictures (JPEG, GIF).
QT_IMAGE_FORMATS_KEPT = ("svg", "ico", "jpeg", "gif")
# Plugin folders for hardware the owner does not have (evdev touch screens, EGL boards).
QT_PLUGIN_FOLDERS_LEFT_OUT = ("generic", "egldeviceintegrations")
# Libraries only left-out plugins (EGLFS) load. .ci/build-bundle checks that every Qt binary
# shipped still finds each Qt library it links to.
QT_LIBRARIES_LEFT_OUT = ("Qt6EglFSDeviceIntegration", "Qt6EglFsKmsSupport")
# Windows: Qt's software OpenGL renderer (about 20 MB), a fallback for OpenGL without a
# driver. The widgets paint with Qt's raster engine and never ask for OpenGL.
WINDOWS_FILES_LEFT_OUT = ("opengl32sw.dll",)


def data_folders() -> list[tuple[str, str]]:
    """(source, destination) pairs; each keeps its relative path, so code that finds files
    next to its own module (core.storage.database.MIGRATIONS_DIR, core.resources) finds them in the bundle too."""
    return [(str(ROOT / MIGRATIONS_FOLDER), MIGRATIONS_FOLDER), (str(ROOT / RESOURCES_FOLDER), RESOURCES_FOLDER)]


def _is_importable_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def migration_imports(migrations_dir: Path = ROOT / MIGRATIONS_FOLDER) -> list[str]:
    """Every module the shipped Alembic scripts import.

    Alembic reads env.py and the version scripts from disk at run time, so PyInstaller's
    analysis never sees what they import; they must be named as hidden imports.
    """
    modules: set[str] = set()
    for script in sorted(migrations_dir.rglob("*.py")):
        tree = ast.parse(script.read_text(encoding="utf-8"), filename=str(script))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module)
                # `from package import submodule` needs the submodule itself.
                modules.update(
                    f"{node.module}.{alias.name}"
                    for alias in node.names
                    if _is_importable_module(f"{node.module}.{alias.name}")
                )
    return sorted(modules)


def installed_qt_modules() -> list[str]:
    """The Qt binding modules of the installed PySide6 (Essentials, or the full set)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return []
    names = set()
    for folder in spec.submodule_search_locations:
        for extension in Path(folder).glob("Qt*.*"):
            if extension.suffix in (".so", ".pyd"):
                names.add(extension.name.split(".", 1)[0])
    return sorted(names)


def qt_modules_left_out(installed: list[str] | None = None) -> list[str]:
    installed = installed_qt_modules() if installed is None else installed
    return [f"PySide6.{name}" for name in installed if name not in QT_MODULES_USED]


def qt_modules_kept() -> list[str]:
    """Named as hidden imports: printing and SVG must be in the bundle before any code uses them."""
    return [f"PySide6.{name}" for name in QT_MODULES_USED]


def excluded_modules() -> list[str]:
    return [*PYTHON_PACKAGES_LEFT_OUT, *qt_modules_left_out()]


def _plugin_name(filename: str) -> str:
    """libqxcb.so / qwindows.dll / libqcocoa.dylib -> xcb / windows / cocoa."""
    stem = filename.split(".", 1)[0]
    stem = stem.removeprefix("lib")
    return stem.removeprefix("q")


def qt_libraries_left_out() -> tuple[str, ...]:
    # Qt6Network is linked only by the QtNetwork binding and by left-out plugins (VNC, TUIO
    # touch), so it goes as long as the app does not use QtNetwork.
    network = () if "QtNetwork" in QT_MODULES_USED else ("Qt6Network",)
    return QT_LIBRARIES_LEFT_OUT + network


def _is_left_out_library(filename: str) -> bool:
    if filename.lower() in WINDOWS_FILES_LEFT_OUT:
        return True
    library = re.match(r"^(?:lib)?(Qt6\w+?)(?:\.so.*|\.dll|\.dylib)?$", filename)
    return bool(library and library.group(1) in qt_libraries_left_out())


def keep_in_bundle(destination: str) -> bool:
    """Whether a file PyInstaller collected (named by its path inside the bundle) is shipped."""
    parts = PurePosixPath(destination.replace("\\", "/")).parts
    if parts[:1] == ("PySide6",):
        # Qt's files sit under PySide6/Qt/ on Linux and macOS, directly under PySide6/ on Windows.
        below_qt = parts[2:] if parts[1:2] == ("Qt",) else parts[1:]
        if below_qt[:1] == ("translations",):
            return False  # Qt's own .qm files load only through a QTranslator, which the app never installs
        if below_qt[:1] == ("plugins",) and len(below_qt) >= 3:
            folder, name = below_qt[1], _plugin_name(below_qt[-1])
            if folder in QT_PLUGIN_FOLDERS_LEFT_OUT:
                return False
            if folder == "platforms":
                return name.startswith(QT_PLATFORMS_KEPT)
            if folder == "imageformats":
                return name in QT_IMAGE_FORMATS_KEPT
    return not _is_left_out_library(parts[-1])


def version_tuple(version: str = __version__) -> tuple[int, int, int, int]:
    """'1.2.3' -> (1, 2, 3, 0): the four numbers a Windows version resource holds."""
    numbers = [int(re.match(r"\d+", part).group()) for part in version.split(".")[:4] if re.match(r"\d+", part)]
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def windows_version_file(version: str = __version__) -> str:
    """The text of a PyInstaller version file (what Explorer shows under Properties > Details)."""
    numbers = version_tuple(version)
    strings = {
        "CompanyName": APP_NAME,
        "FileDescription": APP_NAME,  # Task Manager shows this as the program's name
        "FileVersion": version,
        "InternalName": APP_NAME,
        "OriginalFilename": f"{APP_NAME}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": version,
    }
    string_structs = ",\n          ".join(f"StringStruct({key!r}, {value!r})" for key, value in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers!r}, prodvers={numbers!r}, mask=0x3f, flags=0x0,
                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('040904B0', [
          {string_structs}])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def info_plist(version: str = __version__) -> dict[str, object]:
    """Info.plist entries for CallAhead.app beyond the ones PyInstaller writes itself."""
    return {
        "CFBundleDisplayName": APP_NAME,
        "CFBundleName": APP_NAME,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "LSApplicationCategoryType": "public.app-category.business",
        "NSHighResolutionCapable": True,
        # Qt 6 supports macOS 12 and newer.
        "LSMinimumSystemVersion": "12.0",
    }
