"""Loaders of the real labelled sets in ``../shared/corpora``: one loader per set.

Used by ``bench_real.py`` and meant for calibration scripts: every loader returns a
:class:`RealSet` (documents, labelled pairs with their groups, the label of any other
pair of the set's documents) or ``None`` when the set's folder is absent. The label
semantics follow ``../shared/corpora/README.md`` and the shared evaluation scripts in
``../shared/eval/`` (their filters and pair definitions are reproduced exactly, so
figures computed from these sets agree with theirs).

Sets
----
* ``seeds``: the two real spam pages, one spun pair (plus the injected phrases).
* ``mpc-dev``: SpinBot paragraph pairs whose original has >= 20 words (``\\w+``);
  negatives: original ``i`` against spun ``j != i`` of the same article.
* ``pan11-pairs``: PAN-PC-11 passage pairs, label 1 (obfuscation ``low``) or 0
  (random pair, obfuscation ``none``); identical texts are one document; pairs the
  set does not list are of unknown truth.
* ``pan13``: the 500 labelled verbatim-reuse (susp, src) pairs; every other pair is
  unlabelled (``pairs_all`` is not exhaustive: unlisted pairs share real text), so
  pan13 measures recall, and is the background the other sets are hidden in.
* ``indo-pan-dev``: (suspicious, source) pairs holding a plagiarism case, grouped by
  case type (``artificial`` with its obfuscation, ``simulated``); every other
  (suspicious, source) pair is a negative, grouped by whether the suspicious document
  has cases at all.
* ``wiki-versions-dev``: revisions of one page are copies, grouped by word 5-gram
  Jaccard band (``J>=0.3``, ``0.1-0.3``; same-page pairs under 0.1 are unlabelled);
  negatives: samples of different pages (random, and of one series such as
  "Demographics of ...").
* ``textreuse``: the four natural-reuse pairs of the README; every other pair of
  its eleven documents is a negative.
* ``generated``: our own spinner's sets, committed in ``corpora/`` (pairwise:
  ``spun-pairs-small``; crawl: ``crawl-1k``), kept apart from the real ones.

Document ids are relative paths ending in ``.txt``: the crawl benchmarks write (or
link) each document under its id, so that ``spindetect scan`` reports the same ids.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import random
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: The shared corpora (``SPINDETECT_CORPORA`` overrides ``../shared/corpora``).
CORPORA = Path(os.environ.get("SPINDETECT_CORPORA", REPO.parent / "shared" / "corpora"))
#: Real sets in the order they are reported.
REAL_SETS = (
    "seeds",
    "mpc-dev",
    "pan11-pairs",
    "pan13",
    "indo-pan-dev",
    "wiki-versions-dev",
    "textreuse",
)
ALL_SETS = (*REAL_SETS, "generated")
WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Pair:
    """One labelled pair of documents of a set.

    ``label`` is True for a copy, False for a non-copy and None for a pair that is
    reported (its flagged share) but not scored (its truth is unknown). ``groups``
    are the breakdowns it counts under (obfuscation type, band, category).
    """

    a: str
    b: str
    label: bool | None
    groups: tuple[str, ...]


@dataclass
class RealSet:
    """A labelled set: documents, labelled pairs, and the label of any other pair.

    Attributes
    ----------
    name : str
        The set's folder name.
    docs : dict
        Document id -> its file (read with ``errors="replace"``, as the shared
        evaluation scripts do) or its text.
    pairs : list of Pair
        The pairs scored at crawl scale (recall over positives, reported share of the
        negatives and of the unlabelled ones).
    pairwise : list of Pair
        The pairs ``compare`` is run on (all of ``pairs`` or a seeded sample).
    truth : callable
        ``truth(a, b)`` for any two documents of the set: True (a copy), False (not a
        copy) or None (unknown: not counted in precision).
    crawl_ids : frozenset or None
        The documents put in the crawl (None: all of ``docs``).
    found_by_cluster : bool
        At crawl scale a positive is found when reported as a pair *or* when both
        documents sit in one family (False: a pair record only, as ``indo_scan.py``).
    whole_only_precision : bool
        Crawl precision over whole-copy pairs only (a ``partial`` verdict between two
        non-copies is real shared text, as ``wiki_versions_scan.py``).
    notes : str
        One line for the README.
    extra : dict
        Set-specific labels (the seed pages' injected phrases).
    """

    name: str
    docs: dict[str, Path | str]
    pairs: list[Pair]
    pairwise: list[Pair]
    truth: Callable[[str, str], bool | None]
    crawl_ids: frozenset[str] | None = None
    found_by_cluster: bool = True
    whole_only_precision: bool = False
    notes: str = ""
    extra: dict = field(default_factory=dict)

    def text(self, doc_id: str) -> str:
        """Return the text of document ``doc_id``."""
        doc = self.docs[doc_id]
        if isinstance(doc, Path):
            return doc.read_text(encoding="utf-8", errors="replace")
        return doc

    def crawl_docs(self) -> list[str]:
        """Ids of the documents of the crawl, sorted."""
        ids = self.docs if self.crawl_ids is None else self.crawl_ids
        return sorted(ids)


def words(text: str) -> int:
    """Count the ``\\w+`` words of ``text`` (the shared evaluation scripts' word count)."""
    return len(WORD.findall(text))


def sample(items: list, k: int | None, seed: int) -> list:
    """Return a seeded sample of ``k`` items in their original order (all when ``k`` is None)."""
    if k is None or k >= len(items):
        return list(items)
    keep = set(random.Random(seed).sample(range(len(items)), k))
    return [x for i, x in enumerate(items) if i in keep]


def wilson(k: int, n: int, *, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a binomial share ``k / n``.

    With ``p = k / n`` and ``z`` the two-sided normal quantile of ``confidence``::

        centre = (p + z**2 / (2 n)) / (1 + z**2 / n)
        half   = z / (1 + z**2 / n) * sqrt(p (1 - p) / n + z**2 / (4 n**2))

    It stays inside [0, 1] and is not degenerate at ``k = 0`` or ``k = n`` (where the
    normal interval collapses to a point). Computed by
    ``scipy.stats.binomtest(k, n).proportion_ci(method="wilson")``; ``n = 0`` gives
    ``(0.0, 1.0)``.

    References
    ----------
    E. B. Wilson, "Probable inference, the law of succession, and statistical
    inference", JASA 22 (1927); Brown, Cai and DasGupta, Statistical Science 16 (2001).
    """
    if not 0 <= k <= n:
        msg = f"k must be in [0, n], got k={k!r}, n={n!r}"
        raise ValueError(msg)
    if n == 0:
        return 0.0, 1.0
    from scipy.stats import binomtest

    ci = binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


def proportion(k: int, n: int) -> dict:
    """``{"k", "n", "rate", "ci95"}`` of a share: rate ``k / n`` (None when ``n = 0``)."""
    lo, hi = wilson(int(k), int(n))
    return {
        "k": int(k),
        "n": int(n),
        "rate": k / n if n else None,
        "ci95": [round(lo, 4), round(hi, 4)],
    }


def _key(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def _truth_from(
    pairs: Iterable[Pair], *, default: bool | None
) -> Callable[[str, str], bool | None]:
    labels = {_key(p.a, p.b): p.label for p in pairs}

    def truth(a: str, b: str) -> bool | None:
        return labels.get(_key(a, b), default)

    return truth


# --------------------------------------------------------------------------- loaders
def load_seeds(root: Path = CORPORA) -> RealSet | None:
    """Load the two seed spam pages: one spun pair under two unrelated titles.

    ``extra["inserted"]`` holds the keyword phrase injected into each page (a: the
    first file, b: the second), the labels the project's seed tests check.
    """
    d = root / "seeds"
    files = sorted(d.glob("*.txt")) if d.is_dir() else []
    if len(files) < 2:
        return None
    a, b = (f.name for f in files[:2])
    pos = [Pair(a, b, True, ("spun pages",))]
    return RealSet(
        "seeds",
        {f.name: f for f in files[:2]},
        pos,
        pos,
        _truth_from(pos, default=False),
        notes="the project's defining example: one article spun twice, each under an "
        "unrelated title with an injected keyword phrase",
        extra={
            "inserted": {"a": "mental health hotlines", "b": "outpatient mental health treatment"}
        },
    )


def load_mpc(root: Path = CORPORA, *, min_words: int = 20) -> RealSet | None:
    """Real SpinBot paragraph pairs (rows whose original has >= ``min_words`` words).

    Documents ``o_k.txt`` (original) and ``s_k.txt`` (spun, raw: mojibake kept) as in
    ``mpc_in_pan13_scan.py``; negatives are (``o_i``, ``s_j``), ``i != j``, of one
    article (``pairs_compare.py mpc``). Any other pair of the set is a non-copy.
    """
    path = root / "mpc-dev" / "paragraph_pairs.jsonl"
    if not path.exists():
        return None
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    rows = [r for r in rows if words(r["original"]) >= min_words]
    docs: dict[str, Path | str] = {}
    for k, r in enumerate(rows):
        docs[f"o_{k:03d}.txt"] = r["original"]
        docs[f"s_{k:03d}.txt"] = r["spun"]
    pairs = [Pair(f"o_{k:03d}.txt", f"s_{k:03d}.txt", True, ("SpinBot",)) for k in range(len(rows))]
    pairs += [
        Pair(f"o_{i:03d}.txt", f"s_{j:03d}.txt", False, ("same-article",))
        for i, j in itertools.permutations(range(len(rows)), 2)
        if rows[i]["article"] == rows[j]["article"]
    ]
    return RealSet(
        "mpc-dev",
        docs,
        pairs,
        pairs,
        _truth_from(pairs, default=False),
        notes=f"{len(rows)} SpinBot pairs of >= {min_words} words (raw text); "
        "negatives: other paragraphs of the same article",
    )


def load_pan11(root: Path = CORPORA) -> RealSet | None:
    """PAN-PC-11 passage pairs: label 1 (``low`` obfuscation) and 0 (random pair).

    Identical texts are one document (``t_NNNN.txt``); two documents linked through
    positive pairs (two plagiarised passages of one source) are copies too; any other
    pair the set does not list is of unknown truth (not counted in precision): two
    obfuscations of one source passage whose source texts differ by a few words are
    not linked, yet share much of their text (61 of the 455 pairs a default scan
    reported at ``b5a5838`` were such unlisted pairs, at word 5-gram Jaccard up to 0.5).
    """
    path = root / "pan11-pairs" / "val_pairs.json"
    if not path.exists():
        return None
    rows = json.loads(path.read_text(encoding="utf-8"))
    ids: dict[str, str] = {}
    for r in rows:
        for t in (r["text1"], r["text2"]):
            ids.setdefault(t, f"t_{len(ids):04d}.txt")
    docs: dict[str, Path | str] = {v: k for k, v in ids.items()}
    pairs = [
        Pair(ids[r["text1"]], ids[r["text2"]], int(r["label"]) == 1, (str(r["obfuscation"]),))
        for r in rows
    ]
    parent = {d: d for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        if p.label:
            parent[find(p.a)] = find(p.b)
    labels = {_key(p.a, p.b): p.label for p in pairs}

    def truth(a: str, b: str) -> bool | None:
        got = labels.get(_key(a, b))
        if got is not None:
            return got
        return True if find(a) == find(b) else None

    return RealSet(
        "pan11-pairs",
        docs,
        pairs,
        pairs,
        truth,
        notes="407 plagiarised passages with their sources (algorithmic 'low' "
        "obfuscation), 407 random pairs",
    )


def load_pan13(
    root: Path = CORPORA,
    *,
    negatives: int | None = 200,
    unlabelled: int | None = 100,
    positives: int | None = None,
    seed: int = 0,
) -> RealSet | None:
    """PAN 2013 text alignment: the 500 labelled verbatim-reuse (susp, src) pairs.

    The set labels copies only. The other pairs of ``pairs_all`` (other categories)
    are unlabelled, and so is every pair it does not list: this excerpt's
    ``pairs_all`` is not exhaustive (at ``b5a5838`` a default scan reported 1,220
    unlisted (susp, src) pairs; in a sample of 12 every one shared 15-148 word
    8-grams of real content, i.e. real reuse), so crawl precision on pan13 alone is
    not measurable and pan13 counts only for recall and as the background of the
    other sets. ``negatives`` random unlisted (susp, src) pairs are reported (their
    flagged share) as the group ``random pair, not in pairs_all``, not scored.
    ``pairwise`` samples ``positives`` (all when None) of the labelled pairs and
    ``unlabelled`` of the other listed ones.
    """
    d = root / "pan13"
    if not (d / "susp").is_dir() or not (d / "src").is_dir():
        return None
    docs: dict[str, Path | str] = {}
    for sub in ("susp", "src"):
        for f in sorted((d / sub).glob("*.txt")):
            docs[f"{sub}/{f.name}"] = f

    def read(path: Path) -> list[tuple[str, str]]:
        return [
            (f"susp/{a}", f"src/{b}")
            for a, b in (line.split() for line in path.read_text().splitlines() if line.strip())
        ]

    labelled = read(d / "02-no-obfuscation" / "pairs")
    listed = read(d / "pairs_all") if (d / "pairs_all").exists() else labelled
    lab = set(labelled)
    pos = [Pair(a, b, True, ("02-no-obfuscation",)) for a, b in labelled]
    unl = [Pair(a, b, None, ("pairs_all, unlabelled",)) for a, b in listed if (a, b) not in lab]
    listed_set = set(listed)
    susp = sorted(k for k in docs if k.startswith("susp/"))
    src = sorted(k for k in docs if k.startswith("src/"))
    rng = random.Random(seed)
    neg: list[Pair] = []
    seen: set[tuple[str, str]] = set()
    while len(neg) < (negatives or 0):
        q = (rng.choice(susp), rng.choice(src))
        if q not in listed_set and q not in seen:
            seen.add(q)
            neg.append(Pair(*q, None, ("random pair, not in pairs_all",)))
    pairs = pos + unl + neg

    def truth(a: str, b: str) -> bool | None:
        s, o = (a, b) if a.startswith("susp/") else (b, a)
        return True if (s, o) in lab else None

    pairwise = sample(pos, positives, seed) + sample(unl, unlabelled, seed + 1) + neg
    return RealSet(
        "pan13",
        docs,
        pairs,
        pairwise,
        truth,
        notes="500 labelled verbatim-reuse (suspicious, source) web-document "
        "pairs; copies only (pairs_all is not exhaustive: unlisted pairs share real "
        "text), so recall only, and the background of the other sets",
    )


def load_indo(
    root: Path = CORPORA, *, pairwise_negatives: int | None = None, seed: int = 0
) -> RealSet | None:
    """Indonesian PAN-format corpus: (suspicious, source) pairs holding a case.

    As ``indo_scan.py``: a pair counts under each case type it holds (``simulated``,
    ``artificial``; ``none`` when untyped), plus ``artificial/<obfuscation>`` and
    ``simulated-only`` (every case of the pair human-rewritten). Every other
    (suspicious, source) pair is a negative; other pairs are unknown. ``pairwise``
    holds every positive and ``pairwise_negatives`` of the negatives (all when None;
    the documents are long, so ``compare`` of all 456 negatives takes minutes).
    """
    d = root / "indo-pan-dev"
    sd, od = d / "suspicious-documents", d / "source-documents"
    if not sd.is_dir() or not od.is_dir():
        return None
    docs: dict[str, Path | str] = {}
    for sub in (od, sd):
        for f in sorted(sub.glob("*.txt")):
            docs[f"{sub.name}/{f.name}"] = f
    cases: dict[tuple[str, str], set[str]] = defaultdict(set)
    with_cases: set[str] = set()
    for x in sorted(sd.glob("*.xml")):
        s = f"{sd.name}/{x.stem}.txt"
        for feat in ET.parse(x).getroot():
            if feat.get("name") == "plagiarism":
                t = feat.get("type") or "none"
                o = f"{od.name}/{feat.get('source_reference')}"
                cases[(s, o)].add(t)
                if t == "artificial":
                    cases[(s, o)].add(f"artificial/{feat.get('obfuscation') or 'none'}")
                with_cases.add(s)
    pairs: list[Pair] = []
    for (s, o), types in sorted(cases.items()):
        kinds = {t for t in types if "/" not in t}
        extra = ("simulated-only",) if kinds == {"simulated"} else ()
        pairs.append(Pair(s, o, True, (*sorted(types), *extra)))
    susp = sorted(k for k in docs if k.startswith(sd.name + "/"))
    src = sorted(k for k in docs if k.startswith(od.name + "/"))
    for s in susp:
        grp = (
            "no case (suspicious doc has cases)"
            if s in with_cases
            else "suspicious doc without cases"
        )
        pairs += [Pair(s, o, False, (grp,)) for o in src if (s, o) not in cases]

    def truth(a: str, b: str) -> bool | None:
        s, o = (a, b) if a.startswith(sd.name + "/") else (b, a)
        if not (s.startswith(sd.name + "/") and o.startswith(od.name + "/")):
            return None
        return (s, o) in cases

    pairwise = [p for p in pairs if p.label] + sample(
        [p for p in pairs if not p.label], pairwise_negatives, seed
    )
    return RealSet(
        "indo-pan-dev",
        docs,
        pairs,
        pairwise,
        truth,
        found_by_cluster=False,
        notes="Indonesian (no English function words, no WordNet); a pair is "
        "found only as a pair record (as indo_scan.py)",
    )


def _five_grams(text: str) -> set[str]:
    w = WORD.findall(text.lower())
    return {" ".join(w[i : i + 5]) for i in range(len(w) - 4)}


def load_wiki(
    root: Path = CORPORA, *, per_band: int | None = 150, negatives: int | None = 150, seed: int = 0
) -> RealSet | None:
    """Wikipedia revision histories: revisions of one page are one family.

    Same-page pairs are grouped by word 5-gram Jaccard (``wiki_versions_scan.py``'s
    definition): ``J>=0.3``, ``0.1-0.3``; under 0.1 they are unlabelled. Negatives
    (``negatives`` of each kind, seeded): pages of one series (same first word, as
    "Demographics of India" / "Demographics of Iraq") and random different pages.
    ``pairwise`` holds ``per_band`` pairs of each band (and of the unlabelled ones).
    """
    d = root / "wiki-versions-dev"
    if not d.is_dir():
        return None
    docs: dict[str, Path | str] = {}
    by_page: dict[str, list[str]] = defaultdict(list)
    for page in sorted(p for p in d.iterdir() if p.is_dir()):
        for f in sorted(page.iterdir()):
            if f.is_file():
                key = f"{page.name}/{f.name}"
                docs[key] = f
                by_page[page.name].append(key)
    if not docs:
        return None
    grams = {
        k: _five_grams(f.read_text(errors="replace"))
        for k, f in docs.items()
        if isinstance(f, Path)
    }
    pos: dict[str, list[Pair]] = {"J>=0.3": [], "0.1-0.3": [], "J<0.1": []}
    for ks in by_page.values():
        for x, y in itertools.combinations(ks, 2):
            sx, sy = grams[x], grams[y]
            j = len(sx & sy) / max(1, len(sx | sy))
            band = "J>=0.3" if j >= 0.3 else "0.1-0.3" if j >= 0.1 else "J<0.1"
            pos[band].append(
                Pair(
                    x,
                    y,
                    None if band == "J<0.1" else True,
                    (band if band != "J<0.1" else "same page, J<0.1",),
                )
            )
    rng = random.Random(seed)
    pages = sorted(by_page)
    series: dict[str, list[str]] = defaultdict(list)
    for p in pages:
        series[p.split()[0].removeprefix("Talk:")].append(p)
    series_pairs = [(x, y) for ps in series.values() for x, y in itertools.combinations(ps, 2)]
    neg: list[Pair] = []
    seen: set[frozenset[str]] = set()

    def add(px: str, py: str, grp: str) -> None:
        x, y = rng.choice(by_page[px]), rng.choice(by_page[py])
        if _key(x, y) not in seen:
            seen.add(_key(x, y))
            neg.append(Pair(x, y, False, (grp,)))

    for _ in range(negatives or 0):
        add(*rng.choice(series_pairs), "different page, same series")
    for _ in range(negatives or 0):
        px, py = rng.sample(pages, 2)
        add(px, py, "different page, random")
    pairs = pos["J>=0.3"] + pos["0.1-0.3"] + pos["J<0.1"] + neg
    pairwise = [p for band, ps in pos.items() for p in sample(ps, per_band, seed)] + neg

    def page(k: str) -> str:
        return k.split("/")[0]

    def truth(a: str, b: str) -> bool | None:
        return page(a) == page(b)

    return RealSet(
        "wiki-versions-dev",
        docs,
        pairs,
        pairwise,
        truth,
        whole_only_precision=True,
        notes="real edits, light to heavy; crawl precision over whole-copy "
        "(non-partial) pairs, as wiki_versions_scan.py",
    )


#: The natural reuse pairs of textreuse/ (its README).
TEXTREUSE_PAIRS = (
    ("ats/remember00palm.txt", "ats/remembermeorholy00palm.txt"),
    ("ats/practicalthought00nev.txt", "ats/thoughtsonpopery00nevi.txt"),
    ("ats/calltounconv00baxt.txt", "ats/lifeofrevrichard00baxt.txt"),
    ("legal/ca1851-match.txt", "legal/ny1850-match.txt"),
)


def load_textreuse(root: Path = CORPORA, *, max_pair_words: int | None = 100_000) -> RealSet | None:
    """OCR'd tracts and legal codes: the four natural-reuse pairs; every other pair is not.

    ``pairwise`` holds the positives and the negatives whose two documents have at
    most ``max_pair_words`` words together (``compare`` of two 130k-word books takes
    ~10 s; None: every pair).
    """
    d = root / "textreuse"
    if not d.is_dir():
        return None
    docs: dict[str, Path | str] = {}
    for sub in sorted(p for p in d.iterdir() if p.is_dir()):
        for f in sorted(sub.glob("*.txt")):
            docs[f"{sub.name}/{f.name}"] = f
    pos_keys = {_key(a, b) for a, b in TEXTREUSE_PAIRS if a in docs and b in docs}
    pairs: list[Pair] = []
    for a, b in itertools.combinations(sorted(docs), 2):
        coll = a.split("/")[0]
        if _key(a, b) in pos_keys:
            pairs.append(Pair(a, b, True, (coll,)))
        else:
            grp = "same collection" if coll == b.split("/")[0] else "other collection"
            pairs.append(Pair(a, b, False, (grp,)))
    size = (
        {
            k: words(docs[k].read_text(errors="replace"))
            for k in docs  # type: ignore[union-attr]
        }
        if max_pair_words is not None
        else {}
    )
    pairwise = [
        p
        for p in pairs
        if p.label or max_pair_words is None or size[p.a] + size[p.b] <= max_pair_words
    ]
    return RealSet(
        "textreuse",
        docs,
        pairs,
        pairwise,
        _truth_from(pairs, default=False),
        notes="long OCR'd books (11k-138k words) and legal codes; pairwise: "
        f"negatives up to {max_pair_words} words per pair",
    )


def load_generated(
    repo: Path = REPO, *, pairwise: int | None = None, seed: int = 0
) -> RealSet | None:
    """Our own spinner's committed sets: ``corpora/spun-pairs-small`` and ``corpora/crawl-1k``.

    Pairwise: the 200 spun pairs (groups ``p=rate``) and the 100 same-topic negatives
    of ``spun-pairs-small``. Crawl: ``crawl-1k``, its spun and near-duplicate pairs
    (groups by kind) against every other pair (non-copies).
    """
    sp = repo / "corpora" / "spun-pairs-small" / "pairs.jsonl.gz"
    cr = repo / "corpora" / "crawl-1k"
    if not sp.exists() or not (cr / "docs.jsonl.gz").exists():
        return None
    docs: dict[str, Path | str] = {}
    pw: list[Pair] = []
    with gzip.open(sp, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            a, b = f"pairs/{r['id']}-a.txt", f"pairs/{r['id']}-b.txt"
            docs[a], docs[b] = r["a"], r["b"]
            spun = r["label"] == "spun"
            pw.append(Pair(a, b, spun, (f"p={r['rate']}" if spun else "same-topic",)))
    crawl: list[str] = []
    with gzip.open(cr / "docs.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            docs[f"crawl/{r['id']}.txt"] = r["text"]
            crawl.append(f"crawl/{r['id']}.txt")
    pairs: list[Pair] = []
    with gzip.open(cr / "pairs.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            pairs.append(Pair(f"crawl/{r['a']}.txt", f"crawl/{r['b']}.txt", True, (r["kind"],)))
    labels = {_key(p.a, p.b) for p in pairs}

    def truth(a: str, b: str) -> bool | None:
        if a.startswith("crawl/") and b.startswith("crawl/"):
            return _key(a, b) in labels
        return None

    return RealSet(
        "generated",
        docs,
        pairs,
        sample(pw, pairwise, seed),
        truth,
        crawl_ids=frozenset(crawl),
        notes="generated (our own spinner): spun-pairs-small pairwise, crawl-1k at crawl scale",
    )


LOADERS: dict[str, Callable[..., RealSet | None]] = {
    "seeds": load_seeds,
    "mpc-dev": load_mpc,
    "pan11-pairs": load_pan11,
    "pan13": load_pan13,
    "indo-pan-dev": load_indo,
    "wiki-versions-dev": load_wiki,
    "textreuse": load_textreuse,
    "generated": load_generated,
}


def load(name: str, **kwargs: object) -> RealSet | None:
    """Load set ``name`` (one of :data:`ALL_SETS`), or None when its folder is absent."""
    return LOADERS[name](**kwargs)
