"""Single-key prompts: tiny inline prompt_toolkit applications, so a key acts at once."""

from __future__ import annotations

from typing import Any, Callable


def run_key_prompt(render: Callable[[], list[tuple[str, str]]], bindings: Any) -> Any:
    """Show one line rendered by `render` and return what a key binding exits with.
    Ctrl-C and Ctrl-D raise KeyboardInterrupt."""
    from prompt_toolkit.application import Application
    from prompt_toolkit.layout import Layout
    from prompt_toolkit.layout.containers import Window
    from prompt_toolkit.layout.controls import FormattedTextControl
    from prompt_toolkit.output import create_output

    output = create_output()
    if hasattr(output, "enable_cpr"):
        # A one-line prompt needs no cursor position report; asking for one costs up to a
        # second per prompt on terminals (and test ptys) that never answer.
        output.enable_cpr = False
    interrupt = lambda event: event.app.exit(exception=KeyboardInterrupt())  # noqa: E731
    bindings.add("c-c")(interrupt)
    bindings.add("c-d")(interrupt)
    window = Window(FormattedTextControl(render), height=1, always_hide_cursor=True)
    return Application(layout=Layout(window), key_bindings=bindings, full_screen=False,
                       erase_when_done=False, output=output).run()


def press_any_key(message: str, special: dict[str, str] | None = None) -> str | None:
    """Wait for any key; return the value bound to a special key, or None for any other."""
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys

    kb = KeyBindings()
    for key, value in (special or {}).items():
        kb.add(key)(lambda event, v=value: event.app.exit(result=v))
    kb.add(Keys.Any)(lambda event: event.app.exit(result=None))
    kb.add("enter")(lambda event: event.app.exit(result=None))
    return run_key_prompt(lambda: [("", message)], kb)
