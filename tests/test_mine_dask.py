"""Mining on a local Dask cluster: target shards, merged top-k, the same pairs as one process."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.mining import knn
from aligner.mining.sentences import MineSettings, mine_vectors
from tests.reliability.support import allow_loopback_only
from tests.test_mine import unit_rows


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:  # the cluster talks over loopback
    allow_loopback_only(monkeypatch)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as local:
        yield local


@pytest.mark.slow
def test_shards_on_a_dask_cluster_give_the_same_pairs(cluster) -> None:
    from aligner.run.dask import DaskExecutor

    rng = np.random.default_rng(6)
    src, tgt = unit_rows(rng, 300, 32), unit_rows(rng, 2 * knn.BLOCK + 100, 32)
    tgt[:200] = src[:200] + 0.3 * tgt[:200]
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    texts_src, texts_tgt = ["x"] * len(src), ["x"] * len(tgt)
    single = mine_vectors(src, tgt, texts_src, texts_tgt, MineSettings())
    with DaskExecutor(scheduler=cluster.scheduler_address) as executor:
        sharded = mine_vectors(src, tgt, texts_src, texts_tgt, MineSettings(), executor)
    assert {(i, i) for i in range(200)} <= set(
        zip(single.src.tolist(), single.tgt.tolist(), strict=True)
    )
    for one, other in ((single.src, sharded.src), (single.tgt, sharded.tgt)):
        assert np.array_equal(one, other)
    assert np.array_equal(single.score, sharded.score)
