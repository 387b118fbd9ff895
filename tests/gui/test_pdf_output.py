"""`agenda --pdf`: never through the print system, owner-only, and never onto a folder, a link or a device."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import main

ROOT = Path(__file__).resolve().parents[2]
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes, links and pipes")


@pytest.fixture(autouse=True)
def _the_test_sessions_application(qapp):
    """The command writes PDFs in this process: it must find the widgets' application, not make its own."""


# A CUPS server on a local socket (libcups goes where $CUPS_SERVER says), in a process of its
# own: the Qt call that asks CUPS holds Python's lock, so a thread here could never answer.
# It answers every request "404 Not Found" (so a client goes on) and, when its input closes,
# prints how many connections it had.
PRINT_SERVER = """
import select, socket, sys
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(sys.argv[1])
listener.listen(16)
print("ready", flush=True)
calls = 0
while True:
    ready, _, _ = select.select([listener, sys.stdin], [], [])
    if sys.stdin in ready:
        break
    connection, _ = listener.accept()
    calls += 1
    try:
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 404 Not Found\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n")
    except OSError:
        pass  # the client hung up first
    connection.close()
print(calls, flush=True)
"""


class FakePrintServer:
    def __init__(self, folder: Path):
        self.address = str(folder / "cups.sock")
        self.process = subprocess.Popen([sys.executable, "-c", PRINT_SERVER, self.address], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "ready"

    def stop(self) -> int:
        """How many times it was called."""
        out, _ = self.process.communicate("")
        return int(out.strip())


def _agenda_pdf(data_dir: Path, target: Path, **environment) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", "agenda", "--today", "2026-11-24", "--data-dir", str(data_dir),
                           "--pdf", str(target)], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), **environment))


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="a local socket stands in for the print server")
def test_writing_the_pdf_never_asks_the_print_system(demo_data_dir, tmp_path):
    server = FakePrintServer(tmp_path)
    try:
        result = _agenda_pdf(demo_data_dir, tmp_path / "today.pdf", CUPS_SERVER=server.address)
    finally:
        calls = server.stop()
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "today.pdf").read_bytes().startswith(b"%PDF")
    assert calls == 0, "the print system (CUPS) was asked while writing a PDF"


def test_a_pdf_onto_a_folder_is_refused_clearly(demo_data_dir, tmp_path, capsys):
    folder = tmp_path / "sheets"
    folder.mkdir()
    assert main.main(["agenda", "--data-dir", str(demo_data_dir), "--pdf", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "it is a folder" in err and str(folder / "calls.pdf") in err and "Wrote" not in err
    assert list(folder.iterdir()) == []


@POSIX
def test_the_pdf_is_the_owners_alone_whatever_the_umask(demo_data_dir, tmp_path, capsys):
    old = os.umask(0o022)
    try:
        assert main.main(["agenda", "--data-dir", str(demo_data_dir), "--pdf", str(tmp_path / "today.pdf")]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "today.pdf").stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == [], "no partial file left"


def test_an_existing_sheet_is_replaced_whole(demo_data_dir, tmp_path, capsys):
    target = tmp_path / "today.pdf"
    target.write_bytes(b"yesterday's sheet")
    assert main.main(["agenda", "--data-dir", str(demo_data_dir), "--pdf", str(target)]) == 0
    assert target.read_bytes().startswith(b"%PDF")


@POSIX
def test_a_link_is_never_followed_nor_replaced(demo_data_dir, tmp_path, capsys):
    elsewhere = tmp_path / "important.txt"
    elsewhere.write_text("the owner's notes", encoding="utf-8")
    link = tmp_path / "today.pdf"
    link.symlink_to(elsewhere)
    assert main.main(["agenda", "--data-dir", str(demo_data_dir), "--pdf", str(link)]) == 2
    assert "it is a link" in capsys.readouterr().err
    assert link.is_symlink() and elsewhere.read_text(encoding="utf-8") == "the owner's notes"


@POSIX
def test_a_device_or_pipe_is_refused_before_anything_is_written(demo_data_dir, tmp_path, capsys):
    pipe = tmp_path / "today.pdf"
    os.mkfifo(pipe)  # writing into it would block until someone read it
    assert main.main(["agenda", "--data-dir", str(demo_data_dir), "--pdf", str(pipe)]) == 2
    assert "not an ordinary file" in capsys.readouterr().err
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
