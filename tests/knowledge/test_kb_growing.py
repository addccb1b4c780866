"""A knowledge base that grew past what its embedding was fitted on still finds a newly added guide
(issue 15: the dense side knew none of the new guide's brand and product words, and rank fusion
dropped the chunks BM25 ranked first)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from knowledge.base import KnowledgeBase
from knowledge.embed import LsaEmbedder
from knowledge.storage import KbPaths, read_manifest
from tests.guides import QUESTIONS, brand_and_product, growing_guide, guidebook_sentences


def _grown(kb: KnowledgeBase, tmp_path: Path, guides: int) -> None:
    rng = random.Random(5)
    folder = tmp_path / "guides"
    folder.mkdir()
    for i in range(guides):
        (folder / f"brand_{i:03d}.md").write_text(growing_guide(i, rng), encoding="utf-8")
    kb.add([folder])


def test_a_new_small_guide_is_found_by_its_own_words(kb: KnowledgeBase, tmp_path: Path) -> None:
    _grown(kb, tmp_path, 40)
    fitted = read_manifest(kb.paths)
    misses = []
    for seed in (101, 202, 303):
        guide = growing_guide(1000 + seed, random.Random(seed), n_sentences=12)
        path = tmp_path / f"new_{seed}.md"
        path.write_text(guide, encoding="utf-8")
        kb.add([path])
        brand, product = brand_and_product(guide)
        for template in QUESTIONS:
            question = template.format(brand=brand, product=product)
            docs = [p.doc for p in kb.search(question, k=5).passages]
            if f"new_{seed}" not in docs:
                misses.append((question, docs))
    after = read_manifest(kb.paths)
    assert fitted is not None and after is not None and after.embedder == fitted.embedder  # not refitted
    assert misses == []


def test_unseen_words_bring_a_query_near_the_chunks_that_use_them(built_home: Path) -> None:
    paths = KbPaths(built_home)
    manifest = read_manifest(paths)
    assert manifest is not None
    model = LsaEmbedder.load(paths.embedders / manifest.embedder)
    fitted = model.components_t.shape[1]
    known = guidebook_sentences()[0]
    chunk_plain, chunk_new = model.embed([known, "霁蔚坊澜翎面霜：" + known])
    query = model.embed_query("霁蔚坊澜翎面霜")
    assert float(query @ chunk_new) > 0.5 > float(query @ chunk_plain)
    # A text of fitted n-grams only has the vector it had before unseen n-grams counted.
    assert np.allclose(chunk_plain[fitted:], 0.0)
    assert float(np.linalg.norm(chunk_plain[:fitted])) == pytest.approx(1.0)
