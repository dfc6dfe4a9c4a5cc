"""From a file's bytes to text the YAML parser accepts, or a problem saying where it is not.

Inventories are edited in office tools: Notepad saves UTF-16, Excel and Word paste control
characters, old Vietnamese tools write Windows-1258. Each is reported at its line and
column, naming what was found, before the YAML parser sees it (whose own errors carry
no position a user can act on).
"""

from __future__ import annotations

import re

from edunet.errors import Problem

# Limits that keep a hostile or runaway file from taking the machine (docs/inventory.md,
# "Limits"). The generated full city is 3 MB, 233,000 values and a few levels deep.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_VALUES = 1_000_000  # values after YAML aliases are expanded
MAX_DEPTH = 64  # nested mappings and lists

_UTF8_BOM = b"\xef\xbb\xbf"

# what the YAML reader refuses: C0/C1 controls other than tab and line breaks, and
# the non-characters; a lone surrogate cannot come out of a UTF-8 decode
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\xac\xae-\u200a\u2010-\u2027\u202f-\u205f\u2065"
    "\u206a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)

_CONTROL_NAMES = {
    0x00: "NUL (null byte)",
    0x01: "start of heading",
    0x02: "start of text",
    0x03: "end of text",
    0x04: "end of transmission",
    0x07: "bell",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x1A: "substitute (end-of-file mark of old DOS tools)",
    0x1B: "escape",
    0x7F: "delete",
}
_LIKELY_SOURCE = {
    0x0B: " — pasted from a word processor?",
    0x0C: " — a page break pasted from a word processor?",
    0x00: " — a binary file, or UTF-16 text?",
}


# Characters YAML would take but no one meant to write: invisible ones pasted from the web
# or a word processor (a zero-width space in a code makes it another code), line breaks
# other than LF and CRLF (YAML ends a line there, every position after would be wrong).
# They are left out of what _PRINTABLE allows, so one search finds both kinds.
_UNSEEN = re.compile(
    "[\x85\xad\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_UNSEEN_NAMES = {
    0x85: "next line (NEL, a line break of old Windows-1252 text)",
    0xAD: "soft hyphen (a word processor's hyphenation point)",
    0x200B: "zero-width space",
    0x200C: "zero-width non-joiner",
    0x200D: "zero-width joiner",
    0x200E: "left-to-right mark",
    0x200F: "right-to-left mark",
    0x2028: "line separator",
    0x2029: "paragraph separator",
    0x2060: "word joiner",
    0xFEFF: "byte-order mark inside the text (two files joined?)",
}
_LONE_CR = re.compile("\r(?!\n)")


def _unseen_name(code: int) -> str:
    if code in _UNSEEN_NAMES:
        return _UNSEEN_NAMES[code]
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return "text-direction control"
    return "invisible character"


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character, counting lines as YAML does for \\n."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def character_name(code: int) -> str:
    if code in _CONTROL_NAMES:
        return _CONTROL_NAMES[code]
    if code < 0x20 or 0x7F <= code < 0xA0:
        return "control character"
    return "non-character"


def decode(raw: bytes, file: str) -> str | Problem:
    """UTF-8 text without its BOM, or a problem naming the encoding found instead."""
    if len(raw) > MAX_FILE_BYTES:
        # placed at the first byte past the limit: where a split could start
        start = raw.rfind(b"\n", 0, MAX_FILE_BYTES) + 1
        return Problem(
            file,
            raw.count(b"\n", 0, MAX_FILE_BYTES) + 1,
            len(raw[start:MAX_FILE_BYTES].decode("utf-8", errors="replace")) + 1,
            f"the file is {len(raw):,} bytes, over the limit of {MAX_FILE_BYTES:,}; "
            "this is where it passes the limit",
            "split the inventory into a directory of files",
        )
    utf16 = _utf16(raw)
    if utf16:
        return Problem(
            file,
            1,
            1,
            f"the file is {utf16}, not UTF-8",
            "save it as UTF-8 (Notepad: Save As, Encoding: UTF-8)",
        )
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM) :]  # Notepad and Excel write one; it means nothing here
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        start = raw.rfind(b"\n", 0, e.start) + 1
        line = raw.count(b"\n", 0, e.start) + 1
        column = len(raw[start : e.start].decode("utf-8", errors="replace")) + 1
        return Problem(
            file,
            line,
            column,
            f"not UTF-8 text: byte 0x{raw[e.start]:02X} ({e.reason})",
            "save it as UTF-8; old Vietnamese tools write Windows-1258 or TCVN3",
        )


def _utf16(raw: bytes) -> str:
    """Which UTF-16 the bytes are, or "" when they are not (ASCII-heavy YAML shows as NULs)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        order = "little" if raw[0] == 0xFF else "big"
        return f"UTF-16 ({order}-endian, with a byte-order mark)"
    head = raw[:4096]
    pairs = len(head) // 2
    if pairs < 2:
        return ""
    odd = head[1::2].count(0)
    even = head[0::2].count(0)
    if odd > pairs * 0.6 and even < pairs * 0.1:
        return "UTF-16 (little-endian, without a byte-order mark)"
    if even > pairs * 0.6 and odd < pairs * 0.1:
        return "UTF-16 (big-endian, without a byte-order mark)"
    return ""


def bad_character(text: str, file: str) -> Problem | None:
    """The first character YAML cannot hold, or no one meant to write, named, at its place;
    else a carriage return that ends a line alone."""
    m = _NOT_PRINTABLE.search(text)
    if m is None:
        return _lone_carriage_return(text, file)
    code = ord(m.group())
    line, column = _position(text, m.start())
    if _UNSEEN.match(m.group()):
        hint = "delete it (it cannot be seen: retype the text around it)"
        if code in (0x85, 0x2028, 0x2029):
            hint = "delete it, or make it a plain line break"
        return Problem(file, line, column, f"U+{code:04X} {_unseen_name(code)} in the text", hint)
    return Problem(
        file,
        line,
        column,
        f"U+{code:04X} {character_name(code)} in the text{_LIKELY_SOURCE.get(code, '')}",
        "delete it, or replace it with a space",
    )


def _lone_carriage_return(text: str, file: str) -> Problem | None:
    if text.count("\r") == text.count("\r\n"):  # none, or Windows line endings: no search
        return None
    m = _LONE_CR.search(text)
    assert m is not None
    line, column = _position(text, m.start())
    if "\n" not in text:
        return Problem(
            file,
            line,
            column,
            "lines end in a carriage return alone (U+000D, old Mac line endings)",
            "save the file with Unix (LF) or Windows (CRLF) line endings",
        )
    return Problem(
        file,
        line,
        column,
        "U+000D carriage return without a line feed in the text",
        "delete it, or make it a plain line break",
    )


def tab_indentation(text: str, file: str, error_line: int) -> Problem | None:
    """A tab in the indentation of the line YAML failed on, or of the line above it."""
    lines = text.split("\n")[:error_line]
    for number in (error_line, error_line - 1):
        if not 1 <= number <= len(lines):
            continue
        line = lines[number - 1]
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return Problem(
                file,
                number,
                indent.index("\t") + 1,
                "tab used for indentation; use spaces",
                "replace the tab with spaces (YAML does not allow tabs in indentation)",
            )
    return None
