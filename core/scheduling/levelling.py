"""Levelling calls into the team's days: pure placement, no database.

Each call may happen on any open day of its window; each day has room for so many calls.
Calls are offered most valuable first. A call goes on its remembered day or the first day of
its window with room; when its window is full, calls already placed shift inside their own
windows to make room (an augmenting path), so a call whose window closes sooner gets the
early day and the one with a wider window yields to a later day of its own window. A call
that cannot be placed even so waits: every day it could use is taken by a call worth more.

Placing in order of value with these shifts is the greedy algorithm on a matroid (the sets
of calls that fit the days), which is why no waiting call is worth more than a placed one
that sits on a day the waiting call could have used.

Days are indexes 0..n-1 into the open days being planned.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass(eq=False)
class Slot:
    """A call being levelled: its window (day indexes, both included) and its worth."""

    key: object
    first: int
    last: int
    value: float
    day: int | None = None
    remembered_day: int | None = None
    movable: bool = True


@dataclass
class Board:
    """The days being levelled: room left on each, and the movable calls on each."""

    room: list[int]
    placed: list[list[Slot]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.free = sum(r for r in self.room if r > 0)  # room left on all days together
        if not self.placed:
            self.placed = [[] for _ in self.room]
        self._first = [d for d in range(len(self.room))]
        self._last = [d for d in range(len(self.room))]
        # Day intervals found with no room that shifting could reach. While nothing is removed,
        # room only shrinks, so they stay full: a later call inside one fails at once.
        # _full_to[d]: the furthest end of such an interval starting on or before day d.
        self._full_to = [-1] * len(self.room)
        self._cheapest: list[Slot | None | bool] = [False] * len(self.room)  # per day; False: not known
        self._least_value: float | None | bool = False  # of any movable call on any day; False: not known

    def cheapest(self, first: int, last: int, below: float | None = None) -> Slot | None:
        """The movable call worth least on the days first..last (None when there is none); with
        `below`, only one worth less than that. Once the days are full, most calls offered are
        worth less than every placed one: the least value on the whole board answers those at once."""
        if below is not None:
            if self._least_value is False:
                values = [self.cheapest(day, day) for day in range(len(self.room))]
                self._least_value = min((s.value for s in values if s is not None), default=None)
            if self._least_value is None or self._least_value >= below:
                return None
        found = None
        for day in range(max(first, 0), min(last, len(self.room) - 1) + 1):
            known = self._cheapest[day]
            if known is False:
                known = self._cheapest[day] = min(self.placed[day], key=lambda s: (s.value, -s.last), default=None)
            if known is not None and (found is None or (known.value, -known.last) < (found.value, -found.last)):
                found = known
        if below is not None and found is not None and found.value >= below:
            return None
        return found

    # --- bookkeeping ------------------------------------------------------------------------
    def _put(self, slot: Slot, day: int) -> None:
        slot.day = day
        if self.room[day] > 0:
            self.free -= 1
        self.room[day] -= 1
        if slot.movable:
            self._cheapest[day] = self._least_value = False
            self.placed[day].append(slot)
            if slot.first < self._first[day]:
                self._first[day] = slot.first
            if slot.last > self._last[day]:
                self._last[day] = slot.last

    def _take(self, slot: Slot) -> None:
        day = slot.day
        self.room[day] += 1
        if self.room[day] > 0:
            self.free += 1
        slot.day = None
        self._full_to = [-1] * len(self.room)
        if slot.movable:
            self._cheapest[day] = self._least_value = False
            self.placed[day].remove(slot)
            self._first[day] = min([s.first for s in self.placed[day]], default=day)
            self._last[day] = max([s.last for s in self.placed[day]], default=day)

    def hold(self, slot: Slot, day: int) -> None:
        """Put a call on a day whatever its room (a stored line, a timed callback)."""
        self._put(slot, day)

    def remove(self, slot: Slot) -> None:
        if slot.day is not None:
            self._take(slot)

    # --- placing ----------------------------------------------------------------------------
    def place(self, slot: Slot) -> bool:
        first, last = max(slot.first, 0), min(slot.last, len(self.room) - 1)
        if first > last or self.free <= 0:
            return False
        room = self.room
        remembered = slot.remembered_day
        if remembered is not None and first <= remembered <= last and room[remembered] > 0:
            self._put(slot, remembered)
            return True
        for day in range(first, last + 1):
            if room[day] > 0:
                self._put(slot, day)
                return True
        if self._full_to[first] >= last or not self._reaches_room(first, last):
            return False
        return self._shift_and_place(slot, first, last)

    def _reaches_room(self, first: int, last: int) -> bool:
        """Whether shifting calls inside their windows can free a day of [first, last]: the days
        reachable by such shifts always form one interval, grown until it stops growing."""
        low, high = first, last
        while True:
            new_low = min(self._first[low:high + 1])
            new_high = max(self._last[low:high + 1])
            if any(self.room[d] > 0 for d in range(new_low, low)) or \
                    any(self.room[d] > 0 for d in range(high + 1, new_high + 1)):
                return True
            if (new_low, new_high) == (low, high):
                full_to = self._full_to
                for day in range(low, len(full_to)):
                    if full_to[day] < high:
                        full_to[day] = high
                return False
            low, high = new_low, new_high

    def _shift_and_place(self, slot: Slot, first: int, last: int) -> bool:
        parent: dict[int, int | None] = {day: None for day in range(first, last + 1)}
        queue = deque(range(first, last + 1))
        free = None
        while queue and free is None:
            day = queue.popleft()
            for other in range(self._first[day], self._last[day] + 1):
                if other in parent:
                    continue
                parent[other] = day
                if self.room[other] > 0:
                    free = other
                    break
                queue.append(other)
        if free is None:
            return False
        target = free
        while parent[target] is not None:
            source = parent[target]
            mover = min((s for s in self.placed[source] if s.first <= target <= s.last), key=lambda s: s.value)
            self._take(mover)
            self._put(mover, target)
            target = source
        self._put(slot, target)
        return True


def level(slots: list[Slot], room: list[int]) -> Board:
    """Place `slots` (already in the order they should be offered) into days with `room`."""
    board = Board(list(room))
    for slot in slots:
        board.place(slot)
    return board
