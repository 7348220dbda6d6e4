"""Every way an index file can be damaged ends as one typed error naming the file and the problem.

Each case builds a real index with :class:`SpinIndex`, damages the file the way
a disk, a copy or a hand edit would, and then uses it through the library
(open, query, add) and the command line (``index info``, ``index add``,
``scan --against``): a typed error (:class:`IndexCorruptError` for damage,
:class:`IndexFormatError` for a sound file that cannot be used) and exit 2 with
one line on standard error, never a traceback, never exit 0.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from spindetect.cli.program import main
from spindetect.crawl import index as index_module
from spindetect.crawl.index import SpinIndex
from spindetect.exceptions import IndexCorruptError, IndexFormatError
from spindetect.sources.document import Document

N_DOCS = 12


def _texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    vocab = [f"{a}{b}" for a in ("ka", "lo", "mi", "ne", "pu", "ro", "sa", "ti") for b in range(60)]
    return [" ".join(rng.choice(vocab) for _ in range(220)) + "." for _ in range(n)]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts(N_DOCS, seed=5)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> Path:
    """Build a sound index of ``N_DOCS`` documents, each with links (no WAL left beside it)."""
    path = tmp_path_factory.mktemp("index") / "base.db"
    docs = [
        Document(f"doc{k}", t, url=f"https://site{k}.example/a http://x.example/{k}")
        for k, t in enumerate(texts)
    ]
    with SpinIndex.open(path) as index:
        index.add(docs, batch_size=4, threads=1)
    db = sqlite3.connect(path)
    db.execute("UPDATE docs SET links = json_array('https://elsewhere.example/' || doc)")
    db.commit()
    db.close()
    assert not Path(f"{path}-wal").exists()
    return path


def _sql(*statements: str) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        db = sqlite3.connect(path)
        for statement in statements:
            db.execute(statement)
        db.commit()
        db.close()

    return damage


def _bytes(data: bytes) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        path.write_bytes(data)

    return damage


def _cut(fraction: float, *, whole_pages: bool) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        data = path.read_bytes()
        keep = int(len(data) * fraction)
        if whole_pages:
            page = int.from_bytes(data[16:18], "big")
            keep -= keep % page
        path.write_bytes(data[:keep])

    return damage


def _absurd_num_perm(path: Path) -> None:
    db = sqlite3.connect(path)
    for key in ("params", "config"):
        (value,) = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        db.execute(
            "UPDATE meta SET value = ? WHERE key = ?",
            (value.replace("128", "1000000000"), key),
        )
    db.commit()
    db.close()


def _flip_leaf_page(path: Path) -> None:
    """Scribble over the header of a leaf page of the samples B-tree (a bad sector)."""
    db = sqlite3.connect(path)
    (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'samples'").fetchone()
    (page,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    data = bytearray(path.read_bytes())
    top = data[(root - 1) * page : root * page]
    # An interior root (0x02): its right-most child leaf; else the root is the one leaf.
    leaf = int.from_bytes(top[8:12], "big") if top[0] == 2 else root
    assert data[(leaf - 1) * page] == 10  # an index-B-tree leaf (WITHOUT ROWID table)
    data[(leaf - 1) * page + 1 : (leaf - 1) * page + 8] = b"\xff" * 7
    path.write_bytes(bytes(data))


# name: (damage, what the message says)
DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "not-sqlite": (_bytes(b"<html>not an index at all</html>\n" * 500), "not an SQLite database"),
    "empty": (_bytes(b""), "empty file"),
    "truncated": (_cut(0.5, whole_pages=True), "truncated"),
    "truncated-mid-page": (_cut(0.7, whole_pages=False), "truncated"),
    "no-schema-version": (
        _sql("DELETE FROM meta WHERE key = 'schema_version'"),
        "no 'schema_version' row",
    ),
    "garbled-schema-version": (
        _sql("UPDATE meta SET value = 'one' WHERE key = 'schema_version'"),
        "schema version 'one' is not a number",
    ),
    "missing-table": (_sql("DROP TABLE samples"), "table 'samples' is missing"),
    "missing-column": (_sql("ALTER TABLE docs DROP COLUMN links"), "lacks column 'links'"),
    "short-signature": (
        _sql("UPDATE docs SET sigs = substr(sigs, 1, 40) WHERE id = 'doc3'"),
        'document "doc3": signatures of 40 bytes',
    ),
    "links-not-json": (
        _sql("UPDATE docs SET links = '[\"http://a.example/' WHERE id = 'doc4'"),
        'document "doc4"',
    ),
    "absurd-num-perm": (_absurd_num_perm, "malformed index parameters"),
    "title-not-utf8": (
        _sql("UPDATE docs SET title = CAST(X'C328' AS TEXT) WHERE id = 'doc6'"),
        'document "doc6": its title is not UTF-8',
    ),
    "bad-page": (_flip_leaf_page, "damaged index"),
}


@pytest.fixture(params=sorted(DAMAGE))
def damaged(request: pytest.FixtureRequest, built: Path, tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "crawl.db"
    shutil.copyfile(built, path)
    damage, message = DAMAGE[request.param]
    damage(path)
    return path, message


def test_library_refuses_each_damaged_index(damaged: tuple[Path, str], texts: list[str]) -> None:
    path, message = damaged
    before = path.read_bytes()
    copies = [Document(f"new{k}", t) for k, t in enumerate(texts)]
    with pytest.raises(IndexCorruptError) as err:
        with SpinIndex.open(path, create=False) as index:
            index.query(copies, threads=1)
    assert str(err.value).startswith(f"{path}: ") and message in str(err.value)
    assert "\n" not in str(err.value)
    if before:  # an empty file becomes a new index when creating is allowed
        with pytest.raises(IndexCorruptError, match=r"damaged|not a spindetect"):
            SpinIndex.open(path).close()
    assert path.read_bytes() == before  # refusing never rewrites the file


@pytest.mark.parametrize("kind", ["short-signature", "links-not-json"])
def test_damaged_rows_are_also_found_without_the_open_check(
    kind: str, built: Path, tmp_path: Path, texts: list[str]
) -> None:
    """Without the row check on open (huge index, ``check="none"``), the query finds them."""
    path = tmp_path / "crawl.db"
    shutil.copyfile(built, path)
    damage, message = DAMAGE[kind]
    damage(path)
    copies = [Document(f"new{k}", t) for k, t in enumerate(texts)]
    with SpinIndex.open(path, create=False, check="none") as index:
        with pytest.raises(IndexCorruptError, match=r"doc[34]") as err:
            index.query(copies, threads=1)
        assert message in str(err.value)
        if kind == "short-signature":  # replacing the document reads its old row
            with pytest.raises(IndexCorruptError, match="doc3"):
                index.add([Document("doc3", texts[0] + " changed")], threads=1)
            with pytest.raises(IndexCorruptError, match="doc3"):
                index.remove("doc3")


def test_a_text_that_is_not_utf8_is_found_by_the_query_too(
    built: Path, tmp_path: Path, texts: list[str]
) -> None:
    path = tmp_path / "crawl.db"
    shutil.copyfile(built, path)
    DAMAGE["title-not-utf8"][0](path)
    with SpinIndex.open(path, create=False, check="none") as index:
        with pytest.raises(IndexCorruptError, match="a stored text is not UTF-8"):
            index.query([Document("new6", texts[6])], threads=1)


def test_full_check_counts_orphan_rows(built: Path, tmp_path: Path) -> None:
    path = tmp_path / "crawl.db"
    shutil.copyfile(built, path)
    with SpinIndex.open(path, check="full") as index:
        report = index.check()
    assert report["status"] == "ok" and report["documents"] == N_DOCS
    _sql("DELETE FROM docs WHERE id = 'doc2'")(path)
    with SpinIndex.open(path, check="quick") as index:  # pages and rows fine, rows orphaned
        with pytest.raises(IndexCorruptError, match="point to no document"):
            index.check()
    with pytest.raises(IndexCorruptError, match="point to no document"):
        SpinIndex.open(path, check="full")


def test_another_schema_version_is_a_format_error_not_damage(built: Path, tmp_path: Path) -> None:
    path = tmp_path / "crawl.db"
    shutil.copyfile(built, path)
    _sql("UPDATE meta SET value = '7' WHERE key = 'schema_version'")(path)
    with pytest.raises(IndexFormatError, match="schema version '7'") as err:
        SpinIndex.open(path)
    assert not isinstance(err.value, IndexCorruptError)


@pytest.fixture()
def locked(built: Path, tmp_path: Path) -> Iterator[Path]:
    """Yield an index that another connection holds an exclusive lock on."""
    path = tmp_path / "crawl.db"
    shutil.copyfile(built, path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield path
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_locked_index_waits_then_says_so(locked: Path) -> None:
    with pytest.raises(IndexFormatError, match="locked by another process") as err:
        SpinIndex.open(locked, timeout=0.05)
    assert not isinstance(err.value, IndexCorruptError)
    assert str(err.value).startswith(f"{locked}: ")


def _immutable(path: Path) -> Callable[[], None]:
    """Make ``path`` read-only even for root; return the undo (skip when impossible)."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        return lambda: path.chmod(0o644)
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)], check=False).returncode:
        pytest.skip("root cannot make a file read-only here (no chattr +i)")

    def undo() -> None:
        subprocess.run([chattr, "-i", str(path)], check=True)

    return undo


@pytest.fixture()
def read_only(built: Path, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "crawl.db"
    shutil.copyfile(built, path)
    undo = _immutable(path)
    try:
        yield path
    finally:
        undo()


def test_read_only_index_is_queried_but_not_written(read_only: Path, texts: list[str]) -> None:
    with SpinIndex.open(read_only, create=False) as index:
        result = index.query([Document("new0", texts[0])], threads=1)
        assert result.summary["pairs_indexed"] == 1
        with pytest.raises(IndexFormatError, match="read-only") as err:
            index.add([Document("other", texts[1] + " more words here")], threads=1)
    assert str(err.value).startswith(f"{read_only}: ")
    assert not isinstance(err.value, IndexCorruptError)


# -- the command line ----------------------------------------------------------------


def _jsonl(path: Path, texts: list[str], prefix: str) -> str:
    lines = [json.dumps({"id": f"{prefix}{k}", "text": t}) for k, t in enumerate(texts)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _one_error_line(err: str, path: Path, message: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"spindetect: error: {path}: "), err
    assert message in lines[0], err
    assert "Traceback" not in err


def test_cli_refuses_each_damaged_index(
    damaged: tuple[Path, str],
    texts: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, message = damaged
    new = _jsonl(tmp_path / "new.jsonl", texts[:3], "new")
    more = _jsonl(tmp_path / "more.jsonl", _texts(3, seed=9), "more")
    capsys.readouterr()
    for argv in (
        ["index", "info", "--db", str(path)],
        ["scan", new, "--against", str(path), "--quiet", "-o", str(tmp_path / "out.jsonl")],
    ):
        assert main(argv) == 2, argv
        _one_error_line(capsys.readouterr().err, path, message)
    code = main(["index", "add", more, "--db", str(path), "--quiet", "--threads", "1"])
    out, err = capsys.readouterr()
    if message == "empty file":  # nothing to lose: 'index add' makes a new index in it
        assert code == 0 and "3 added" in out and "3 documents in the index" in out, err
    else:
        assert code == 2
        _one_error_line(err, path, message)
    assert not (tmp_path / "out.jsonl").exists()


def test_cli_locked_and_read_only(
    locked: Path,
    texts: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(index_module, "LOCK_TIMEOUT", 0.05)
    new = _jsonl(tmp_path / "new.jsonl", texts[:2], "new")
    capsys.readouterr()
    assert main(["index", "add", new, "--db", str(locked), "--quiet"]) == 2
    _one_error_line(capsys.readouterr().err, locked, "locked by another process")
    assert main(["scan", new, "--against", str(locked), "--quiet"]) == 2
    _one_error_line(capsys.readouterr().err, locked, "locked by another process")


def test_cli_read_only(
    read_only: Path, texts: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = _jsonl(tmp_path / "new.jsonl", texts[:2], "new")
    other = _jsonl(tmp_path / "other.jsonl", _texts(2, seed=11), "other")
    capsys.readouterr()
    assert main(["scan", new, "--against", str(read_only), "--quiet", "--threads", "1"]) == 1
    assert main(["index", "add", other, "--db", str(read_only), "--quiet"]) == 2
    _one_error_line(capsys.readouterr().err, read_only, "read-only")


def test_interrupted_add_keeps_the_committed_batches(
    texts: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl-C in the third batch: exit 130, two batches kept, the rerun adds only the rest."""
    source = _jsonl(tmp_path / "docs.jsonl", texts, "doc")
    db = tmp_path / "crawl.db"
    real = SpinIndex._add_batch
    calls = [0]

    def add_batch(self: SpinIndex, *args: object) -> None:
        calls[0] += 1
        real(self, *args)  # type: ignore[arg-type]
        if calls[0] == 3:  # rows written, transaction not committed
            raise KeyboardInterrupt

    monkeypatch.setattr(SpinIndex, "_add_batch", add_batch)
    argv = ["index", "add", source, "--db", str(db), "--batch-size", "4", "--quiet"]
    assert main([*argv, "--threads", "1"]) == 130
    assert capsys.readouterr().err.strip() == "spindetect: interrupted"
    with SpinIndex.open(db, check="full") as index:
        assert sorted(index.ids()) == sorted(f"doc{k}" for k in range(8))
    monkeypatch.setattr(SpinIndex, "_add_batch", real)
    assert main([*argv, "--threads", "1"]) == 0
    out = capsys.readouterr().out
    assert f"{N_DOCS - 8} added, 0 updated, 8 unchanged" in out, out


def test_cli_index_check(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "crawl.db"
    shutil.copyfile(built, path)
    capsys.readouterr()
    assert main(["index", "check", "--db", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"{path}: ok: {N_DOCS} documents, ")
    assert main(["index", "check", "--db", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "ok" and report["documents"] == N_DOCS
    # Orphaned rows pass the quick check on open but not 'index check'.
    _sql("DELETE FROM docs WHERE id = 'doc5'")(path)
    assert main(["index", "info", "--db", str(path)]) == 0
    capsys.readouterr()
    assert main(["index", "check", "--db", str(path)]) == 2
    _one_error_line(capsys.readouterr().err, path, "rows point to no document")


FUZZ_TRIALS = 24


def test_random_damage_never_escapes_as_another_error(
    built: Path, tmp_path: Path, texts: list[str]
) -> None:
    """Bit flips and scribbles anywhere in the file: the index works or is refused, typed.

    600 such trials (3 seeds x 200, ``check="none"`` then ``"auto"``, query, add,
    info, ids) measured 0 other exceptions, ~55 % refused; this runs a bounded few.
    """
    data = built.read_bytes()
    rng = random.Random(13)
    queries = [Document(f"new{k}", t) for k, t in enumerate(texts[:3])]
    refused = 0
    for trial in range(FUZZ_TRIALS):
        damaged = bytearray(data)
        for _ in range(rng.choice([1, 4, 32])):
            at = rng.randrange(len(damaged))
            if rng.random() < 0.5:
                damaged[at] ^= 1 << rng.randrange(8)
            else:
                damaged[at : at + 16] = rng.randbytes(16)
        path = tmp_path / f"fuzz{trial}.db"
        path.write_bytes(bytes(damaged))
        try:
            for check in ("none", "auto"):
                with SpinIndex.open(path, create=False, check=check) as index:
                    index.query(queries, threads=1)
                    index.add([Document("doc1", texts[1] + " changed")], threads=1)
                    index.info()
                    list(index.ids())
        except IndexFormatError as exc:
            assert str(exc).startswith(f"{path}: "), exc
            refused += 1
    assert 0 < refused < FUZZ_TRIALS  # some damage is found, some falls where it does no harm
