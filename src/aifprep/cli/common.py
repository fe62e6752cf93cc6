"""Plumbing shared by every command: console, errors, option checks, completion."""

from __future__ import annotations

import functools
import sys
from typing import Callable, Optional

import typer

from aifprep import __version__
from aifprep.app import App, ExitCode, UserError
from aifprep.domains import DOMAINS, UnknownDomain, UnknownTask, resolve_domain, resolve_task

QUESTION_TYPES = ("single", "multiple", "ordering", "matching")


def new_console(stderr: bool = False):
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False)
    console.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]
    return console


def _broken_pipe() -> None:
    """Rich's own handler exits 1; a closed pipe is handled once, in `handles_errors`."""
    raise BrokenPipeError()


def error(message: str) -> None:
    new_console(stderr=True).print(f"aifprep: {message}", markup=False, style="red", soft_wrap=True)


def app_state(ctx: typer.Context) -> App:
    if not isinstance(ctx.obj, App):
        ctx.obj = App()
    return ctx.obj


def closed_pipe() -> None:
    """stdout's reader went away (`aifprep stats | head`): not an error. Point stdout at
    /dev/null so that nothing more (not even the final flush) fails, and exit quietly."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # pragma: no cover - stdout already gone
        pass


def handles_errors(command: Callable) -> Callable:
    """Turn the core's typed errors into one clear line and an exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from aifprep.bank import BankError
        from aifprep.store import StoreError

        ctx = kwargs.get("ctx")
        debug = bool(ctx and isinstance(ctx.obj, App) and ctx.obj.debug)
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            closed_pipe()
            raise typer.Exit(ExitCode.OK) from None
        except BankError as exc:
            for issue in exc.issues[:5]:
                error(f"broken question file: {issue}")
            if len(exc.issues) > 5:
                error(f"... and {len(exc.issues) - 5} more problems; run 'aifprep validate'")
            raise typer.Exit(ExitCode.PROBLEMS) from None
        except (UserError, StoreError) as exc:
            error(str(exc))
            raise typer.Exit(getattr(exc, "code", ExitCode.PROBLEMS)) from None
        except KeyboardInterrupt:
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except Exception as exc:
            if debug:
                raise
            error(f"unexpected error: {exc.__class__.__name__}: {exc} (run with --debug "
                   "for the traceback)")
            raise typer.Exit(ExitCode.PROBLEMS) from None

    return wrapper


def _add_packs(ctx: typer.Context, value: Optional[list]) -> Optional[list]:
    if value:
        app_state(ctx).extra_packs.extend(value)
    return value


def packs_option():
    """`--questions PATH` after the command name too (it is also a global option)."""
    return typer.Option(None, "--questions", metavar="PATH", callback=_add_packs,
                        help="Add a question pack (a YAML file or a folder of them). "
                             "Repeatable.", show_default=False)


def show_notices(state: App) -> None:
    store = state._store
    for notice in getattr(store, "notices", []):
        error(notice)
    if store is not None:
        store.notices.clear()


def require_terminal(command: str) -> None:
    if not sys.stdin.isatty():
        raise UserError(f"'aifprep {command}' is interactive and needs a terminal; stdin is "
                        "not one. (For data, try 'aifprep stats --json'.)", ExitCode.USAGE)


def domain_option(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    try:
        return resolve_domain(value).slug
    except UnknownDomain as exc:
        raise typer.BadParameter(str(exc)) from None


def task_option(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    try:
        return resolve_task(value)
    except UnknownTask as exc:
        raise typer.BadParameter(str(exc)) from None


def type_option(value: Optional[str]) -> Optional[str]:
    if value is None or value in QUESTION_TYPES:
        return value
    raise typer.BadParameter(f"unknown type {value!r}; valid: {', '.join(QUESTION_TYPES)}")


def complete_domain(incomplete: str) -> list[str]:
    return [d.slug for d in DOMAINS if d.slug.startswith(incomplete)]


def complete_type(incomplete: str) -> list[str]:
    return [t for t in QUESTION_TYPES if t.startswith(incomplete)]


def version(value: bool) -> None:
    if value:
        print(f"aifprep {__version__}")
        raise typer.Exit()


def choice_option(valid: tuple[str, ...], what: str) -> Callable[[Optional[str]], Optional[str]]:
    def check(value: Optional[str]) -> Optional[str]:
        if value is None or value in valid:
            return value
        raise typer.BadParameter(f"unknown {what} {value!r}; valid: {', '.join(valid)}")

    return check


def shown_time(iso_time: str) -> str:
    """A stored UTC time as the user's local time."""
    from aifprep.ui.text import local_time

    return local_time(iso_time)
