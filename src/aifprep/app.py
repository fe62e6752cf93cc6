"""What the commands share: the loaded bank, the progress store, typed errors, exit codes.

The CLI builds an `App` once per run; everything heavy is loaded on first use only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path

from aifprep import paths


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS = 1  # validation errors, nothing to do, a file that cannot be used
    USAGE = 2  # bad option value, or an interactive command without a terminal
    INTERRUPTED = 130  # Ctrl-C


class UserError(Exception):
    """A problem the user can fix; shown as one line, never as a traceback."""

    def __init__(self, message: str, code: ExitCode = ExitCode.PROBLEMS) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class App:
    extra_packs: list[Path] = field(default_factory=list)
    debug: bool = False
    _bank: object = None
    _store: object = None

    @property
    def pack_paths(self) -> list[Path]:
        return paths.extra_pack_paths() + list(self.extra_packs)

    def bank(self):  # -> aifprep.bank.Bank
        """The bundled bank plus extra packs, parsed once (and cached on disk)."""
        if self._bank is None:
            from aifprep.bank import load_bank

            self._bank = load_bank(paths.bundled_questions_dir(), self.pack_paths,
                                   cache=paths.cache_dir())
        return self._bank

    def store(self):  # -> aifprep.store.ProgressStore
        if self._store is None:
            from aifprep.store import ProgressStore

            self._store = ProgressStore(paths.data_dir())
        return self._store
