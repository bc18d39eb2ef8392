"""Taxonomies a priority can be tagged with: NACE Rev.2, fields of science, policy objectives.

All three come out as one table of terms, ``scheme`` + ``code``, so filters, chips and URLs
address any term the same way (``nace:C20``, ``fos:2.9``, ``policy:<slug>``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from observatory.ingest.errors import InputError
from observatory.ingest.tabular import read_text_frame

TERM_COLUMNS = ["scheme", "code", "label", "parent", "level", "source"]


def read_nace(path: Path) -> pd.DataFrame:
    """NACE Rev.2 sections (level 1) and divisions (level 2); groups and classes are not needed.

    Divisions are coded with their section letter (``C20``), as the S3 records code them.
    """
    table = read_text_frame(path, ["code", "name", "level", "parent"])
    table = table[table["level"].isin(["1", "2"])]
    bad = table[(table["level"] == "2") & ~table["code"].str.fullmatch(r"[A-U]\d\d")]
    if len(bad):
        raise InputError(
            path,
            f"unexpected division code {bad['code'].iloc[0]!r}",
            row=int(bad.index[0]),
            column="code",
        )
    return pd.DataFrame(
        {
            "scheme": "nace",
            "code": table["code"],
            "label": table["name"],
            "parent": table["parent"].where(table["level"] == "2", None),
            "level": table["level"].astype(int),
            "source": "nace_r2",
        }
    ).reset_index(drop=True)


def read_fields_of_science(path: Path) -> pd.DataFrame:
    """OECD FOS 2007: 6 fields (level 1) and their sub-fields (level 2)."""
    table = read_text_frame(path, ["fos_code", "fos_label", "field_code", "field_label"])
    fields = table.drop_duplicates("field_code")
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "scheme": "fos",
                    "code": fields["field_code"],
                    "label": fields["field_label"],
                    "parent": None,
                    "level": 1,
                    "source": "fos2007",
                }
            ),
            pd.DataFrame(
                {
                    "scheme": "fos",
                    "code": table["fos_code"],
                    "label": table["fos_label"],
                    "parent": table["field_code"],
                    "level": 2,
                    "source": "fos2007",
                }
            ),
        ],
        ignore_index=True,
    )


def read_policy_objectives(path: Path) -> pd.DataFrame:
    """The curated policy-objective list kept in this repository (``observatory/curated``).

    Every row must carry a source URL: the list documents what Eye@RIS3 / the S3 Platform use.
    """
    if not path.exists():
        return pd.DataFrame(columns=TERM_COLUMNS)
    table = read_text_frame(path, ["code", "label", "parent_code", "source_url"])
    missing = table[~table["source_url"].str.match(r"https?://")]
    if len(missing):
        raise InputError(
            path,
            "every policy objective needs an http(s) source_url",
            row=int(missing.index[0]),
            column="source_url",
        )
    parent = table["parent_code"].replace("", None)
    return pd.DataFrame(
        {
            "scheme": "policy",
            "code": table["code"],
            "label": table["label"],
            "parent": parent,
            "level": parent.isna().map({True: 1, False: 2}),
            "source": table["source_url"],
        }
    )


def build_terms(nace: pd.DataFrame, fos: pd.DataFrame, policy: pd.DataFrame) -> pd.DataFrame:
    """All terms in one table, with the ``term`` id used in URLs (``scheme:code``)."""
    terms = pd.concat([nace, fos, policy], ignore_index=True)
    terms["term"] = terms["scheme"] + ":" + terms["code"]
    dupes = terms[terms["term"].duplicated()]
    if len(dupes):
        raise InputError("taxonomies", f"duplicate term {dupes['term'].iloc[0]!r}")
    terms["level"] = terms["level"].astype(int)
    return terms[["term", *TERM_COLUMNS]]
