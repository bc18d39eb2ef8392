"""Taxonomies and the NUTS classification, on the real code lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatory.geography import EU27
from observatory.ingest import nuts, taxonomies
from observatory.ingest.errors import InputError
from observatory.sources.catalogue import source
from tests.support import DATA


def test_nace_sections_and_divisions():
    nace = taxonomies.read_nace(DATA / source("nace_r2").path)
    assert (nace["level"] == 1).sum() == 21
    assert (nace["level"] == 2).sum() == 88
    c20 = nace.set_index("code").loc["C20"]
    assert c20["parent"] == "C"
    assert c20["label"] == "Manufacture of chemicals and chemical products"


def test_fields_of_science():
    fos = taxonomies.read_fields_of_science(DATA / source("fos2007").path)
    assert (fos["level"] == 1).sum() == 6
    assert (fos["level"] == 2).sum() == 42
    assert fos.set_index("code").loc["2.10", "label"] == "Nano-Technology"


def test_terms_are_unique_and_addressable():
    terms = taxonomies.build_terms(
        taxonomies.read_nace(DATA / source("nace_r2").path),
        taxonomies.read_fields_of_science(DATA / source("fos2007").path),
        taxonomies.read_policy_objectives(Path("/nonexistent.csv")),
    )
    assert terms["term"].is_unique
    assert {"nace:C", "nace:C20", "fos:2.9"} <= set(terms["term"])


def test_policy_objectives_need_source_urls(tmp_path):
    path = tmp_path / "policy_objectives.csv"
    path.write_text("code,label,parent_code,description,source_url\ndigital,Digital transformation,,d,\n")
    with pytest.raises(InputError) as err:
        taxonomies.read_policy_objectives(path)
    assert (err.value.row, err.value.column) == (2, "source_url")


def test_nuts2021_classification_counts():
    table = nuts.read_nuts2021_classification(DATA / source("nuts2021_classification").path)
    assert table["nuts_id"].is_unique
    # Rows whose level cell is blank in the workbook (BE328, BE329) get it from the code.
    assert table.set_index("nuts_id").loc["BE328", "level"] == 3
    nuts2 = table[
        (table["level"] == 2) & table["nuts_id"].str[:2].isin(EU27) & ~table["nuts_id"].str.endswith("ZZ")
    ]
    assert len(nuts2) == 242


def test_classification_with_a_contradicting_level(tmp_path):
    import pandas as pd

    frame = pd.DataFrame(
        {
            "Code 2021": ["BE", "BE1"],
            "Country": ["Belgique", None],
            "NUTS level 1": [None, "Brx"],
            "NUTS level 2": [None, None],
            "NUTS level 3": [None, None],
            "NUTS level": [0, 2],
        }
    )
    path = tmp_path / "nuts.xlsx"
    frame.to_excel(path, sheet_name=nuts.CLASSIFICATION_SHEET, index=False)
    with pytest.raises(InputError) as err:
        nuts.read_nuts2021_classification(path)
    assert (err.value.row, err.value.column) == (3, "NUTS level")


def test_parent_code():
    assert nuts.parent_code("DE111", 1) == "DE1"
    assert nuts.parent_code("DE111", 0) == "DE"
    assert nuts.parent_code("DE1", 2) is None
