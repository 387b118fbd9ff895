"""`plan --json` from outside: its exact shape, that it is what `agenda` lists, hand-over, and
the 3,000-customer demo levelled into its team (no day over capacity, after-change calls spread)."""

import datetime as dt
import json
from collections import Counter

import pytest

import main

TODAY = "2026-11-24"
PLAN_KEYS = {"from", "to", "days", "waiting", "expired", "calls"}
DAY_KEYS = {"date", "open", "capacity", "planned"}
CALL_KEYS = {"task_id", "customer_id", "customer", "date", "time", "staff", "reasons", "why"}


def run(capsys, *argv):
    code = main.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def demo(demo_data_dir):
    return ["--data-dir", str(demo_data_dir), "--today", TODAY]


def test_plan_json_has_exactly_the_documented_shape_and_equals_each_days_agenda(capsys, demo):
    code, out, _ = run(capsys, "plan", *demo, "--to", "2026-12-04", "--json")
    assert code == 0
    plan = json.loads(out)
    assert set(plan) == PLAN_KEYS and (plan["from"], plan["to"]) == (TODAY, "2026-12-04")
    assert [d["date"] for d in plan["days"]] == [str(dt.date(2026, 11, 24) + dt.timedelta(days=n)) for n in range(11)]
    assert all(set(d) == DAY_KEYS for d in plan["days"]) and plan["calls"]
    assert all(set(c) == CALL_KEYS and c["reasons"] for c in plan["calls"])
    for day in plan["days"]:
        assert day["planned"] <= day["capacity"]
        assert day["open"] or (day["capacity"], day["planned"]) == (0, 0)
        _, listed, _ = run(capsys, "agenda", *demo, "--date", day["date"], "--json")
        agenda = [(c["task_id"], c["staff"]) for c in json.loads(listed)["calls"]]
        assert agenda == [(c["task_id"], c["staff"]) for c in plan["calls"] if c["date"] == day["date"]]


def test_plan_for_one_caller_and_a_hand_over(capsys, demo):
    _, out, _ = run(capsys, "plan", *demo, "--staff", "Maria Lopez", "--to", TODAY, "--json")
    maria = json.loads(out)
    assert maria["days"][0]["capacity"] == 10 and {c["staff"] for c in maria["calls"]} == {"Maria Lopez"}
    code, out, err = run(capsys, "plan", "hand-over", *demo, "--from", "Maria Lopez", "--to", "Dave Chen")
    assert code == 0 and json.loads(out)["moved"] == len(maria["calls"]) and "handed from Maria Lopez" in err
    _, out, _ = run(capsys, "plan", *demo, "--staff", "Maria Lopez", "--to", TODAY, "--json")
    assert json.loads(out)["calls"] == []
    code, _, err = run(capsys, "plan", "hand-over", *demo, "--from", "Nobody", "--to", "Dave Chen")
    assert code == 2 and "No caller is called 'Nobody'" in err


def test_the_3000_customer_demo_fits_its_team_and_spreads_the_after_change_calls(capsys, tmp_path):
    folder = ["--data-dir", str(tmp_path / "big"), "--today", TODAY]
    assert run(capsys, "demo", *folder, "--customers", "3000")[0] == 0
    code, out, err = run(capsys, "plan", *folder, "--to", "2027-01-31", "--json")
    assert code == 0
    plan = json.loads(out)
    over = [d for d in plan["days"] if d["planned"] > d["capacity"]]
    assert not over, "the calendar is never red from planned calls"
    assert sum(d["planned"] for d in plan["days"]) >= 0.9 * sum(d["capacity"] for d in plan["days"][:30])
    concerns = Counter(c["date"] for c in plan["calls"] if "change_concerns" in c["reasons"])
    assert len(concerns) >= 5 and max(concerns.values()) <= 24, "after-change calls spread, within capacity"
    per_customer_day = Counter((c["customer_id"], c["date"]) for c in plan["calls"])
    assert max(per_customer_day.values()) == 1
    assert plan["waiting"] > 0, "what does not fit is said"
