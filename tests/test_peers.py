"""Published results as package data: estimated ranks, best provinces, uploads and merged provinces."""

from __future__ import annotations

import pytest

from dti.decide import peers
from dti.scoring.engine import score_main_values
from tests.conftest import read_reference_csv


@pytest.fixture(scope="module")
def table():
    return peers.load_published()


def test_package_data_is_the_reference_table(reference_dir):
    shipped = peers.PUBLISHED_FILE.read_bytes()
    assert shipped == (reference_dir / "published" / "dti-province-results.csv").read_bytes()


def test_every_published_fact_keeps_its_source(table):
    assert table.facts and all(f.source_url.startswith("http") for f in table.facts)
    assert table.sources(2022, "Đà Nẵng")


def test_2022_values_are_few_but_ranks_cover_63(table):
    rows = read_reference_csv("published/dti-province-results.csv")
    expected = {r["province"] for r in rows if r["year"] == "2022" and r["measure"] == "dti" and r["rank"]}
    assert set(table.ranks(2022)) == expected
    assert len(expected) >= 59  # nearly the whole ranking of 63 is published, as ranks without values
    assert table.values(2022) == {"Đà Nẵng": 0.8002, "Hồ Chí Minh": 0.7163}


def test_estimated_rank_among_published_values(table):
    est = table.estimate_rank(0.75, 2022)
    assert (est.rank, est.among, est.rank_of) == (2, 3, 63)
    assert (est.above, est.below) == ("Đà Nẵng", "Hồ Chí Minh")
    # Above Hồ Chí Minh (published rank 2) and below Đà Nẵng (rank 1): exactly rank 2 of 63.
    assert (est.full_rank_low, est.full_rank_high) == (2, 2)
    low = table.estimate_rank(0.5, 2022)
    assert (low.rank, low.full_rank_low, low.full_rank_high) == (3, 3, 63)
    assert table.estimate_rank(0.9, 2022).rank == 1


def test_2024_keeps_the_two_rankings_apart(table):
    assert table.rankings(2024) == [63, 34]
    assert table.values(2024, rank_of=63)["Đà Nẵng"] == 0.8335
    assert table.values(2024, rank_of=34)["Đà Nẵng"] == 0.7069
    assert "Quảng Nam" not in table.values(2024, rank_of=34)


def test_value_for_rank_is_the_threshold(table):
    needed = table.value_for_rank(2, 2022)
    assert needed == 0.7163
    assert table.estimate_rank(needed, 2022).rank == 2
    assert table.estimate_rank(needed - 0.0001, 2022).rank == 3


def test_best_province_per_main_index(table):
    assert table.best(2022, "attt") == ("Đà Nẵng", 0.7578)
    assert table.best(2022, "dti") == ("Đà Nẵng", 0.8002)


def test_national_average_is_not_invented(table):
    assert table.national_average(2022) is None


def test_merged_province_is_the_plain_mean(table):
    old_da_nang = peers.published_profile(table, 2024, "Đà Nẵng", rank_of=63)
    quang_nam = peers.published_profile(table, 2024, "Quảng Nam", rank_of=63)
    merged = peers.merge_values([old_da_nang, quang_nam])
    assert round(merged["dti"], 4) == 0.7069
    assert round(merged["dti"], 4) == table.values(2024, rank_of=34)["Đà Nẵng"]


def test_merging_only_keeps_measures_known_for_all():
    merged = peers.merge_values([{"dti": 0.6, "attt": 0.5}, {"dti": 0.8}, {"dti": 0.7, "attt": None}])
    assert merged == {"dti": pytest.approx(0.7)}
    with pytest.raises(ValueError):
        peers.merge_values([{"dti": 0.6}])


def test_merging_assessments_through_main_values(fw2022, table):
    """Merging three assessments by main-index means gives the mean of their DTIs (the DTI is linear)."""
    da_nang = {k: v for k, v in peers.published_profile(table, 2022, "Đà Nẵng").items()}
    hcm = peers.published_profile(table, 2022, "Hồ Chí Minh")
    by_code = {m.published_measure: m.code for m in fw2022.scored_main_indices}
    parts = [{by_code[k]: v for k, v in p.items() if k in by_code} for p in (da_nang, hcm)]
    merged = peers.merge_values(parts)
    dti = score_main_values(fw2022, merged).dti
    singles = [score_main_values(fw2022, p).dti for p in parts]
    assert dti == pytest.approx(sum(singles) / 2)
    # Published main-index values are rounded to 4 decimals, so the recomputed DTI agrees to about 1e-4.
    assert singles == pytest.approx([0.8002, 0.7163], abs=1e-4)


def test_upload_with_national_average_and_fuller_values():
    data = ("year,province,measure,value,rank,rank_of,source_url\n"
            "2022,Cả nước,dti,\"0,6100\",,,https://example.org\n"
            "2022,A,dti,0.8,1,3,\n2022,B,dti,0.7,2,3,\n2022,C,dti,0.5,3,3,\n").encode()
    t = peers.read_published_bytes(data, "fuller.csv")
    assert t.national_average(2022) == 0.61
    assert "Cả nước" not in t.values(2022)
    assert t.estimate_rank(0.75, 2022).rank == 2


@pytest.mark.parametrize("content, fragment", [
    (b"year,province\n2022,A\n", "columns measure, value, rank, rank_of are missing"),
    (b"year,province,measure,value,rank,rank_of\n2022,A,dti,abc,,\n", "row 2: value 'abc' is not a number"),
    (b"year,province,measure,value,rank,rank_of\n2022,A,dti,1.7,,\n", "row 2: value 1.7 is out of range"),
    (b"year,province,measure,value,rank,rank_of\n2022,A,dtx,0.5,,\n", "row 2: measure 'dtx' is unknown"),
    (b"year,province,measure,value,rank,rank_of\n2022,A,dti,0.5,70,63\n", "rank 70 is beyond rank_of 63"),
    (b"year,province,measure,value,rank,rank_of\n", "has no rows"),
    ("year,province\n2022,Á\n".encode("utf-16"), "is not UTF-8"),
])
def test_bad_upload_names_file_row_and_fix(content, fragment):
    with pytest.raises(peers.PublishedTableError) as err:
        peers.read_published_bytes(content, "upload.csv")
    assert "upload.csv" in str(err.value)
    assert fragment in str(err.value)
