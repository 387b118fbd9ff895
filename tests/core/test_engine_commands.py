"""The engine's command line, checked from outside: the JSON shapes owners script against."""

import json

import pytest

import main

AGENDA_CALL_KEYS = {"task_id", "customer_id", "customer", "phone", "staff", "reason", "change_id", "due", "time",
                    "priority", "why"}
REASONS = {"change_heads_up", "change_samples", "change_concerns", "change_follow_up", "post_purchase", "neglected",
           "quote", "rewards", "keep_in_touch", "callback"}


def run(capsys, *argv):
    code = main.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def demo(demo_data_dir):
    return ["--data-dir", str(demo_data_dir), "--today", "2026-11-24"]


def test_agenda_json_lists_each_callers_calls_within_quota(capsys, demo):
    code, out, _ = run(capsys, "agenda", *demo, "--json")
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {"date", "staff", "calls"} and payload["date"] == "2026-11-24"
    assert {s["name"] for s in payload["staff"]} == {"Maria Lopez", "Dave Chen", "Priya Patel"}
    for member in payload["staff"]:
        assert set(member) == {"name", "quota", "count"} and member["count"] <= member["quota"]
        assert member["count"] == sum(1 for c in payload["calls"] if c["staff"] == member["name"])
    assert payload["calls"], "the demo has calls today"
    for call in payload["calls"]:
        assert set(call) == AGENDA_CALL_KEYS and call["reason"] in REASONS
    staff_order = [c["staff"] for c in payload["calls"]]
    assert staff_order == sorted(staff_order, key=lambda name: staff_order.index(name)), "grouped per caller"


def test_agenda_for_one_caller_and_a_closed_day(capsys, demo):
    _, out, _ = run(capsys, "agenda", *demo, "--staff", "Priya Patel", "--json")
    payload = json.loads(out)
    assert {c["staff"] for c in payload["calls"]} == {"Priya Patel"}
    _, out, _ = run(capsys, "agenda", *demo, "--date", "2026-11-26", "--json")  # Thanksgiving
    assert json.loads(out)["calls"] == []


def test_announce_dry_run_prints_the_ranked_plan_and_saves_nothing(capsys, demo):
    argv = ["announce", *demo, "--kind", "discontinued", "--title", "Chain openers discontinued",
            "--products", "OP-CHAIN-12", "--effective", "2026-12-18", "--json"]
    code, out, err = run(capsys, *argv, "--dry-run")
    assert code == 0
    plan = json.loads(out)
    assert set(plan) == {"change_id", "effective", "affected", "missed", "steps"} and plan["change_id"] is None
    exposures = [a["exposure"] for a in plan["affected"]]
    assert exposures == sorted(exposures, reverse=True) and exposures
    for affected in plan["affected"]:
        assert set(affected) == {"customer_id", "customer", "exposure", "why", "heads_up", "staff"}
        assert affected["heads_up"] is None or affected["heads_up"] < "2026-12-18"
    assert {s["kind"] for s in plan["steps"]} >= {"heads_up", "samples", "concerns", "follow_up"}
    assert all(set(step) == {"customer_id", "kind", "due"} for step in plan["steps"])
    assert "Everyone can be called" in err or "would be missed" in err

    code, out, _ = run(capsys, *argv)
    assert code == 0 and isinstance(json.loads(out)["change_id"], int)


@pytest.mark.parametrize("products,effective,message", [
    ("OP-CHAIN-12,NOPE-1", "2026-12-18", "Unknown SKU(s): NOPE-1"),
    ("OP-CHAIN-12", "2026-11-01", "in the past"),
])
def test_announce_errors_are_clear_and_change_nothing(capsys, demo, products, effective, message):
    code, out, err = run(capsys, "announce", *demo, "--kind", "price_increase", "--title", "X", "--products",
                         products, "--effective", effective, "--json")
    assert code != 0 and out == "" and message in err


def test_log_records_an_outcome_and_prints_what_comes_next(capsys, demo):
    _, out, _ = run(capsys, "agenda", *demo, "--json")
    task_id = json.loads(out)["calls"][0]["task_id"]
    code, out, err = run(capsys, "log", str(task_id), *demo, "--outcome", "voicemail", "--notes", "left message")
    assert code == 0
    result = json.loads(out)
    assert result["task_id"] == task_id and result["outcome"] == "voicemail"
    assert result["scheduled"][0]["task_id"] == task_id and result["scheduled"][0]["due"] > "2026-11-24"
    assert "try again" in err
    code, _, err = run(capsys, "log", str(task_id), *demo, "--outcome", "reached", "--follow-up", "2026-11-01")
    assert code != 0 and "in the past" in err
