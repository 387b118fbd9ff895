"""Two desks on one real database (an SQLite file, or the test server), writing the team's habits at once."""

import subprocess
import sys
from pathlib import Path

from hand_built_week import MONDAY
from sqlalchemy import func, select

from core.storage.models import NewsItem, StaffMember, ThankYouNote, WeekReflection

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 15
WORKER = """
import datetime as dt, sys
sys.path.insert(0, {root!r})
from core.storage.database import open_database
from core.habits.news import add_news
from core.habits.weekly_review import save_reflection
from core.habits.thanks import log_thank_you
database = open_database({url!r})
print("ready", flush=True)
sys.stdin.readline()
monday = dt.date.fromisoformat({monday!r})
for n in range({rounds}):
    with database.transaction() as session:
        save_reflection(session, monday, {staff_id}, f"{who} {{n}}")
        log_thank_you(session, {staff_id}, monday, f"{who} note {{n}}")
        add_news(session, f"{who} news {{n}}", monday, monday)
database.dispose()
print("done", flush=True)
"""


def test_two_desks_writing_notes_lines_and_news_at_once_lose_nothing(db):
    with db.transaction() as session:
        ann = StaffMember(name="Ann", daily_quota=3)
        session.add(ann)
    db.dispose()
    workers = [subprocess.Popen(
        [sys.executable, "-c", WORKER.format(root=str(ROOT), url=db.url, monday=MONDAY.isoformat(),
                                             rounds=ROUNDS, staff_id=ann.id, who=who)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for who in ("A", "B")]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
        for worker in workers:  # both start their loops together
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = [worker.communicate(timeout=120) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    assert [worker.returncode for worker in workers] == [0, 0], [err for _out, err in results]
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ThankYouNote)) == 2 * ROUNDS
        assert session.scalar(select(func.count()).select_from(NewsItem)) == 2 * ROUNDS
        (line,) = session.scalars(select(WeekReflection.text)).all()
    assert line in {f"A {ROUNDS - 1}", f"B {ROUNDS - 1}"}, "one line per caller and week: the last one written"
