"""Taxonomies a priority can be tagged with: NACE Rev.2, fields of science, policy objectives.

All three come out as one table of terms, ``scheme`` + ``code``, so filters, chips and URLs
address any term the same way (``nace:C20``, ``fos:2.9``, ``policy:<slug>``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from observatory.ingest.errors import InputError
from observatory.ingest.tabular import read_csv_table, read_text_frame

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
    """OECD FOS 2007: 6 fields (level 1) and their sub-fields (level 2).

    Reads either shape of the source: the staged copy (``fos_code, fos_label, field_code,
    field_label``) or the upstream file a fresh clone downloads, OnlineS3's ``OECD.csv``
    (``chapter, topic, category``: see :func:`_read_oecd_chapters`).
    """
    header = read_csv_table(path, ())[0]
    if "chapter" in header:
        table = _read_oecd_chapters(path)
    else:
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


_CHAPTER = re.compile(r"(?P<field>[1-6])\.(?P<sub>\d{1,2})\.?")


def _read_oecd_chapters(path: Path) -> pd.DataFrame:
    """OnlineS3's ``OECD.csv`` in the staged copy's columns.

    Upstream writes codes with a trailing dot (``1.1.``) and, having once stored them as numbers,
    writes sub-field 2.10 as ``2.1.`` a second time; a repeated code that follows ``x.9`` in its field
    is therefore ``x.10``. Field names come in title case (``Natural Sciences``) and are given in the
    OECD's sentence case (``Natural sciences``), as in the staged copy. Any other repeated or
    malformed code is an error: the list would no longer be the FOS 2007 one.
    """
    table = read_text_frame(path, ["chapter", "topic", "category"])
    codes: list[str] = []
    for line, chapter in table["chapter"].items():
        match = _CHAPTER.fullmatch(chapter)
        if not match:
            raise InputError(path, f"{chapter!r} is not a field-of-science code", row=int(line),
                             column="chapter")
        code = f"{match['field']}.{int(match['sub'])}"
        if code in codes and codes and codes[-1] == f"{match['field']}.9" and code.endswith(".1"):
            code += "0"  # the float-truncated 2.10
        if code in codes:
            raise InputError(path, f"code {code} repeated", row=int(line), column="chapter")
        codes.append(code)
    return pd.DataFrame(
        {
            "fos_code": codes,
            "fos_label": table["topic"].to_numpy(),
            "field_code": [code.split(".")[0] for code in codes],
            "field_label": table["category"].str.capitalize().to_numpy(),
        }
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
