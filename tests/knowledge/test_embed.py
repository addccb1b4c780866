"""The query-side hasher of the local embedding is scikit-learn's FeatureHasher, bit for bit."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.feature_extraction import FeatureHasher

from knowledge.embed import OOV_DIMS, char_ngrams, hashed_features
from tests.guides import guidebook_sections


def _weights(text: str, keep: int) -> dict[str, float]:
    """Every ``keep``-th n-gram of ``text`` as an unseen one, weighted as ``LsaEmbedder._parts`` weighs it."""
    grams: dict[str, float] = {}
    for i, gram in enumerate(char_ngrams(text)):
        if i % keep == 0:
            grams[gram] = grams.get(gram, 0.0) + 1.0
    return {g: (1.0 + math.log(n)) * 7.3 for g, n in grams.items()}


def _sklearn(rows: list[dict[str, float]], dims: int) -> np.ndarray:
    hasher = FeatureHasher(dims, input_type="dict", alternate_sign=True, dtype=np.float32)
    return hasher.transform(rows).toarray()


@pytest.mark.parametrize("dims", [OOV_DIMS, 7, 1 << 20])
def test_hashed_features_equal_feature_hasher_on_the_guidebooks(dims: int) -> None:
    # Short rows (a question's few unseen n-grams) and long ones (hundreds, many sharing a bucket), in
    # Chinese, English and mixed text, so collisions are summed in the same order as scikit-learn's.
    texts = [text for _, text in guidebook_sections()]
    rows = [_weights(text, keep) for text in texts for keep in (1, 5)]
    rows += [_weights(q, 1) for q in ("活动预算一般包括哪些费用?", "how early should a warm-up start", "")]
    rows.append({"zero": 0.0, "正": 1.5, "负": -2.25})
    ours, theirs = hashed_features(rows, dims).toarray(), _sklearn(rows, dims)
    assert ours.dtype == theirs.dtype == np.float32
    assert ours.tobytes() == theirs.tobytes()
