"""Live mode: the engine paced by an exercise clock (speed, pause, resume, jump) against wall time.

The engine's events are processed when the clock reaches them; between them the sink commits, so
a running server streams each step as it happens. A jump plays everything up to the new time at
once. Every clock change is recorded in the operation's log (``exercises.clock.changed``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from katchi.exercises.engine import Engine

Wall = Callable[[], float]


@dataclass
class ExerciseClock:
    """Simulated minutes as a function of wall seconds: ``sim = base + (wall − anchor) × speed / 60``."""

    speed: float = 60.0
    wall: Wall = time.monotonic
    base_min: float = 0.0
    paused: bool = False
    _anchor: float = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.speed <= 0:
            raise ValueError("speed must be positive")
        self._anchor = self.wall()

    def now(self) -> float:
        with self._lock:
            return self._now()

    def _now(self) -> float:
        if self.paused:
            return self.base_min
        return self.base_min + (self.wall() - self._anchor) * self.speed / 60.0

    def _rebase(self) -> None:
        self.base_min = self._now()
        self._anchor = self.wall()

    def pause(self) -> None:
        with self._lock:
            if not self.paused:
                self._rebase()
                self.paused = True

    def resume(self) -> None:
        with self._lock:
            if self.paused:
                self._anchor = self.wall()
                self.paused = False

    def jump(self, to_min: float) -> None:
        """Move simulated time forward to ``to_min`` (never backward: the past has been played)."""
        with self._lock:
            self._rebase()
            self.base_min = max(self.base_min, to_min)

    def set_speed(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        with self._lock:
            self._rebase()
            self.speed = speed

    def wall_seconds_until(self, sim_min: float) -> float:
        """How long to wait for the clock to reach ``sim_min`` (infinite while paused)."""
        with self._lock:
            now = self._now()
            if now >= sim_min - 1e-6:  # within float noise of the target: it has been reached
                return 0.0
            if self.paused:
                return float("inf")
            return (sim_min - now) * 60.0 / self.speed


def play_live(
    engine: Engine,
    clock: ExerciseClock,
    *,
    stop: threading.Event | None = None,
    sleep: Callable[[float], None] = time.sleep,
    max_wait: float = 0.25,
    on_tick: Callable[[], None] | None = None,
    max_hold: float = 0.25,
    give_way: float = 0.1,
    wall: Wall = time.monotonic,
    lags: list[float] | None = None,
) -> float:
    """Process the engine's events as the clock reaches them; returns the simulated minute reached.

    Stops at the engine's end time or when ``stop`` is set; commits the sink whenever it waits.
    When it runs behind the clock it never waits, so it commits every ``max_hold`` seconds and then
    gives way for ``give_way`` seconds: a batch holds the database's write lock, and people's
    commands (waiting on SQLite's busy handler, which retries after sleeps of up to 100 ms) would
    otherwise find it taken again the moment it was released.
    ``on_tick`` runs on this thread before every step or wait (to apply clock commands).
    ``lags`` collects, for every event, how far (wall seconds) the engine was behind its clock when
    it played it.
    """
    env, until = engine.env, engine.until_min
    stop = stop or threading.Event()
    batch_started = wall()
    while not stop.is_set():
        if on_tick is not None:
            on_tick()
        target = env.peek()
        if target > until:
            break
        wait = clock.wall_seconds_until(target)
        if wait > 1e-3:
            engine.sink.flush()
            sleep(min(wait, max_wait))
            batch_started = wall()
            continue
        if wall() - batch_started > max_hold:
            engine.sink.flush()
            sleep(give_way)
            batch_started = wall()
        if lags is not None:
            lags.append(max(0.0, clock.now() - target) * 60.0 / clock.speed)
        env.step()
    engine.sink.flush()
    return min(float(env.now), until) if stop.is_set() else until
