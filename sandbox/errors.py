"""Why a demo could not be run: one exception per reason, each with a message fit to show a user."""

from __future__ import annotations

from typing import Mapping

from sandbox import registry


class SandboxError(Exception):
    """A demo could not be run; `str(exc)` is a message fit to show a user."""


class ParameterError(SandboxError):
    """Bad parameters: `errors` maps each bad field to its message; nothing ran."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{name}: {msg}" for name, msg in self.errors.items()))


class DemoTimeout(SandboxError):
    def __init__(self, key: str, timeout_s: float, pid: int | None = None, *, message: str | None = None):
        self.key, self.timeout_s, self.pid = key, timeout_s, pid
        super().__init__(message or f"Demo {key!r} did not finish within {timeout_s:g} s and was stopped.")


class DemoBusy(SandboxError):
    """Every slot for a child is taken; nothing ran (so nothing is stored)."""


class ResultTooLarge(SandboxError):
    pass


class DemoFailed(SandboxError):
    pass


class UnknownDemo(SandboxError, registry.UnknownDemo):
    """No demo has this key (caught as either a SandboxError or the registry's UnknownDemo)."""

    def __init__(self, key: str):
        self.key = key
        super().__init__(f"Unknown demo {key!r}.")

    def __str__(self) -> str:  # KeyError's would wrap the message in quotes
        return f"Unknown demo {self.key!r}."


def demo(key: str):
    """The demo module for `key`, or UnknownDemo (a SandboxError)."""
    try:
        return registry.get(key)
    except registry.UnknownDemo:
        raise UnknownDemo(key) from None
