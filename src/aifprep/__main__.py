"""Entry point for the `aifprep` command and `python -m aifprep`."""

import sys


def main() -> None:
    # Answer --version without loading the command-line framework: it is the one call
    # scripts make often, and it needs nothing else.
    if sys.argv[1:] == ["--version"]:
        from aifprep import __version__

        print(f"aifprep {__version__}")
        return
    from aifprep.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
