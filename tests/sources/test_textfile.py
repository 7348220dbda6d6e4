"""Tests of reading one text document (spindetect.textfile)."""

from __future__ import annotations

import codecs
import gzip
import os
import re
from pathlib import Path

import pytest

from spindetect.exceptions import (
    BinaryInputError,
    EmptyInputError,
    InputDecodeError,
    InputError,
    InputNotFoundError,
    InputTooLargeError,
    InvalidParameterError,
    NotAFileError,
)
from spindetect.sources.textfile import DEFAULT_MAX_BYTES, decode_text, read_text

TEXT = "Peer support groups \u2014 \u201chelp\u201d for caf\u00e9 owners.\n"


def write(tmp_path: Path, data: bytes, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def assert_names(exc: InputError, path: Path) -> None:
    assert exc.source == str(path)
    assert str(exc).startswith(f"{path}: ")


class TestReadsText:
    def test_utf8(self, tmp_path: Path) -> None:
        path = write(tmp_path, TEXT.encode("utf-8"))
        assert read_text(path) == TEXT

    def test_accepts_str_path(self, tmp_path: Path) -> None:
        path = write(tmp_path, b"plain ascii")
        assert read_text(str(path)) == "plain ascii"

    def test_line_endings_kept(self, tmp_path: Path) -> None:
        path = write(tmp_path, b"a\r\nb\rc\n")
        assert read_text(path) == "a\r\nb\rc\n"

    def test_utf8_bom_stripped(self, tmp_path: Path) -> None:
        path = write(tmp_path, codecs.BOM_UTF8 + TEXT.encode("utf-8"))
        out = read_text(path)
        assert out == TEXT
        assert not out.startswith("\ufeff")

    @pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
    def test_utf16_with_bom(self, tmp_path: Path, codec: str) -> None:
        bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
        path = write(tmp_path, bom + TEXT.encode(codec))
        assert read_text(path) == TEXT

    @pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
    def test_utf32_with_bom(self, tmp_path: Path, codec: str) -> None:
        bom = codecs.BOM_UTF32_LE if codec.endswith("le") else codecs.BOM_UTF32_BE
        path = write(tmp_path, bom + TEXT.encode(codec))
        assert read_text(path) == TEXT

    def test_explicit_latin1(self, tmp_path: Path) -> None:
        path = write(tmp_path, "caf\u00e9 cr\u00e8me".encode("latin-1"))
        assert read_text(path, encoding="latin-1") == "caf\u00e9 cr\u00e8me"

    def test_explicit_encoding_overrides_detection(self, tmp_path: Path) -> None:
        path = write(tmp_path, "na\u00efve".encode("cp1252"))
        assert read_text(path, encoding="cp1252") == "na\u00efve"

    def test_tabs_form_feed_and_escape_are_text(self, tmp_path: Path) -> None:
        data = b"col1\tcol2\x0cpage two \x1b[1mbold\x1b[0m"
        assert read_text(write(tmp_path, data)) == data.decode()

    def test_exactly_max_bytes_is_accepted(self, tmp_path: Path) -> None:
        path = write(tmp_path, b"0123456789")
        assert read_text(path, max_bytes=10) == "0123456789"

    def test_options_are_keyword_only(self, tmp_path: Path) -> None:
        path = write(tmp_path, b"text")
        with pytest.raises(TypeError):
            read_text(path, "utf-8")  # type: ignore[misc]


class TestMissingAndNotFiles:
    def test_missing_file(self, tmp_path: Path) -> None:
        path = tmp_path / "nope.txt"
        with pytest.raises(InputNotFoundError) as info:
            read_text(path)
        assert_names(info.value, path)
        assert info.value.problem == "no such file"
        assert isinstance(info.value, FileNotFoundError)

    def test_directory(self, tmp_path: Path) -> None:
        with pytest.raises(NotAFileError, match="is a directory") as info:
            read_text(tmp_path)
        assert_names(info.value, tmp_path)
        assert isinstance(info.value, IsADirectoryError)

    def test_path_below_a_file(self, tmp_path: Path) -> None:
        path = write(tmp_path, b"text") / "child.txt"
        with pytest.raises(NotAFileError, match="cannot access") as info:
            read_text(path)
        assert_names(info.value, path)

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX named pipes")
    def test_named_pipe_is_not_a_regular_file(self, tmp_path: Path) -> None:
        path = tmp_path / "pipe"
        os.mkfifo(path)
        with pytest.raises(NotAFileError, match="is not a regular file"):
            read_text(path)

    def test_broken_symlink_is_missing(self, tmp_path: Path) -> None:
        link = tmp_path / "link.txt"
        link.symlink_to(tmp_path / "gone.txt")
        with pytest.raises(InputNotFoundError, match="no such file"):
            read_text(link)


class TestEmpty:
    def test_empty_file(self, tmp_path: Path) -> None:
        path = write(tmp_path, b"")
        with pytest.raises(EmptyInputError) as info:
            read_text(path)
        assert str(info.value) == f"{path}: file is empty"

    @pytest.mark.parametrize("data", [b" ", b"\n\n\r\n\t  ", "\u00a0\u3000\n".encode()])
    def test_white_space_only(self, tmp_path: Path, data: bytes) -> None:
        path = write(tmp_path, data)
        with pytest.raises(EmptyInputError, match="only white space") as info:
            read_text(path)
        assert_names(info.value, path)

    def test_bom_only(self, tmp_path: Path) -> None:
        with pytest.raises(EmptyInputError, match="only white space"):
            read_text(write(tmp_path, codecs.BOM_UTF8 + b"  \n"))


class TestBinary:
    def test_nul_bytes(self, tmp_path: Path) -> None:
        path = write(tmp_path, b"looks like text\x00\x00 but is not")
        with pytest.raises(BinaryInputError, match="NUL bytes") as info:
            read_text(path)
        assert_names(info.value, path)

    def test_utf16_without_bom_is_refused_as_binary(self, tmp_path: Path) -> None:
        with pytest.raises(BinaryInputError, match="NUL"):
            read_text(write(tmp_path, "plain text".encode("utf-16-le")))

    def test_png(self, tmp_path: Path) -> None:
        data = b"\x89PNG\r\n\x1a\n" + b"IHDR" + b"abc" * 10
        with pytest.raises(BinaryInputError, match="a PNG image") as info:
            read_text(write(tmp_path, data, "img.txt"))
        assert info.value.problem == "binary data (a PNG image), not text"

    def test_gzip(self, tmp_path: Path) -> None:
        data = gzip.compress(TEXT.encode("utf-8"))
        with pytest.raises(BinaryInputError, match="gzip-compressed data"):
            read_text(write(tmp_path, data, "doc.txt.gz"))

    @pytest.mark.parametrize(
        ("magic", "what"),
        [
            (b"%PDF-1.7\n", "a PDF file"),
            (b"PK\x03\x04", "a ZIP archive"),
            (b"\x7fELF\x02", "an executable"),
            (b"\xff\xd8\xff\xe0", "a JPEG image"),
        ],
    )
    def test_other_magic_numbers(self, tmp_path: Path, magic: bytes, what: str) -> None:
        with pytest.raises(BinaryInputError, match=re.escape(what)):
            read_text(write(tmp_path, magic + b"rest of the file"))

    def test_many_control_bytes(self, tmp_path: Path) -> None:
        data = bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 4 + b"some text"
        with pytest.raises(BinaryInputError, match="control bytes"):
            read_text(write(tmp_path, data))

    def test_a_few_control_bytes_are_tolerated(self, tmp_path: Path) -> None:
        data = b"x" * 1000 + b"\x01\x02\x03"
        assert read_text(write(tmp_path, data)) == data.decode()

    def test_explicit_encoding_skips_sniffing(self, tmp_path: Path) -> None:
        assert read_text(write(tmp_path, b"%PDF is just text here"), encoding="ascii") == (
            "%PDF is just text here"
        )


class TestDecodeErrors:
    def test_invalid_utf8_reports_byte_and_offset(self, tmp_path: Path) -> None:
        data = "caf\u00e9 au lait".encode("latin-1")  # 0xe9 at offset 3
        path = write(tmp_path, data)
        with pytest.raises(InputDecodeError) as info:
            read_text(path)
        message = str(info.value)
        assert message.startswith(f"{path}: not valid utf-8 text")
        assert "byte 0xe9 at offset 3" in message
        assert "latin-1" in message  # the hint
        assert isinstance(info.value, UnicodeError)

    def test_offset_is_of_the_first_bad_byte(self, tmp_path: Path) -> None:
        data = ("\u00e9" * 50).encode("utf-8") + b" ok \xff tail"
        with pytest.raises(InputDecodeError, match=r"byte 0xff at offset 104\b"):
            read_text(write(tmp_path, data))

    def test_truncated_utf8_sequence_at_end(self, tmp_path: Path) -> None:
        data = b"ends badly \xe2\x80"
        with pytest.raises(InputDecodeError, match=r"byte 0xe2 at offset 11\b"):
            read_text(write(tmp_path, data))

    def test_explicit_encoding_that_does_not_fit(self, tmp_path: Path) -> None:
        expected = r"not valid ascii text \(byte 0xc3 at offset 3\)"
        with pytest.raises(InputDecodeError, match=expected):
            read_text(write(tmp_path, "caf\u00e9".encode()), encoding="ascii")

    def test_unknown_encoding(self, tmp_path: Path) -> None:
        path = write(tmp_path, b"text")
        with pytest.raises(InputDecodeError, match=r"unknown encoding 'klingon-8'") as info:
            read_text(path, encoding="klingon-8")
        assert_names(info.value, path)

    def test_odd_length_utf16(self, tmp_path: Path) -> None:
        data = codecs.BOM_UTF16_LE + "text".encode("utf-16-le") + b"\x00"
        with pytest.raises(InputDecodeError, match="not valid utf-16"):
            read_text(write(tmp_path, data))


class TestSizeLimit:
    def test_too_large(self, tmp_path: Path) -> None:
        path = write(tmp_path, b"x" * 2000)
        with pytest.raises(InputTooLargeError) as info:
            read_text(path, max_bytes=1000)
        assert str(info.value) == f"{path}: file is 2,000 bytes, over the limit of 1,000 bytes"

    def test_limit_checked_before_content(self, tmp_path: Path) -> None:
        # A large binary file is refused for its size without being sniffed.
        path = write(tmp_path, b"\x00" * 100)
        with pytest.raises(InputTooLargeError):
            read_text(path, max_bytes=10)

    def test_default_limit(self) -> None:
        assert DEFAULT_MAX_BYTES == 64 * 1024 * 1024

    @pytest.mark.parametrize("max_bytes", [0, -5, 1.5, "100", None, True])
    def test_max_bytes_validation(self, tmp_path: Path, max_bytes: object) -> None:
        path = write(tmp_path, b"text")
        with pytest.raises(InvalidParameterError) as info:
            read_text(path, max_bytes=max_bytes)  # type: ignore[arg-type]
        assert str(info.value) == f"max_bytes must be an integer in [1, inf], got {max_bytes!r}"

    def test_max_bytes_validated_before_the_path(self, tmp_path: Path) -> None:
        with pytest.raises(InvalidParameterError, match="max_bytes"):
            read_text(tmp_path / "missing.txt", max_bytes=0)


class TestDecodeText:
    def test_source_in_errors(self) -> None:
        with pytest.raises(EmptyInputError, match=r"^record-7: file is empty$"):
            decode_text(b"", source="record-7")
        with pytest.raises(BinaryInputError, match=r"^https://x\.test/a: binary data"):
            decode_text(b"\x1f\x8b\x08rest", source="https://x.test/a")

    def test_decodes(self) -> None:
        assert decode_text(TEXT.encode(), source="s") == TEXT
        assert decode_text(codecs.BOM_UTF8 + b"hi", source="s") == "hi"
