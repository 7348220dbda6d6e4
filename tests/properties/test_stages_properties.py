"""Property tests of spindetect.stages.cluster against a brute-force connected-components oracle."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.crawl.stages import cluster


def components_oracle(n: int, pairs: list[tuple[int, int]]) -> list[int]:
    """Label of each node = smallest node reachable from it (depth-first search)."""
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    labels = [-1] * n
    for start in range(n):  # increasing order: the first node met is the smallest
        if labels[start] != -1:
            continue
        stack = [start]
        labels[start] = start
        while stack:
            node = stack.pop()
            for other in neighbours[node]:
                if labels[other] == -1:
                    labels[other] = start
                    stack.append(other)
    return labels


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]]]:
    n = draw(st.integers(min_value=1, max_value=60))
    node = st.integers(min_value=0, max_value=n - 1)
    pairs = draw(st.lists(st.tuples(node, node), max_size=3 * n))
    return n, pairs


@settings(max_examples=300, deadline=None)
@given(graphs(), st.randoms(use_true_random=False))
def test_cluster_equals_connected_components(
    graph: tuple[int, list[tuple[int, int]]], rnd: random.Random
) -> None:
    n, pairs = graph
    expected = components_oracle(n, pairs)
    array = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    labels = cluster(n, array)
    assert labels.tolist() == expected
    # Independent of the order of the pairs and of the order inside each pair.
    shuffled = list(pairs)
    rnd.shuffle(shuffled)
    flipped = [(b, a) if rnd.random() < 0.5 else (a, b) for a, b in shuffled]
    assert cluster(n, np.array(flipped, dtype=np.int64).reshape(-1, 2)).tolist() == expected
    # The input is not modified.
    assert array.tolist() == [list(p) for p in pairs]


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_cluster_labels_are_members_and_minimal(graph: tuple[int, list[tuple[int, int]]]) -> None:
    n, pairs = graph
    labels = cluster(n, np.array(pairs, dtype=np.int64).reshape(-1, 2))
    for i, label in enumerate(labels.tolist()):
        assert label <= i
        assert labels[label] == label  # the label is itself a member, labelled by itself
    for a, b in pairs:
        assert labels[a] == labels[b]
