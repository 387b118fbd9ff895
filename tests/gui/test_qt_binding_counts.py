"""The Qt binding keeps Python's reference counts whole.

PySide6 6.12.0 drops a reference to None at each call of a Qt method that returns nothing (a
model reset, a repaint, restoring the cursor, processing events) when Python is older than 3.12,
where None is an ordinary counted object. A window counts None down with every search and every
repaint until the process aborts with "Fatal Python error: none_dealloc" — at exit after
benchmarks/bench_customer_search.py, or in the middle of an owner's day. pyproject.toml keeps that
binding off Python 3.11.
"""

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView

CALLS = 500  # each round makes four calls: a faulty binding drops 2,000 references, far from None's tens of thousands


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12: nothing is counted")
def test_qt_calls_that_return_nothing_leave_nones_count_whole(qtbot):
    model = QStandardItemModel(3, 2)
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(model)
    table.show()
    QApplication.processEvents()

    before = sys.getrefcount(None)
    for _ in range(CALLS):
        model.beginResetModel()
        model.endResetModel()
        table.viewport().repaint()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        QGuiApplication.restoreOverrideCursor()
    lost = before - sys.getrefcount(None)

    assert lost < CALLS // 2, f"{lost} references to None dropped by {CALLS * 4} Qt calls: a faulty Qt binding"
