"""The PyInstaller bundle: what it contains, where the app finds its files, and the icon.

The bundle itself is built and started by .ci/build-bundle (on an empty data folder, which
proves the bundled Alembic migrations run); these tests check the decisions behind it.
"""

from __future__ import annotations

import ast
import sys
import types
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QColor, QImage

from core import APP_NAME, __version__
from core.storage.database import MIGRATIONS_DIR, head_revision, open_database
from core.storage.paths import sqlite_url
from core.resources import resource_path, resources_dir
from tools import bundle_contents as contents
from tools.make_icons import ICNS_SIZES, ICO_SIZES, PNG_SIZES, IconSourceError, main as make_icons_main
from tools.make_icons import make_icons, render_pngs

ROOT = Path(__file__).resolve().parents[1]
ARROW_YELLOW = QColor("#ffc94d")


# --- finding files from source and from the bundle --------------------------------------------

def test_from_source_resources_are_found_next_to_the_code_whatever_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert resource_path("icons", "callahead.svg") == ROOT / "resources" / "icons" / "callahead.svg"
    assert resource_path("icons", "callahead.svg").is_file()


def test_in_the_bundle_resources_are_found_in_the_bundle_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("icons", "callahead.svg") == tmp_path / "resources" / "icons" / "callahead.svg"


def test_the_bundle_puts_migrations_and_resources_where_the_code_looks_for_them():
    # In a one-folder bundle a module's __file__ is <bundle>/<same relative path>, so a folder
    # shipped under its source-relative path is found by code that looks next to its module.
    shipped = {destination: Path(source) for source, destination in contents.data_folders()}
    migrations_in_bundle = MIGRATIONS_DIR.relative_to(ROOT).as_posix()
    assert shipped[migrations_in_bundle] == MIGRATIONS_DIR
    resources_in_bundle = resources_dir().relative_to(ROOT).as_posix()
    assert shipped[resources_in_bundle] == resources_dir()
    assert all(folder.is_dir() for folder in shipped.values())


def test_the_shipped_migrations_create_a_database_from_nothing(tmp_path):
    database = open_database(sqlite_url(tmp_path / "fresh.sqlite3"))
    with database.engine.connect() as connection:
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    database.dispose()
    assert revision == head_revision()


# --- what the analysis cannot see -------------------------------------------------------------

def _imported_modules(script: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module)
    return names


def test_every_module_a_shipped_migration_imports_is_a_hidden_import():
    hidden = set(contents.migration_imports())
    for script in MIGRATIONS_DIR.rglob("*.py"):
        assert _imported_modules(script) <= hidden, script.name
    assert {"alembic.op", "alembic.context", "core.storage.models"} <= hidden


def test_a_submodule_imported_by_name_in_a_new_migration_becomes_a_hidden_import(tmp_path):
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "0099_example.py").write_text(
        "from sqlalchemy.dialects import sqlite\nfrom core.storage.database import head_revision\nimport json\n", encoding="utf-8"
    )
    hidden = contents.migration_imports(tmp_path)
    assert {"sqlalchemy.dialects", "sqlalchemy.dialects.sqlite", "core.storage.database", "json"} <= set(hidden)
    assert "core.storage.database.head_revision" not in hidden, "a function is not a module"


def _qt_modules_imported_by_the_app() -> set[str]:
    """Qt modules named in `import PySide6.X`, `from PySide6.X import ...` or `from PySide6 import X`."""
    used = set()
    for source in [ROOT / "main.py", *(ROOT / "gui").rglob("*.py"), *(ROOT / "core").rglob("*.py")]:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module == "PySide6":
                names = [f"PySide6.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            used.update(name.split(".")[1] for name in names if name.startswith("PySide6.Qt"))
    return used


def test_every_qt_module_the_app_imports_stays_in_the_bundle():
    used = _qt_modules_imported_by_the_app()
    assert used, "the window imports Qt"
    missing = used - set(contents.QT_MODULES_USED)
    assert not missing, f"add {sorted(missing)} to QT_MODULES_USED in tools/bundle_contents.py"
    assert not {f"PySide6.{name}" for name in contents.QT_MODULES_USED} & set(contents.excluded_modules())


def test_tray_printing_svg_and_the_local_socket_are_shipped_and_qml_is_not():
    kept = set(contents.qt_modules_kept())
    assert {"PySide6.QtWidgets", "PySide6.QtPrintSupport", "PySide6.QtSvg", "PySide6.QtNetwork"} <= kept
    left_out = contents.qt_modules_left_out(["QtCore", "QtWidgets", "QtPrintSupport", "QtSvg", "QtNetwork", "QtQml", "QtQuick", "Qt3DCore", "QtPdf"])
    assert left_out == ["PySide6.QtQml", "PySide6.QtQuick", "PySide6.Qt3DCore", "PySide6.QtPdf"]
    assert "PIL" in contents.excluded_modules(), "Pillow makes the icons at build time only"


@pytest.mark.parametrize("destination", [
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6\\plugins\\platforms\\qwindows.dll",
    "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6\\plugins\\imageformats\\qsvg.dll",
    "PySide6/Qt/plugins/imageformats/libqico.so",
    "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
    "PySide6/Qt/plugins/styles/libqmacstyle.dylib",
    "PySide6/Qt/lib/libQt6Gui.so.6",
    "PySide6/Qt/lib/libQt6PrintSupport.so.6",
    "PySide6\\Qt6Svg.dll",
    "PySide6/Qt/lib/libQt6Network.so.6",
    "core/storage/migrations/versions/0001_initial_schema.py",
    "resources/icons/callahead.svg",
])
def test_what_the_owner_s_machine_needs_is_kept(destination):
    assert contents.keep_in_bundle(destination)


@pytest.mark.parametrize("destination", [
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6\\translations\\qtbase_fr.qm",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
    "PySide6/Qt/plugins/imageformats/libqtiff.so",
    "PySide6/Qt/plugins/imageformats/libqwebp.so",
    "PySide6/Qt/plugins/generic/libqevdevmouseplugin.so",
    "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6",
    "PySide6\\opengl32sw.dll",
])
def test_embedded_device_plugins_translations_and_software_opengl_are_left_out(destination):
    assert not contents.keep_in_bundle(destination)


def test_the_network_library_goes_only_if_the_app_stops_using_qtnetwork(monkeypatch):
    monkeypatch.setattr(contents, "QT_MODULES_USED", tuple(m for m in contents.QT_MODULES_USED if m != "QtNetwork"))
    assert not contents.keep_in_bundle("PySide6/Qt/lib/libQt6Network.so.6")
    monkeypatch.setattr(contents, "QT_MODULES_USED", (*contents.QT_MODULES_USED, "QtNetwork"))
    assert contents.keep_in_bundle("PySide6/Qt/lib/libQt6Network.so.6")
    assert "PySide6.QtNetwork" not in contents.excluded_modules()


# --- Windows version resource and macOS Info.plist --------------------------------------------

@given(st.lists(st.integers(min_value=0, max_value=65535), min_size=1, max_size=4), st.sampled_from(["", "rc1", ".dev3", "b2"]))
def test_a_version_becomes_the_four_numbers_windows_shows(numbers, suffix):
    version = ".".join(map(str, numbers)) + suffix
    assert contents.version_tuple(version) == tuple(numbers + [0] * (4 - len(numbers)))


@pytest.fixture
def pyinstaller_versioninfo(monkeypatch):
    """PyInstaller's own reader of version files, made importable off Windows."""
    pytest.importorskip("PyInstaller", reason="PyInstaller is in the build extra; .ci/build-bundle runs this")
    import PyInstaller.compat

    monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    monkeypatch.setitem(sys.modules, "pefile", sys.modules.get("pefile") or types.ModuleType("pefile"))
    monkeypatch.delitem(sys.modules, "PyInstaller.utils.win32.versioninfo", raising=False)
    from PyInstaller.utils.win32 import versioninfo

    yield versioninfo
    sys.modules.pop("PyInstaller.utils.win32.versioninfo", None)


def test_the_windows_exe_carries_the_app_name_and_version(pyinstaller_versioninfo):
    info = eval(contents.windows_version_file("2.5.1"), vars(pyinstaller_versioninfo))  # what PyInstaller does
    assert info.toRaw(), "PyInstaller can encode it into the .exe"
    assert (info.ffi.fileVersionMS, info.ffi.fileVersionLS) == ((2 << 16) | 5, 1 << 16)
    strings = {entry.name: entry.val for entry in info.kids[0].kids[0].kids}
    assert strings["ProductName"] == APP_NAME and strings["FileDescription"] == APP_NAME
    assert strings["ProductVersion"] == "2.5.1" and strings["OriginalFilename"] == "CallAhead.exe"


def test_the_mac_app_is_named_and_versioned_from_the_code():
    plist = contents.info_plist()
    assert plist["CFBundleName"] == APP_NAME and plist["CFBundleShortVersionString"] == __version__
    assert plist["NSHighResolutionCapable"] is True
    assert contents.BUNDLE_IDENTIFIER == "app.callahead.CallAhead"


# --- the icon ---------------------------------------------------------------------------------

def _count_pixels_like(image: QImage, color: QColor, tolerance: int = 40) -> int:
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() > 200 and all(
                abs(a - b) <= tolerance
                for a, b in ((pixel.red(), color.red()), (pixel.green(), color.green()), (pixel.blue(), color.blue()))
            ):
                count += 1
    return count


def test_the_svg_is_rendered_at_every_size_from_16_to_1024(tmp_path):
    pngs = render_pngs(resource_path("icons", "callahead.svg"), tmp_path)
    assert sorted(pngs) == sorted(PNG_SIZES) and min(pngs) == 16 and max(pngs) == 1024
    for size, path in pngs.items():
        image = QImage(str(path))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel() and image.pixelColor(0, 0).alpha() == 0, "the rounded corners are transparent"


def test_at_16_pixels_the_handset_and_the_arrow_are_still_visible(tmp_path):
    tiny = QImage(str(render_pngs(resource_path("icons", "callahead.svg"), tmp_path, sizes=(16,))[16]))
    assert _count_pixels_like(tiny, ARROW_YELLOW) >= 6, "the yellow arrow did not blur away"
    assert _count_pixels_like(tiny, QColor("white")) >= 15, "the white handset is there"


def test_ico_and_icns_hold_every_size_as_drawn_not_downscaled(tmp_path):
    image_module = pytest.importorskip("PIL.Image", reason="Pillow is in the build extra; .ci/build-bundle runs this")
    icons = make_icons(tmp_path)
    with image_module.open(icons.ico) as ico:
        assert ico.info["sizes"] == {(size, size) for size in ICO_SIZES}
        ico.size = (16, 16)
        ico.load()
        with image_module.open(icons.pngs[16]) as drawn:
            assert ico.convert("RGBA").tobytes() == drawn.convert("RGBA").tobytes()
    with image_module.open(icons.icns) as icns:
        pixel_sizes = {width * scale for width, _height, scale in icns.info["sizes"]}
        assert pixel_sizes == set(ICNS_SIZES)


def test_a_missing_icon_source_is_reported_not_a_traceback(tmp_path, capsys):
    assert make_icons_main(["--source", str(tmp_path / "nope.svg"), "--output", str(tmp_path / "out")]) == 1
    assert "nope.svg does not exist" in capsys.readouterr().err


@pytest.mark.qt_log_ignore("Cannot read file .*broken.svg")
def test_an_unreadable_icon_source_is_reported(tmp_path):
    broken = tmp_path / "broken.svg"
    broken.write_text("this is not SVG", encoding="utf-8")
    with pytest.raises(IconSourceError, match="cannot read"):
        render_pngs(broken, tmp_path / "out")


# --- build.spec's targets ---------------------------------------------------------------------

def _targets_build_spec_makes(platform: str, monkeypatch, tmp_path) -> dict:
    """Run build.spec as PyInstaller would on `platform`, with PyInstaller's targets recorded."""
    made: dict = {"EXE": [], "COLLECT": [], "BUNDLE": []}

    def target(kind):
        def record(*args, **options):
            made[kind].append((args, options))
            return types.SimpleNamespace(kind=kind, args=args, **options)
        return record

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda package: []
    for name, module in {"PyInstaller": types.ModuleType("PyInstaller"),
                         "PyInstaller.utils": types.ModuleType("PyInstaller.utils"),
                         "PyInstaller.utils.hooks": hooks}.items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr("tools.make_icons.make_icons", lambda output_dir: types.SimpleNamespace(
        ico=output_dir / "callahead.ico", icns=output_dir / "callahead.icns"))
    monkeypatch.setattr(sys, "platform", platform)
    analysis = types.SimpleNamespace(scripts=[], pure=[], binaries=[], datas=[])
    spec = {"SPECPATH": str(ROOT), "workpath": str(tmp_path), "__file__": str(ROOT / "build.spec"),
            "Analysis": lambda *args, **options: analysis, "PYZ": lambda *args, **options: "pyz",
            "EXE": target("EXE"), "COLLECT": target("COLLECT"), "BUNDLE": target("BUNDLE")}
    exec(compile((ROOT / "build.spec").read_text(encoding="utf-8"), "build.spec", "exec"), spec)
    return made


@pytest.mark.parametrize("platform", ["win32", "darwin", "linux"])
def test_build_spec_puts_the_window_first_and_the_console_companion_beside_it(platform, monkeypatch, tmp_path):
    made = _targets_build_spec_makes(platform, monkeypatch, tmp_path)
    executables = [(options["name"], options["console"]) for _args, options in made["EXE"]]
    assert executables == [(APP_NAME, False), ("callahead-cli", True)]
    # One folder holds both (Contents/MacOS in the .app), so their names must differ whatever the case.
    assert len({name.casefold() for name, _console in executables}) == 2
    (collected, options), = made["COLLECT"]
    assert [executable.name for executable in collected[:2]] == [APP_NAME, "callahead-cli"]
    # PyInstaller's BUNDLE makes the first executable in the folder the one the .app starts.
    assert len(made["BUNDLE"]) == (1 if platform == "darwin" else 0)
