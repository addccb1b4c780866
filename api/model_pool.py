"""Threads of their own for work that waits on the chat model.

A model call blocks its thread for as long as the model takes (up to ``model_deadline``). Run on
AnyIO's shared pool, forty slow answers would take every thread that search, key checks and
``/readyz`` need; here they take at most ``model_concurrency`` threads of this pool, and more wait
their turn in its queue. ``busy``/``waiting`` feed ``/readyz``, so a saturated worker says so.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class ModelPool:
    """A bounded thread pool for model-bound calls and the streams that make them."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._executor = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="cehua-model")
        self._lock = threading.Lock()
        self.busy = 0
        self.waiting = 0

    @property
    def saturated(self) -> bool:
        """True when every thread is taken by a model call (new ones would have to wait)."""
        return self.busy >= self.size

    def describe(self) -> str:
        """'ok', or how saturated the pool is, for ``/readyz``."""
        if not self.saturated:
            return "ok"
        return (f"saturated: all {self.size} model threads busy, {self.waiting} request(s) waiting "
                "(raise CEHUA_MODEL_CONCURRENCY or add workers)")

    def _submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        with self._lock:
            self.waiting += 1

        def tracked() -> T:
            with self._lock:
                self.waiting -= 1
                self.busy += 1
            try:
                return fn(*args)
            finally:
                with self._lock:
                    self.busy -= 1

        return self._executor.submit(tracked)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` on a pool thread."""
        return await asyncio.wrap_future(self._submit(functools.partial(fn, *args, **kwargs)))

    async def iterate(self, items: Iterator[T]) -> AsyncIterator[T]:
        """The items of a blocking iterator, produced by one pool thread from start to end (a started
        answer keeps its thread, so new arrivals queue behind it instead of slowing it down). Leaving
        early (a client that hung up) stops the producer and closes the iterator, ending its model stream."""
        loop = asyncio.get_running_loop()
        handed: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        stop = threading.Event()

        def hand(kind: str, value: Any) -> None:
            loop.call_soon_threadsafe(handed.put_nowait, (kind, value))

        def produce() -> None:
            try:
                for item in items:
                    if stop.is_set():
                        break
                    hand("item", item)
                else:
                    hand("end", None)
            except BaseException as exc:  # raised again on the reading side
                hand("error", exc)
            finally:
                close = getattr(items, "close", None)
                if close is not None:
                    close()

        self._submit(produce)
        try:
            while True:
                kind, value = await handed.get()
                if kind == "end":
                    return
                if kind == "error":
                    raise value
                yield value
        finally:
            stop.set()

    def shutdown(self) -> None:
        """Stop taking work (threads finish what they are doing)."""
        self._executor.shutdown(wait=False, cancel_futures=True)
