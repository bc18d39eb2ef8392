"""Keyword tagging: matches word starts only, reports its evidence, ignores unknown terms."""

from __future__ import annotations

import pandas as pd

from observatory.ingest.keyword_tags import RULES, keyword_tags


def _priorities(*rows):
    return pd.DataFrame(rows, columns=["priority_id", "name", "description"])


def test_matches_word_starts_with_evidence():
    tags = keyword_tags(
        _priorities(("p1", "Biotechnology", "Industrial biotech and bio-based chemicals.")),
        {"fos:1.4", "fos:2.9"},
    )
    by_term = dict(zip(tags["term"], tags["evidence"], strict=True))
    assert by_term["fos:2.9"] == "bio-based, biotech, industrial biotech"
    assert by_term["fos:1.4"] == "chemi"
    assert set(tags["method"]) == {"keyword"}


def test_no_match_inside_words_and_accents_folded():
    # "smart" must not match the stem "art"; "Énergie renouvelable" is not English, no match.
    tags = keyword_tags(
        _priorities(("p1", "Smart specialisation", "Start-ups in smart cities.")), {"fos:6.4"}
    )
    assert tags.empty
    tags = keyword_tags(_priorities(("p2", "Médical devices", "")), {"fos:2.6"})
    assert tags["term"].tolist() == ["fos:2.6"]


def test_terms_missing_from_taxonomy_are_skipped():
    tags = keyword_tags(_priorities(("p1", "Renewable energy", "Solar and wind.")), set())
    assert tags.empty


def test_every_rule_names_a_scheme_we_have():
    assert all(term.split(":")[0] in {"fos", "policy"} for term in RULES)


def test_whole_word_stems():
    tags = keyword_tags(
        _priorities(("p1", "Artificial intelligence", "Smelting and careers in AI.")),
        {"fos:6.4", "policy:po1-sme", "policy:po4", "fos:1.2"},
    )
    assert tags["term"].tolist() == ["fos:1.2"]
    tags = keyword_tags(
        _priorities(("p2", "Cultural and creative industries", "Arts, SMEs and care.")),
        {"fos:6.4", "policy:po1-sme", "policy:po4"},
    )
    assert sorted(tags["term"]) == ["fos:6.4", "policy:po1-sme", "policy:po4"]
