"""Reading one question or flashcard file, bounded: bytes to data with line numbers.

Packs come from strangers, so reading one must cost bounded time and memory and end in
either data or one `PackFileError` carrying a line:
- only a regular file is read (a FIFO, a device, a folder named `.yaml` is refused
  before anything blocks), of at most `MAX_FILE_BYTES`;
- the text is UTF-8 (a UTF-8 byte order mark is dropped);
- the YAML is composed here from the parser's events, so that aliases and anchors are
  refused before anything expands (no "billion laughs"), tags other than plain text,
  lists and mappings are refused (`!!python/object` never reaches a constructor), and
  nesting depth, the number of values and the length of each text are capped.

`bank.py` turns the data into questions and cards.
"""

from __future__ import annotations

import codecs
import functools
import os
import stat
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 20 * 1024 * 1024  # 20 MB
MAX_DEPTH = 20  # nested lists and mappings; a question file needs 5
MAX_VALUES = 250_000  # texts, numbers, lists and mappings in one file
MAX_TEXT = 20_000  # characters in one value
MAX_NUMBER = 30  # characters in a number; longer digit strings stay text

YAML_TAG = "tag:yaml.org,2002:"
EXPLICIT_TAGS = {None, "!", YAML_TAG + "str", YAML_TAG + "seq", YAML_TAG + "map"}
IMPLICIT_TAGS = {YAML_TAG + t for t in ("str", "seq", "map", "null", "bool", "int", "float")}


class PackFileError(Exception):
    """The file cannot be read as a question file; `line` is 0 when no line applies."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class Node(dict):
    """A YAML mapping that remembers where it and each of its keys stood."""

    line = 0
    key_lines: dict[Any, int]
    duplicates: list[tuple[Any, int]]


class BadKey:
    """A mapping key that is a list or a mapping: kept (each one distinct) so the
    checker can report it with the item's id instead of crashing on an unhashable key."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __str__(self) -> str:
        return f"<{self.kind}>"


# --- reading bytes ------------------------------------------------------------------------

_FILE_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISSOCK, "a socket"))


def _not_regular(mode: int) -> PackFileError:
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
    return PackFileError(0, f"cannot read: it is {kind}, not a regular file")


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (default `MAX_FILE_BYTES`);
    never blocks on a FIFO or device, never reads more than `limit` + 1 bytes."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        info = os.stat(path)  # follows symlinks: a link to /dev/zero is a device
    except OSError as exc:
        raise PackFileError(0, f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(info.st_mode)
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
             | getattr(os, "O_BINARY", 0))
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise PackFileError(0, f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)  # what was opened, in case the path changed since the stat
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(info.st_mode)
        if info.st_size > limit:
            raise _too_big(info.st_size, limit)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise _too_big(size, limit)
        return b"".join(chunks)
    except OSError as exc:
        raise PackFileError(0, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _too_big(size: int, limit: int) -> PackFileError:
    mb = 1024 * 1024
    limit_text = f"{limit // mb} MB" if limit >= mb else f"{limit:,} bytes"
    return PackFileError(0, f"the file has {size:,} bytes or more; a question file may hold "
                            f"at most {limit_text}")


_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
              (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def decode(data: bytes) -> str:
    """UTF-8 text; a UTF-8 byte order mark is dropped, anything else is refused with the
    line of the first bad byte."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            raise PackFileError(1, f"the file is {name} text; save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        raise PackFileError(line, f"not UTF-8 text: byte 0x{data[exc.start]:02x} at column "
                                  f"{column}; save the file as UTF-8") from None


# --- YAML ---------------------------------------------------------------------------------

def _construct_mapping(loader: Any, node: Any) -> Node:
    result = Node()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    result.duplicates = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            key = BadKey("a list" if isinstance(key, list) else "a mapping")
        line = key_node.start_mark.line + 1
        if key in result:
            result.duplicates.append((key, line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _lenient(construct: Any) -> Any:
    """A number constructor that keeps the text when YAML 1.1's number forms misfire
    (`0x_`, `1:2:3` overflowing ...): a value is never a reason to crash."""

    def build(loader: Any, node: Any) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError):
            return node.value

    return build


@functools.cache
def _loader() -> type:
    """A safe YAML loader (the C one where PyYAML has it) with our mapping constructor;
    PyYAML is imported only when a file is parsed (a cached bank needs no YAML at all)."""
    import yaml

    try:
        base = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        base = yaml.SafeLoader
    loader = type("PackLoader", (base,), {})
    loader.add_constructor(YAML_TAG + "map", _construct_mapping)
    loader.add_constructor(YAML_TAG + "int", _lenient(yaml.SafeLoader.construct_yaml_int))
    loader.add_constructor(YAML_TAG + "float", _lenient(yaml.SafeLoader.construct_yaml_float))
    return loader


def _tag_name(tag: str) -> str:
    name = "!!" + tag[len(YAML_TAG):] if tag.startswith(YAML_TAG) else tag
    return name if len(name) <= 60 else name[:59] + "…"


def _compose(loader: Any) -> Any:
    """The document's node tree, built from parser events with every limit checked as it
    grows: aliases never expand, unknown tags never reach a constructor."""
    from yaml import events, nodes

    get = loader.get_event
    get()  # stream start
    if isinstance(get(), events.StreamEndEvent):  # else: document start
        return None  # an empty file
    open_nodes: list[Any] = []  # the lists and mappings being filled, innermost last
    keys: list[Any] = []  # per open node: a mapping's key still waiting for its value
    root = None
    count = 0
    while True:
        event = get()
        kind = type(event)
        if kind is events.DocumentEndEvent:
            break
        if kind is events.SequenceEndEvent or kind is events.MappingEndEvent:
            open_nodes.pop()  # it joined its parent when it started
            keys.pop()
            continue
        line = event.start_mark.line + 1
        if kind is events.AliasEvent:
            raise PackFileError(line, f"YAML alias *{_short(event.anchor)}: aliases and anchors "
                                      "are not allowed in question files; write the value out")
        if event.anchor is not None:
            raise PackFileError(line, f"YAML anchor &{_short(event.anchor)}: anchors and "
                                      "aliases are not allowed in question files")
        if event.tag not in EXPLICIT_TAGS:
            raise PackFileError(line, f"YAML tag {_tag_name(event.tag)} is not allowed in "
                                      "question files; write plain text, lists and mappings")
        count += 1
        if count > MAX_VALUES:
            raise PackFileError(line, f"more than {MAX_VALUES:,} values in one file")
        if kind is events.ScalarEvent:
            node = _scalar(loader, event, line, nodes.ScalarNode)
        elif len(open_nodes) >= MAX_DEPTH:
            raise PackFileError(line, f"lists and mappings nested more than {MAX_DEPTH} deep")
        elif kind is events.SequenceStartEvent:
            node = nodes.SequenceNode(YAML_TAG + "seq", [], event.start_mark, None)
        else:
            node = nodes.MappingNode(YAML_TAG + "map", [], event.start_mark, None)
        if not open_nodes:
            root = node
        elif open_nodes[-1].tag == YAML_TAG + "seq":
            open_nodes[-1].value.append(node)
        elif keys[-1] is None:
            keys[-1] = node
        else:
            open_nodes[-1].value.append((keys[-1], node))
            keys[-1] = None
        if kind is not events.ScalarEvent:
            open_nodes.append(node)
            keys.append(None)
    event = get()
    if not isinstance(event, events.StreamEndEvent):
        raise PackFileError(event.start_mark.line + 1,
                            "a second YAML document ('---'); a question file holds one")
    return root


def _scalar(loader: Any, event: Any, line: int, node_class: type) -> Any:
    value = event.value
    if len(value) > MAX_TEXT:
        raise PackFileError(line, f"a value of {len(value):,} characters; text may have at "
                                  f"most {MAX_TEXT:,}")
    if event.tag is None or event.tag == "!":
        tag = loader.resolve(node_class, value, event.implicit)
        if tag not in IMPLICIT_TAGS or (len(value) > MAX_NUMBER
                                        and tag in (YAML_TAG + "int", YAML_TAG + "float")):
            tag = YAML_TAG + "str"  # dates, `=`, `<<` and 5,000-digit numbers stay text
    else:
        tag = event.tag
    return node_class(tag, value, event.start_mark, None, style=event.style)


def _short(name: str | None) -> str:
    name = name or ""
    return name if len(name) <= 40 else name[:39] + "…"


def load_yaml(text: str) -> Any:
    """The one YAML document in `text`: mappings as `Node`, within the limits above."""
    import yaml

    loader = _loader()(text)
    try:
        root = _compose(loader)
        return None if root is None else loader.construct_document(root)
    except PackFileError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        raise PackFileError(mark.line + 1 if mark else 0, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", None)
        line = text.encode("utf-8", "surrogatepass").count(b"\n", 0, position) + 1 \
            if isinstance(position, int) else 0
        character = getattr(exc, "character", None)
        if isinstance(character, int) or (isinstance(character, str) and len(character) == 1):
            code = character if isinstance(character, int) else ord(character)
            problem = f"{getattr(exc, 'reason', 'unacceptable character')} (#x{code:04x})"
        else:
            problem = str(exc).splitlines()[0]
        raise PackFileError(line, f"invalid YAML: {problem}") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # Never seen in fuzzing; should a constructor still fail, the file gets the blame
        # in one line instead of an "unexpected error" for the whole command.
        raise PackFileError(0, f"cannot read the YAML: {type(exc).__name__}: "
                               f"{str(exc)[:200]}") from None
    finally:
        loader.dispose()


def load(path: Path) -> Any:
    """Read, decode and parse one file; raise `PackFileError` for anything unusable."""
    return load_yaml(decode(read_bytes(path)))
