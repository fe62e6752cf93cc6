"""Where aifprep reads and writes: one place, so tests can redirect everything."""

from __future__ import annotations

import os
from pathlib import Path

APP = "aifprep"


def data_dir() -> Path:
    """Folder of the progress file: $AIFPREP_DATA_DIR or the platform's user data dir."""
    override = os.environ.get("AIFPREP_DATA_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """Folder of disposable caches: $AIFPREP_CACHE_DIR or the platform's user cache dir."""
    override = os.environ.get("AIFPREP_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def bundled_questions_dir() -> Path:
    """The question bank shipped with aifprep (inside the wheel, or the source tree)."""
    here = Path(__file__).resolve().parent
    installed = here / "questions"
    if installed.is_dir():
        return installed
    return here.parent.parent / "questions"  # running from a source checkout


def extra_pack_paths() -> list[Path]:
    """Paths listed in $AIFPREP_QUESTIONS (separated like PATH)."""
    raw = os.environ.get("AIFPREP_QUESTIONS", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]
