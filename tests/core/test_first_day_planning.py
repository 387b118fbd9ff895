"""A new business gets its first calls the moment it has both customers and callers, in
whichever order they arrive — not at tomorrow's morning pass."""

from core.clock import FixedClock
from core.importing.reading import read_import_file
from core.services import Services
from core.scheduling.staff import StaffEntry


def _export(folder):
    rows = ["First Name,Last Name,Phone Number,Last Visit,Transaction Count,Lifetime Spend"]
    rows += [f"Ann{i},Smith{i},(503) 555-{1000 + i:04d},2026-0{1 + i % 9}-15,{3 + i},\"${400 + i * 37}.00\""
             for i in range(20)]
    path = folder / "customers.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_adding_the_first_caller_after_an_import_plans_todays_calls(db, today, tmp_path):
    services = Services(db, FixedClock.on(today))
    services.prepare()
    services.run_import(read_import_file(_export(tmp_path)), None, False)
    services.forget_cached()
    assert not services.agenda(today).calls, "nobody to call them yet"
    services.save_business_settings({}, [StaffEntry(None, "Ann", 10)])
    services.forget_cached()
    calls = services.agenda(today).calls
    assert calls and {call.staff for call in calls} == {"Ann"}
