"""What users hand us (files, stdin) read with a byte limit, and decoded by detected encoding.

A reader here never holds more than `limit` + 1 bytes, so `/dev/zero`, a FIFO or an endless pipe
costs no more memory than a file at the limit; device files, FIFOs and sockets given by path are
refused before they are opened (opening a FIFO with no writer would hang). Text is decoded from
its byte order mark, else as UTF-8, else by charset-normalizer's guess, which the caller is told
about, since a wrong guess garbles accents.
"""

from __future__ import annotations

import codecs
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import InputReadError

MAX_JSONL_BYTES = 20 * 1024 * 1024  # question and query sets: about 100,000 questions

# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LABELS = {"cp1252": "Windows-1252 (cp1252)", "utf_16_le": "UTF-16", "utf_16_be": "UTF-16"}


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, with the encoding used and whether it was a guess."""

    text: str
    encoding: str  # a Python codec name: "utf-8", "utf-16", "cp1252", ...
    guessed: bool  # no byte order mark and not UTF-8: charset-normalizer's best guess

    @property
    def label(self) -> str:
        """The encoding as a person would name it ("Windows-1252 (cp1252)")."""
        return _LABELS.get(self.encoding, self.encoding)

    def note(self, name: str) -> str | None:
        """What to tell the user when the encoding was guessed; None otherwise."""
        if not self.guessed:
            return None
        return (
            f"{name} is not UTF-8; it was read as {self.label}. If accented letters look wrong, "
            "save it as UTF-8 and try again."
        )


def read_file_bytes(path: str | Path, *, limit: int, what: str, fix: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; InputReadError says what is wrong.

    `what` names the file wanted ("a JSON-lines file"); `fix` says what to do when it is too big.
    """
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputReadError(f"{path}: no such file. Check the path and try again.") from None
    except OSError as exc:
        raise InputReadError(f"{path}: cannot read it ({exc.strerror}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputReadError(f"{path} is a folder: give {what}.")
    if not stat.S_ISREG(info.st_mode):
        raise InputReadError(
            f"{path} is {_kind(info.st_mode)}, not a regular file: give {what} saved on disk."
        )
    check_size(info.st_size, name=path.name, limit=limit, fix=fix)
    try:
        with path.open("rb") as handle:
            return read_stream_bytes(handle, name=path.name, limit=limit, fix=fix)
    except OSError as exc:
        raise InputReadError(f"{path}: cannot read it ({exc.strerror}).") from None


def read_stream_bytes(stream: BinaryIO, *, name: str, limit: int, fix: str) -> bytes:
    """At most `limit` bytes of a stream (stdin, a pipe); one byte more is refused, unread."""
    chunks, size = [], 0
    while size <= limit:
        chunk = stream.read(min(1024 * 1024, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise InputReadError(f"{name} is more than the {_amount(limit)} allowed: {fix}")
    return b"".join(chunks)


def check_size(size: int, *, name: str, limit: int, fix: str) -> None:
    """InputReadError when `size` bytes are over the limit."""
    if size > limit:
        raise InputReadError(
            f"{name} is {size / 1024 / 1024:.1f} MB, more than the {_amount(limit)} allowed: {fix}"
        )


def decode_text(data: bytes) -> DecodedText | None:
    """The text in `data`, or None when it is not text (binary, or no encoding fits)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, encoding, guessed=False)
    if b"\x00" not in data[:8192]:  # a NUL never occurs in UTF-8 or single-byte text
        try:
            return DecodedText(data.decode("utf-8"), "utf-8", guessed=False)
        except UnicodeDecodeError:
            pass
    encoding = _guess_encoding(data)
    if encoding is None:
        return None
    if b"\x00" in data[:8192] and not encoding.startswith(("utf_16", "utf_32")):
        return None
    return _decode(data, encoding, guessed=True)


def read_text_file(path: str | Path, *, limit: int, what: str, fix: str) -> DecodedText:
    """A text file of at most `limit` bytes, decoded; InputReadError when it is not text."""
    return text_or_error(read_file_bytes(path, limit=limit, what=what, fix=fix), Path(path).name)


def text_or_error(data: bytes, name: str) -> DecodedText:
    """decode_text(), with InputReadError for data that is not text."""
    decoded = decode_text(data)
    if decoded is None:
        raise InputReadError(
            f"{name} is not text (it holds binary data, or an encoding that cannot be "
            "recognised): save it as UTF-8 text and try again."
        )
    return decoded


def json_type(value: object) -> str:
    """How JSON names a value's type, for messages: null, a number, a list, an empty string."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return "an empty string" if not value.strip() else "a string"
    return "a list" if isinstance(value, list) else "an object"


# --------------------------------------------------------------------------- internals


def _decode(data: bytes, encoding: str, *, guessed: bool) -> DecodedText | None:
    try:
        return DecodedText(data.decode(encoding), encoding, guessed=guessed)
    except UnicodeDecodeError:
        return None


def _guess_encoding(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    # On short Western text charset-normalizer often ties cp1252 with cp1250 or Latin-1; Windows
    # editors in the Compact's working languages save cp1252, so it wins a tie.
    for match in matches:
        if "cp1252" in match.could_be_from_charset and match.chaos <= best.chaos:
            return "cp1252"
    return best.encoding


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _amount(limit: int) -> str:
    return f"{limit // 1024 // 1024} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
