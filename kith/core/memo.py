"""A memo for one unit of work (a web request, one history the seed writes): answers that do
not change within it (a user's memberships and modules, whether a code is in a list) are
worked out once.

Outside ``memo_scope()`` nothing is kept, so a test or a script sees every change at once.
Services that change what is memoised call ``memo_forget()`` (like Django's permission cache
on the user, but dropped at the end of the unit rather than kept on the object).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, object] | None] = ContextVar("kith_memo", default=None)


@contextmanager
def memo_scope() -> Iterator[None]:
    """Keep answers for the length of the block (a nested scope shares the outer one)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoised(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per key within the scope; every time outside one."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[return-value]


def memo_forget() -> None:
    """Drop everything kept (after a write that changes a memoised answer)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class MemoMiddleware:
    """One memo per request."""

    def __init__(self, get_response: Callable[..., object]) -> None:
        self.get_response = get_response

    def __call__(self, request: object) -> object:
        with memo_scope():
            return self.get_response(request)
