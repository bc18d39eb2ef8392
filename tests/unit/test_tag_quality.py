"""Tag quality: the metrics on known answers, the label file's validity, and the targets reached.

The last tests compute the figures of docs/research/tag_quality.md from the hand labels and the real
priorities (no mock): NACE sections by 5-fold cross-validation and dev -> held-out, fields of
science and policy objectives by the keyword rules on the held-out labels written after the rules
were frozen.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from observatory import config
from observatory.ingest import tag_model
from observatory.ingest import tag_quality as tq
from observatory.ingest.errors import InputError

# -- metrics on tiny synthetic examples --------------------------------------------------------


def test_micro_scores_known_answer():
    gold = {"p1": {"C", "M"}, "p2": {"J"}, "p3": set()}
    predicted = {"p1": {"C", "J"}, "p2": {"J"}, "p3": {"Q"}}
    s = tq.micro_scores(gold, predicted)
    assert (s.tp, s.fp, s.fn) == (2, 2, 1)
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_micro_scores_missing_prediction_is_empty_and_extra_ids_ignored():
    s = tq.micro_scores({"p1": {"A"}}, {"p9": {"A"}})
    assert (s.tp, s.fp, s.fn) == (0, 0, 1)
    assert math.isnan(s.precision)
    assert s.recall == 0.0
    assert not s.meets_targets()


def test_meets_targets_thresholds():
    assert tq.Scores(tp=85, fp=15, fn=36).meets_targets()  # 0.85 / 0.702
    assert not tq.Scores(tp=84, fp=16, fn=0).meets_targets()  # precision 0.84
    assert not tq.Scores(tp=69, fp=0, fn=31).meets_targets()  # recall 0.69


def test_per_label_scores_known_answer():
    gold = {"p1": {"C", "M"}, "p2": {"C"}}
    predicted = {"p1": {"C"}, "p2": {"C", "J"}}
    table = tq.per_label_scores(gold, predicted).set_index("label")
    assert table.loc["C", ["support", "tp", "fp", "fn"]].tolist() == [2, 2, 0, 0]
    assert table.loc["M", ["support", "tp", "fn"]].tolist() == [1, 0, 1]
    assert table.loc["J", ["support", "fp"]].tolist() == [0, 1]
    assert table.index[0] == "C"  # most frequent first


# -- the label file ---------------------------------------------------------------------------


def test_label_file_validates():
    labels = tq.read_labels()
    assert len(labels) >= 150
    assert (labels["split"] == "dev").sum() >= 150
    assert (labels["split"] == "heldout").sum() >= 50
    # Every labelled priority exists in the records.
    tq.labelled_priorities(labels, tq.load_priorities())
    # Labels use several codes per scheme where they apply, and some priorities have none.
    assert labels["fos_fields"].str.contains(";").any()
    assert (labels["nace_sections"] == "").any()


def _write(tmp_path, rows):
    path = tmp_path / "labels.csv"
    pd.DataFrame(rows, columns=tq.LABEL_COLUMNS).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("p1", "C;Z", "", "", "", "dev"), "unknown nace code 'Z'"),
        (("p1", "C", "2.12", "", "", "dev"), "unknown fos code '2.12'"),
        (("p1", "C", "2.1", "po9", "", "dev"), "unknown policy code 'po9'"),
        (("p1", "C", "2.1", "po1", "", "test"), "split must be dev or heldout"),
    ],
)
def test_bad_label_files_are_rejected(tmp_path, row, message):
    with pytest.raises(InputError, match=message):
        tq.read_labels(_write(tmp_path, [row]), policy_codes={"po1"})


def test_duplicate_label_rows_are_rejected(tmp_path):
    path = _write(tmp_path, [("p1", "C", "", "", "", "dev"), ("p1", "J", "", "", "", "dev")])
    with pytest.raises(InputError, match="duplicate priority_id 'p1'"):
        tq.read_labels(path, policy_codes=set())


# -- the model on a synthetic set --------------------------------------------------------------


def test_section_model_learns_and_tags_with_its_own_method():
    words = {
        "A": "farming crops dairy",
        "C": "factory machines manufacturing",
        "J": "software data cloud",
        "Q": "hospital care patients",
    }
    rows, targets = [], []
    for i in range(12):
        for section, text in words.items():
            rows.append((f"{section}{i}", f"{text} {i}", text, ""))
            targets.append({section})
    priorities = pd.DataFrame(rows, columns=["priority_id", "name", "description", "nace_sections"])
    labels = pd.DataFrame(
        {"priority_id": priorities["priority_id"], "nace_sections": [";".join(t) for t in targets]}
    )
    new = pd.DataFrame(
        [("x1", "software for hospital care", "data and patients", "J62"), ("x2", "Farming", "", "A")],
        columns=["priority_id", "name", "description", "nace_sections"],
    )
    # The build passes every priority; the labelled ones train the model, all are tagged.
    tags = tag_model.section_tags(pd.concat([priorities, new], ignore_index=True), labels)
    assert set(tags["method"]) == {"model"}
    assert tags.loc[tags["priority_id"] == "C3", "term"].tolist() == ["nace:C"]
    by_id = tags.groupby("priority_id")["term"].agg(set).to_dict()
    assert by_id["x1"] == {"nace:J", "nace:Q"}
    # A section the curators named directly stays theirs: not repeated as a model tag.
    assert "x2" not in by_id
    evidence = tags.loc[(tags["priority_id"] == "x1") & (tags["term"] == "nace:J"), "evidence"]
    assert evidence.iloc[0].startswith("curated J62; score ")


# -- the figures on the real labels --------------------------------------------------------------


@pytest.fixture(scope="module")
def table():
    return tq.evaluate().set_index(["scheme", "method", "evaluation"])


def _row(table, key):
    return tq.Scores(*(int(table.loc[key, c]) for c in ("tp", "fp", "fn")))


def test_nace_sections_reach_the_targets_cross_validated(table):
    assert _row(table, ("nace", "model", "cv5-all")).meets_targets()


def test_nace_model_beats_the_curated_sections_on_precision(table):
    before = _row(table, ("nace", "curated+implied", "all"))
    after = _row(table, ("nace", "model", "cv5-all"))
    assert after.precision > before.precision
    # Also when trained on the dev labels only and tested on the held-out ones (0.86 vs 0.81 when
    # written; the target itself is asserted on the cross-validated figures above).
    before = _row(table, ("nace", "curated+implied", "heldout"))
    after = _row(table, ("nace", "model", "dev->heldout"))
    assert after.precision > before.precision and after.recall >= 0.7


def test_fields_of_science_reach_the_targets_on_held_out_labels(table):
    assert _row(table, ("fos", "keyword", "heldout")).meets_targets()


def test_policy_objectives_are_measured(table):
    s = _row(table, ("policy", "keyword", "heldout"))
    assert s.tp + s.fn > 0 and s.precision > 0.5


def test_build_tags_are_deterministic():
    priorities = tq.load_priorities()
    labels = tag_model.load_labels()
    first = tag_model.section_tags(priorities, labels)
    second = tag_model.section_tags(priorities, labels)
    pd.testing.assert_frame_equal(first, second)
    assert not first.duplicated(["priority_id", "term"]).any()


def test_labelled_priorities_are_the_documented_seeded_sample():
    data_dir = config.configured_data_dir()
    if data_dir is None or not (data_dir / "s3-release-2" / "priorities.csv").exists():
        pytest.skip("the staged releases the sample was drawn from are not available")
    frame = tq.staged_priorities_by_stratum(data_dir)
    dev = tq.stratified_sample(frame, 150, 20261204)
    heldout = tq.stratified_sample(frame, 75, 20261205, exclude=set(dev["priority_id"]))
    labels = tq.read_labels()
    assert set(dev["priority_id"]) == set(labels.loc[labels["split"] == "dev", "priority_id"])
    assert set(heldout["priority_id"]) == set(labels.loc[labels["split"] == "heldout", "priority_id"])
    # Every country of the frame is represented in the dev sample.
    assert set(dev["country"]) == set(frame["country"])
