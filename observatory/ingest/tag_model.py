"""A small classifier that tags priorities with NACE sections, trained on the hand labels.

Why: the curators tag each priority with NACE divisions, and a filter on a section used to match
every priority with any division in it (``implied-section``). Measured against the hand labels in
``observatory/curated/labels/priority_labels.csv``, that over-tags sections (a curator's M72 "R&D"
on every health priority, N79 "travel agencies" on tourism, C on every service): precision was
0.84. This model decides each section from the priority's own words, the curated divisions and the
keyword rules together, and reaches the precision the project asks for (see
``docs/research/tag_quality.md``; the figures are cross-validated, never measured on training rows).

It is trained at build time from the labels kept in the repository: no download, no stored weights,
and the same labels and code give the same tags (liblinear, fixed settings, sorted inputs).
Fields of science and policy objectives come from the keyword rules in ``keyword_tags``, which
reach the targets on their own on labels written after the rules were frozen.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from observatory import config
from observatory.ingest.keyword_tags import matched_terms
from observatory.text import fold

#: The hand labels the model learns from (see the README beside them).
LABELS_PATH = config.CURATED_DIR / "labels" / "priority_labels.csv"

METHOD = "model"
#: Candidate probability thresholds; ``fit`` picks one by cross-validation on its own training rows.
THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
#: The precision the threshold is chosen for (above the project's 0.85 target, for a margin).
AIM_PRECISION = 0.9
INNER_FOLDS = 5
SEED = 20261204
#: Inverse regularisation strength of the logistic regressions (scikit-learn's default).
C_VALUE = 1.0
SECTIONS = tuple("ABCDEFGHIJKLMNOPQRSTU")
#: A word: letters/digits, with inner "&" and "-" kept ("r&d", "agri-food", rule tokens).
WORD_PATTERN = r"(?u)\b\w[\w&-]*\b"


def split_codes(value: str) -> list[str]:
    """'C20; M72' -> ['C20', 'M72'] (the records' and labels' list format)."""
    return [c.strip() for c in str(value).split(";") if c.strip()]


def documents(priorities: pd.DataFrame) -> list[str]:
    """One text per priority: its folded words, then ``|``, then tokens for its curated codes and rules.

    The curated codes enter as ``nacediv_c20`` and ``nacesec_c`` so the model can learn how far a
    curator's division implies its section; rule hits enter as ``rule_fos_2_3`` style tokens. The
    two parts are vectorised apart (``_pipeline``) so the few code tokens are not drowned by words.
    """
    docs = []
    for name, description, codes in zip(
        priorities["name"], priorities["description"], priorities["nace_sections"], strict=True
    ):
        text = fold(f"{name} . {description}").replace("|", " ")
        tokens = []
        for code in split_codes(codes):
            tokens += [f"nacesec_{code[0].lower()}"]
            if len(code) > 1:
                tokens += [f"nacediv_{code.lower()}"]
        tokens += [
            "rule_" + t.replace(":", "_").replace(".", "_").replace("-", "_") for t in matched_terms(text)
        ]
        docs.append(text + " | " + " ".join(sorted(set(tokens))))
    return docs


def _words(doc: str) -> str:
    return doc.split(" | ", 1)[0]


def _codes(doc: str) -> list[str]:
    return doc.split(" | ", 1)[1].split()


def _pipeline():
    # Imported here so that importing this module (e.g. by the build's step list) stays cheap.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline, make_union

    return make_pipeline(
        make_union(
            TfidfVectorizer(
                preprocessor=_words, ngram_range=(1, 2), sublinear_tf=True, token_pattern=WORD_PATTERN
            ),
            TfidfVectorizer(analyzer=_codes, binary=True, use_idf=False, norm=None),
        ),
        OneVsRestClassifier(LogisticRegression(C=C_VALUE, solver="liblinear", class_weight="balanced")),
    )


class SectionModel:
    """NACE-section classifier: ``fit`` on labelled priorities, ``predict`` sections with scores."""

    def __init__(self) -> None:
        self.pipeline = None
        self.classes: list[str] = []
        self.constant: dict[str, bool] = {}
        self.threshold = 0.5

    def fit(
        self, priorities: pd.DataFrame, sections: Iterable[Iterable[str]], *, tune: bool = True
    ) -> SectionModel:
        """Learn from priorities and their hand-labelled section sets (same order).

        With ``tune``, the threshold is the lowest candidate whose micro precision, measured by
        5-fold cross-validation on these training rows only, reaches ``AIM_PRECISION`` (the most
        precise candidate when none does): class weights make raw probabilities generous.
        """
        from sklearn.preprocessing import MultiLabelBinarizer

        targets = [set(s) for s in sections]
        y = MultiLabelBinarizer(classes=list(SECTIONS)).fit_transform(targets)
        used = y.sum(axis=0)
        # A section no labelled priority has (or every one has) cannot be learned: it is never
        # (always) predicted rather than left to a degenerate regression.
        keep = [i for i, n in enumerate(used) if 0 < n < len(y)]
        self.constant = {SECTIONS[i]: bool(used[i]) for i in range(len(SECTIONS)) if i not in keep}
        self.classes = [SECTIONS[i] for i in keep]
        self.pipeline = _pipeline().fit(documents(priorities), y[:, keep])
        if tune:
            self.threshold = self._tuned_threshold(priorities, targets)
        return self

    @staticmethod
    def _tuned_threshold(priorities: pd.DataFrame, targets: list[set[str]]) -> float:
        from sklearn.model_selection import KFold

        frames = []
        for train, test in KFold(INNER_FOLDS, shuffle=True, random_state=SEED).split(priorities):
            inner = SectionModel().fit(priorities.iloc[train], [targets[i] for i in train], tune=False)
            frames.append(inner.scores(priorities.iloc[test]))
        scores = pd.concat(frames).loc[priorities["priority_id"]]
        best, best_precision = THRESHOLDS[-1], -1.0
        for threshold in THRESHOLDS:
            tp = fp = 0
            for truth, (_, row) in zip(targets, scores.iterrows(), strict=True):
                guess = {s for s in SECTIONS if row[s] > threshold}
                tp += len(guess & truth)
                fp += len(guess - truth)
            precision = tp / (tp + fp) if tp + fp else 0.0
            if precision >= AIM_PRECISION:
                return threshold
            if precision > best_precision:
                best, best_precision = threshold, precision
        return best

    def scores(self, priorities: pd.DataFrame) -> pd.DataFrame:
        """Probability per (priority, section), priorities as rows and sections as columns."""
        proba = self.pipeline.predict_proba(documents(priorities))
        frame = pd.DataFrame(np.asarray(proba), columns=self.classes, index=priorities["priority_id"])
        for section, value in self.constant.items():
            frame[section] = float(value)
        return frame[list(SECTIONS)]

    def predict(self, priorities: pd.DataFrame, threshold: float | None = None) -> dict[str, set[str]]:
        """Sections above ``threshold`` (default: the tuned one) per priority id."""
        threshold = self.threshold if threshold is None else threshold
        table = self.scores(priorities)
        return {pid: {s for s in SECTIONS if row[s] > threshold} for pid, row in table.iterrows()}


def read_labels_for_training(labels: pd.DataFrame, priorities: pd.DataFrame) -> tuple[pd.DataFrame, list]:
    """The labelled priorities (in label order) and their section sets, skipping unknown ids."""
    known = priorities.drop_duplicates("priority_id").set_index("priority_id")
    labels = labels[labels["priority_id"].isin(known.index)]
    rows = known.loc[labels["priority_id"]].reset_index()
    return rows, [set(split_codes(v)) for v in labels["nace_sections"]]


def load_labels(path: Path = LABELS_PATH) -> pd.DataFrame:
    """The hand labels as text (validated by ``observatory.ingest.tag_quality.read_labels``)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def section_tags(priorities: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """(priority_id, 'nace:<section>', 'model', evidence) for every priority's predicted sections.

    Sections the curators named directly (``F``, not a division) stay curated tags and are not
    repeated here. The evidence names the curated divisions in that section, if any, and the score.
    """
    columns = ["priority_id", "term", "method", "evidence"]
    rows, targets = read_labels_for_training(labels, priorities)
    if rows.empty:
        return pd.DataFrame(columns=columns)
    model = SectionModel().fit(rows, targets)
    table = model.scores(priorities)
    out = []
    for pid, codes in zip(priorities["priority_id"], priorities["nace_sections"], strict=True):
        explicit = set(split_codes(codes))
        row = table.loc[pid]
        row = row.iloc[0] if isinstance(row, pd.DataFrame) else row
        for section in SECTIONS:
            score = float(row[section])
            if score <= model.threshold or section in explicit:
                continue
            divisions = sorted(c for c in explicit if c[0] == section and len(c) > 1)
            basis = f"curated {', '.join(divisions)}; " if divisions else ""
            out.append((pid, "nace:" + section, METHOD, f"{basis}score {score:.2f}"))
    return pd.DataFrame(out, columns=columns)
