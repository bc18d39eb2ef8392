"""How good are the automatic taxonomy tags? Precision and recall against hand labels.

Why: the map and the repository filter priorities by NACE section, field of science and policy
objective, and most of those tags are automatic. Users (and we) need to know how often a tag is
right (precision) and how many of the right tags are found (recall). The ground truth is
``observatory/curated/labels/priority_labels.csv`` (how it was made: the README beside it).

Figures are micro-averaged over (priority, label) pairs: a priority labelled {C, M} and tagged
{C, J} counts one true positive, one false positive and one false negative.

Run ``python -m observatory.ingest.tag_quality`` to print the table of
``docs/research/tag_quality.md``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from observatory import config
from observatory.ingest.errors import InputError
from observatory.ingest.keyword_tags import keyword_tags
from observatory.ingest.tag_model import SECTIONS, SectionModel, section_tags, split_codes

LABELS_PATH = config.CURATED_DIR / "labels" / "priority_labels.csv"
LABEL_COLUMNS = ["priority_id", "nace_sections", "fos_fields", "policy_objectives", "note", "split"]
SCHEMES = ("nace", "fos", "policy")
SCHEME_COLUMN = {"nace": "nace_sections", "fos": "fos_fields", "policy": "policy_objectives"}
#: OECD Fields of Science and Technology (FOS 2007) sub-fields: the codes a label may use.
FOS_CODES = frozenset(
    [f"1.{i}" for i in range(1, 8)]
    + [f"2.{i}" for i in range(1, 12)]
    + [f"3.{i}" for i in range(1, 6)]
    + [f"4.{i}" for i in range(1, 6)]
    + [f"5.{i}" for i in range(1, 10)]
    + [f"6.{i}" for i in range(1, 6)]
)
#: The targets of issue 10: precision at least 0.85 at recall at least 0.7.
TARGET_PRECISION = 0.85
TARGET_RECALL = 0.7
#: Cross-validation: 5 folds, shuffled with this seed.
FOLDS = 5
SEED = 20261204


@dataclass(frozen=True)
class Scores:
    """Micro-averaged counts and ratios of one tag set against the labels."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def meets_targets(self) -> bool:
        return self.precision >= TARGET_PRECISION and self.recall >= TARGET_RECALL


def micro_scores(gold: dict[str, set[str]], predicted: dict[str, set[str]]) -> Scores:
    """Micro precision/recall over the priorities in ``gold`` (a missing prediction is empty)."""
    tp = fp = fn = 0
    for pid, truth in gold.items():
        guess = predicted.get(pid, set())
        tp += len(truth & guess)
        fp += len(guess - truth)
        fn += len(truth - guess)
    return Scores(tp, fp, fn)


def per_label_scores(gold: dict[str, set[str]], predicted: dict[str, set[str]]) -> pd.DataFrame:
    """Precision, recall and support (labelled count) per label, most frequent labels first."""
    labels = sorted(set().union(*gold.values(), *(predicted.get(p, set()) for p in gold)))
    rows = []
    for label in labels:
        g = {p: {label} & t for p, t in gold.items()}
        s = micro_scores(g, {p: {label} & predicted.get(p, set()) for p in gold})
        rows.append((label, s.tp + s.fn, s.tp, s.fp, s.fn, s.precision, s.recall))
    table = pd.DataFrame(rows, columns=["label", "support", "tp", "fp", "fn", "precision", "recall"])
    return table.sort_values(["support", "label"], ascending=[False, True], ignore_index=True)


# -- labels -------------------------------------------------------------------------------------


def read_labels(path: Path = LABELS_PATH, policy_codes: set[str] | None = None) -> pd.DataFrame:
    """The hand labels, checked: known columns, unique ids, every code from its scheme.

    ``policy_codes`` defaults to the codes of ``observatory/curated/policy_objectives.csv``.
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in LABEL_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(path, f"missing columns {missing}")
    dupes = table["priority_id"].duplicated()
    if dupes.any():
        row = int(dupes.to_numpy().nonzero()[0][0])
        raise InputError(path, f"duplicate priority_id {table['priority_id'].iloc[row]!r}", row=row + 2)
    if policy_codes is None:
        policy = pd.read_csv(config.CURATED_DIR / "policy_objectives.csv", dtype=str)
        policy_codes = set(policy["code"])
    allowed = {"nace": set(SECTIONS), "fos": set(FOS_CODES), "policy": set(policy_codes)}
    for scheme, column in SCHEME_COLUMN.items():
        for row, value in enumerate(table[column]):
            for code in split_codes(value):
                if code not in allowed[scheme]:
                    raise InputError(path, f"unknown {scheme} code {code!r}", row=row + 2, column=column)
    bad_split = ~table["split"].isin(["dev", "heldout"])
    if bad_split.any():
        row = int(bad_split.to_numpy().nonzero()[0][0])
        raise InputError(path, "split must be dev or heldout", row=row + 2, column="split")
    return table


def gold_sets(labels: pd.DataFrame, scheme: str) -> dict[str, set[str]]:
    """priority_id -> the labelled codes of one scheme."""
    return {
        pid: set(split_codes(v))
        for pid, v in zip(labels["priority_id"], labels[SCHEME_COLUMN[scheme]], strict=True)
    }


# -- the priorities the labels refer to ---------------------------------------------------------


def load_priorities() -> pd.DataFrame:
    """The S3 priorities: the repository's curated file when present, else the staged releases.

    The labels were drawn from the two staged releases (see the labels' README); once the records
    are imported into ``observatory/curated/s3/priorities.csv`` with the same ids, that file is used.
    """
    curated = config.CURATED_DIR / "s3" / "priorities.csv"
    paths = [curated] if curated.exists() else []
    data_dir = config.configured_data_dir()
    if not paths and data_dir is not None:
        paths = [
            p
            for p in (data_dir / "s3" / "priorities.csv", data_dir / "s3-release-2" / "priorities.csv")
            if p.exists()
        ]
    if not paths:
        raise InputError(
            "priorities", "no priorities file: neither observatory/curated/s3 nor the staged releases"
        )
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths]
    table = pd.concat(frames, ignore_index=True).drop_duplicates("priority_id")
    return table[["priority_id", "name", "description", "nace_sections"]].reset_index(drop=True)


def labelled_priorities(labels: pd.DataFrame, priorities: pd.DataFrame) -> pd.DataFrame:
    """The priorities in label order; a label whose priority is gone is an error, not a skip."""
    known = priorities.set_index("priority_id")
    gone = sorted(set(labels["priority_id"]) - set(known.index))
    if gone:
        raise InputError(LABELS_PATH, f"labelled priorities missing from the records: {gone[:5]}")
    return known.loc[labels["priority_id"]].reset_index()


def staged_priorities_by_stratum(data_dir: Path) -> pd.DataFrame:
    """The staged releases' priorities with ``country`` and ``release``: the sampling frame."""
    frames = []
    for release, folder in (("1", "s3"), ("2", "s3-release-2")):
        priorities = pd.read_csv(data_dir / folder / "priorities.csv", dtype=str, keep_default_na=False)
        strategies = pd.read_csv(data_dir / folder / "strategies.csv", dtype=str, keep_default_na=False)
        priorities = priorities.merge(strategies[["strategy_id", "territory_code"]], on="strategy_id")
        frames.append(priorities.assign(release=release))
    table = pd.concat(frames, ignore_index=True).drop_duplicates("priority_id")
    table["country"] = table["territory_code"].str[:2]
    return table.sort_values("priority_id", ignore_index=True)


def stratified_sample(
    frame: pd.DataFrame, n: int, seed: int, exclude: set[str] = frozenset()
) -> pd.DataFrame:
    """How the labelled priorities were drawn: proportional to (country, release) strata.

    Each stratum gets ``floor(share * n)`` rows but at least one, the rest going to the largest
    remainders (ties in stratum order); rows are then drawn without replacement with numpy's
    ``default_rng(seed)``, strata in sorted order. ``exclude`` keeps earlier samples out.
    Dev set: ``n=150, seed=20261204``; held-out set: ``n=75, seed=20261205`` excluding the dev set
    (76 rows: the at-least-one rule).
    """
    import numpy as np

    frame = frame[~frame["priority_id"].isin(exclude)]
    strata = frame.groupby(["country", "release"]).size()
    quota = strata / strata.sum() * n
    counts = np.maximum(1, np.floor(quota)).astype(int)
    remainders = (quota - np.floor(quota)).sort_values(ascending=False, kind="stable")
    i = 0
    while counts.sum() < n:
        counts[remainders.index[i]] += 1
        i += 1
    rng = np.random.default_rng(seed)
    drawn = []
    for key, group in frame.groupby(["country", "release"]):
        k = min(int(counts[key]), len(group))
        drawn.append(group.iloc[np.sort(rng.choice(len(group), k, replace=False))])
    return pd.concat(drawn)


# -- the automatic tags -------------------------------------------------------------------------


def curated_sections(priorities: pd.DataFrame) -> dict[str, set[str]]:
    """The tags before: each curated code's section (the curated tags plus ``implied-section``)."""
    return {
        pid: {c[0] for c in split_codes(v)}
        for pid, v in zip(priorities["priority_id"], priorities["nace_sections"], strict=True)
    }


def keyword_sets(priorities: pd.DataFrame, scheme: str) -> dict[str, set[str]]:
    """The keyword rules' tags of one scheme (``fos`` or ``policy``)."""
    from observatory.ingest.keyword_tags import RULES

    tags = keyword_tags(priorities, {t for t in RULES if t.startswith(scheme + ":")})
    out: dict[str, set[str]] = {pid: set() for pid in priorities["priority_id"]}
    for pid, term in zip(tags["priority_id"], tags["term"], strict=True):
        out[pid].add(term.split(":", 1)[1])
    return out


def model_sections_full(priorities: pd.DataFrame, labels: pd.DataFrame) -> dict[str, set[str]]:
    """The sections the build tags: curated section letters plus the model's (as ``section_tags``)."""
    tags = section_tags(priorities, labels)
    out = {
        pid: {c for c in split_codes(v) if len(c) == 1}
        for pid, v in zip(priorities["priority_id"], priorities["nace_sections"], strict=True)
    }
    for pid, term in zip(tags["priority_id"], tags["term"], strict=True):
        out[pid].add(term.split(":", 1)[1])
    return out


def cross_validated_sections(rows: pd.DataFrame, labels: pd.DataFrame) -> dict[str, set[str]]:
    """Section tags of every labelled priority from a model that never saw its label (k-fold).

    As in the build, a section the curators named directly is kept whatever the model says.
    """
    from sklearn.model_selection import KFold

    targets = [set(split_codes(v)) for v in labels["nace_sections"]]
    out: dict[str, set[str]] = {}
    for train, test in KFold(FOLDS, shuffle=True, random_state=SEED).split(rows):
        model = SectionModel().fit(rows.iloc[train], [targets[i] for i in train])
        predicted = model.predict(rows.iloc[test])
        for pid, codes in zip(rows["priority_id"].iloc[test], rows["nace_sections"].iloc[test], strict=True):
            out[pid] = predicted[pid] | {c for c in split_codes(codes) if len(c) == 1}
    return out


def heldout_sections(rows: pd.DataFrame, labels: pd.DataFrame) -> dict[str, set[str]]:
    """Section tags of the held-out priorities from a model trained on the development rows only."""
    dev = (labels["split"] == "dev").to_numpy()
    targets = [set(split_codes(v)) for v in labels["nace_sections"]]
    model = SectionModel().fit(rows[dev], [t for t, d in zip(targets, dev, strict=True) if d])
    test = rows[~dev]
    predicted = model.predict(test)
    return {
        pid: predicted[pid] | {c for c in split_codes(codes) if len(c) == 1}
        for pid, codes in zip(test["priority_id"], test["nace_sections"], strict=True)
    }


# -- the report -----------------------------------------------------------------------------------


def evaluate(labels: pd.DataFrame | None = None, priorities: pd.DataFrame | None = None) -> pd.DataFrame:
    """The precision/recall table: one row per (scheme, method, evaluation set).

    - ``nace`` before: curated sections (with implied sections), on all labels and on each split;
      after: the model, 5-fold cross-validated on all labels, and trained on dev / tested on held-out.
    - ``fos`` and ``policy``: the keyword rules (written while reading the dev labels, frozen
      before the held-out labels were written), on each split; the held-out row is the honest one.
    """
    labels = read_labels() if labels is None else labels
    priorities = load_priorities() if priorities is None else priorities
    rows = labelled_priorities(labels, priorities)
    splits = {
        "all": labels,
        "dev": labels[labels["split"] == "dev"],
        "heldout": labels[labels["split"] == "heldout"],
    }
    out = []

    def add(scheme: str, method: str, evaluation: str, subset: pd.DataFrame, predicted: dict) -> None:
        s = micro_scores(gold_sets(subset, scheme), predicted)
        out.append((scheme, method, evaluation, len(subset), s.tp, s.fp, s.fn, s.precision, s.recall, s.f1))

    before = curated_sections(rows)
    for name, subset in splits.items():
        add("nace", "curated+implied", name, subset, before)
    add("nace", "model", "cv5-all", labels, cross_validated_sections(rows, labels))
    add("nace", "model", "dev->heldout", splits["heldout"], heldout_sections(rows, labels))
    for scheme in ("fos", "policy"):
        predicted = keyword_sets(rows, scheme)
        for name, subset in splits.items():
            add(scheme, "keyword", name, subset, predicted)
    columns = ["scheme", "method", "evaluation", "priorities", "tp", "fp", "fn", "precision", "recall", "f1"]
    return pd.DataFrame(out, columns=columns)


def main() -> None:
    """Print the summary table and the per-label figures behind docs/research/tag_quality.md."""
    out = sys.stdout
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        out.write(evaluate().round(3).to_string(index=False) + "\n")
    labels = read_labels()
    rows = labelled_priorities(labels, load_priorities())
    heldout = labels[labels["split"] == "heldout"]
    for scheme in ("fos", "policy"):
        table = per_label_scores(gold_sets(heldout, scheme), keyword_sets(rows, scheme))
        out.write(
            f"\nper label, {scheme}, keyword rules, held-out:\n{table.round(2).to_string(index=False)}\n"
        )
    table = per_label_scores(gold_sets(labels, "nace"), cross_validated_sections(rows, labels))
    out.write(f"\nper label, nace, model, 5-fold CV:\n{table.round(2).to_string(index=False)}\n")


if __name__ == "__main__":
    main()
    sys.exit(0)
