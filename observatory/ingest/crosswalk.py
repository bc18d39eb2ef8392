"""Region codes from other NUTS versions -> NUTS 2021, the version the observatory maps.

Sources mix NUTS versions: the research datasets and the older RCI editions are coded in NUTS
2016, Eurostat's latest tables use NUTS 2024 for their recent years (Netherlands NL35/NL36,
Portugal PT19, PT1A-PT1D) and NUTS 2021 for earlier years, and a few old tables still carry NUTS
2013 codes. Everything is brought to NUTS 2021 codes by one rule:

**A code is relabelled only when it denotes the same territory.** Concretely:

* a code that is a NUTS 2021 code stays as it is. No NUTS 2016 or NUTS 2024 code that changed
  territory is also a NUTS 2021 code (the tests check this on the workbooks), so a valid code is
  never ambiguous between these versions. Codes from NUTS 2013 tables are taken at face value
  the same way; no 2013-2016 workbook is available to check them, and the one reuse of a NUTS 2
  code we know of, HR02 (a NUTS 2010 region unlike the NUTS 2021 HR02), is absent from our
  sources;
* NUTS 2016 -> 2021 (``NUTS2021.xlsx``, sheet 'Changes detailed NUTS 2016-2021'): change code 1
  (renamed) and 2 (recoded) map 1:1; 3 and 4 (boundary change) and 5 (discontinued) are
  unmappable;
* NUTS 2024 -> 2021 (``NUTS2021-NUTS2024.xlsx``, sheet 'NUTS2021- NUTS2024'): rows without a change
  and rows marked 'Name change', 'Code change' or 'art. 5(2a)' (a minor shift that Eurostat
  itself does not treat as a new region, so the code stays) map 1:1; 'New region' rows (created by
  a boundary shift, split or merger) are unmappable;
* anything else (aggregates other than EU27_2020, 'X' codes for unknown regions, NUTS 2013 codes
  without a NUTS 2021 twin such as the pre-2016 French regions FR21-FR83 or LT00) is unmappable.

Unmappable rows are never guessed and never dropped silently: :func:`to_nuts2021` counts them per
source and writes the count, the codes and the reason to the :class:`BuildLog`. A value for a
split or shifted region is *not* copied to the old code, nor spread over the new ones: e.g. the
Eurostat tables give 2019+ values for NL35/NL36 and PT19/PT1A-PT1D only, so NL31/NL33 and
PT16/PT17/PT18 keep their NUTS 2021-coded series up to 2018 and the NUTS 2024-only rows are logged.
When the same region and year appear twice after relabelling (an old code and its new code in one
file), the row already coded in NUTS 2021 wins and the duplicate is logged.

:data:`KNOWN_CASES` lists the cases that matter for our sources; the tests check it against the
workbooks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from observatory.geography import EU_AGGREGATE
from observatory.ingest.errors import BuildLog, InputError

SHEET_2016_2021 = "Changes detailed NUTS 2016-2021"
SHEET_2021_2024 = "NUTS2021- NUTS2024"

_CODE = re.compile(r"[A-Z]{2}[A-Z0-9]{0,3}")

#: NUTS 2016 change codes (legend of the 2016-2021 sheet) that keep the territory.
_SAME_TERRITORY_2016 = {1: "renamed", 2: "recoded"}
#: NUTS 2024 'Change' values that keep the territory (blank = unchanged).
_SAME_TERRITORY_2024 = {"name change", "code change", "art. 5(2a)"}


@dataclass(frozen=True)
class KnownCase:
    """One code change our sources run into, as the rule above resolves it."""

    version: str  # the NUTS version of ``code``: "2016" or "2024"
    code: str
    nuts2021: str | None  # the NUTS 2021 code it maps to, or None when unmappable
    note: str


KNOWN_CASES: tuple[KnownCase, ...] = (
    # NUTS 2024 (latest years of the tgs tables and of the GDP extracts)
    KnownCase("2024", "NL35", None, "Utrecht after a boundary shift with Zuid-Holland; not NL31's territory"),
    KnownCase("2024", "NL36", None, "Zuid-Holland after the same boundary shift; ex-NL33"),
    KnownCase("2024", "PT19", None, "Centro after a boundary shift; ex-PT16"),
    KnownCase("2024", "PT1A", None, "Grande Lisboa: split of ex-PT17 Área Metropolitana de Lisboa"),
    KnownCase("2024", "PT1B", None, "Península de Setúbal: the other part of ex-PT17"),
    KnownCase("2024", "PT1C", None, "Alentejo after a boundary shift; ex-PT18"),
    KnownCase("2024", "PT1D", None, "Oeste e Vale do Tejo: new region from parts of ex-PT16 and ex-PT18"),
    KnownCase("2024", "NL361", "NL332", "NUTS 3 code change only (Agglomeratie 's-Gravenhage)"),
    KnownCase("2024", "PT191", "PT16D", "NUTS 3 code change only"),
    KnownCase("2024", "ITH5", "ITH5", "Emilia-Romagna: art. 5(2a) minor shift, code kept"),
    KnownCase("2024", "BE31", "BE31", "name change only"),
    # NUTS 2016 (Nesta R&D per inhabitant, RCI editions 2010-2019)
    KnownCase("2016", "HR04", None, "Kontinentalna Hrvatska: split into HR02, HR05 and HR06"),
    KnownCase("2016", "HR041", "HR050", "Grad Zagreb, NUTS 3 recoded"),
    KnownCase("2016", "NO05", None, "Vestlandet: recoded NO0A with a boundary change"),
    KnownCase("2016", "NO01", None, "Oslo og Akershus: discontinued (now part of NO08)"),
    KnownCase("2016", "BE221", None, "Arr. Hasselt: boundary change, recoded BE224"),
    KnownCase("2016", "UKN10", "UKN0A", "NUTS 3 recode"),
    KnownCase("2016", "ES52", "ES52", "name change only"),
    KnownCase("2016", "LT01", "LT01", "unchanged (LT00 was split into LT01/LT02 already in NUTS 2016)"),
)


@dataclass(frozen=True)
class Crosswalk:
    """Codes of one other NUTS version: which map to a NUTS 2021 code, which cannot and why."""

    version: str  # "2016" or "2024"
    mapped: Mapping[str, str]  # code -> NUTS 2021 code of the same territory (identity included)
    unmappable: Mapping[str, str]  # code -> reason

    def resolve(self, code: str) -> str | None:
        return self.mapped.get(code)


# --- reading the workbooks ----------------------------------------------------------------------


def _read_sheet(path: Path, sheet: str, required: Sequence[str]) -> pd.DataFrame:
    try:
        table = pd.read_excel(path, sheet_name=sheet, dtype=str)
    except (ValueError, KeyError, OSError) as exc:
        raise InputError(path, f"cannot read sheet {sheet!r}: {exc}") from exc
    table.columns = [str(column).strip() for column in table.columns]
    for column in required:
        if column not in table.columns:
            raise InputError(path, f"required column missing in sheet {sheet!r}", column=column)
    for column in required:
        table[column] = table[column].str.strip()
    return table


def _is_code(value: object) -> bool:
    return isinstance(value, str) and bool(_CODE.fullmatch(value))


def read_nuts2016_crosswalk(path: Path) -> Crosswalk:
    """NUTS 2016 -> 2021 from ``NUTS2021.xlsx`` (see the module docstring for the rule)."""
    table = _read_sheet(path, SHEET_2016_2021, ["Code 2016", "Code 2021", "Change codes*", "Change comments"])
    mapped: dict[str, str] = {}
    unmappable: dict[str, str] = {}
    for index, row in table.iterrows():
        old, new = row["Code 2016"], row["Code 2021"]
        if not _is_code(old):
            continue  # a new 2021 region, a blank or a note line
        raw_change = row["Change codes*"]
        change = None
        if isinstance(raw_change, str) and raw_change:
            try:
                change = int(float(raw_change))
            except ValueError:
                raise InputError(path, f"unknown change code {raw_change!r}", row=int(index) + 2,
                                 column="Change codes*") from None
        comment = row["Change comments"] if isinstance(row["Change comments"], str) else ""
        if _is_code(new) and (change in _SAME_TERRITORY_2016 or (change is None and new == old)):
            mapped[old] = new
        elif _is_code(new):
            unmappable[old] = f"NUTS 2016 code; {comment or 'changed'} (NUTS 2021 {new} is another territory)"
        else:
            unmappable[old] = f"NUTS 2016 code; {comment or 'discontinued'} in NUTS 2021"
    return Crosswalk("2016", mapped, unmappable)


def read_nuts2024_crosswalk(path: Path) -> Crosswalk:
    """NUTS 2024 -> 2021 from ``NUTS2021-NUTS2024.xlsx`` (see the module docstring for the rule)."""
    table = _read_sheet(path, SHEET_2021_2024, ["Code 2021", "Code 2024", "Change", "NUTS level"])
    mapped: dict[str, str] = {}
    unmappable: dict[str, str] = {}
    # NUTS 2021 codes that NUTS 2024 discontinued, per (country, level): named in the reason of the
    # new codes so the log says which old regions they replace.
    discontinued: dict[tuple[str, str], list[str]] = {}
    for _, row in table.iterrows():
        if _is_code(row["Code 2021"]) and not _is_code(row["Code 2024"]):
            discontinued.setdefault((row["Code 2021"][:2], row["NUTS level"]), []).append(row["Code 2021"])
    for index, row in table.iterrows():
        old21, new24 = row["Code 2021"], row["Code 2024"]
        if not _is_code(new24):
            continue
        change = row["Change"].lower() if isinstance(row["Change"], str) and row["Change"] else None
        if _is_code(old21) and (change is None or change in _SAME_TERRITORY_2024):
            mapped[new24] = old21
        elif _is_code(old21):
            raise InputError(path, f"change {row['Change']!r} with both codes given is not covered by the "
                             "rule", row=int(index) + 2, column="Change")
        else:
            gone = discontinued.get((new24[:2], row["NUTS level"]), [])
            label = row["Change"] if change else "new"
            unmappable[new24] = (f"NUTS 2024 code ({label}), no same-territory NUTS 2021 region"
                                 + (f" (NUTS 2021 {', '.join(gone)} discontinued)" if gone else ""))
    return Crosswalk("2024", mapped, unmappable)


# --- NUTS hierarchy: codes that are the same territory -----------------------------------------


def _children(code: str, nuts2021_codes: frozenset[str]) -> list[str]:
    """Direct children of a code, Extra-Regio units (``..Z``, ``..ZZ``) excluded: they have no territory."""
    length = len(code) + 1
    return [c for c in nuts2021_codes if len(c) == length and c.startswith(code) and not c.endswith("Z")]


def same_territory_codes(code: str, nuts2021_codes: frozenset[str], max_level: int = 2) -> tuple[str, ...]:
    """The code plus every code down to ``max_level`` that covers exactly the same territory.

    A country or NUTS 1 unit with a single child *is* that child (``CY`` = ``CY0`` = ``CY00``,
    ``DE3`` Berlin = ``DE30``), so a value reported for it belongs to both; a unit with several
    children does not (``AT1`` stays ``AT1``: its value is not copied to AT11, AT12, AT13).
    """
    found = [code]
    current = code
    while len(current) - 2 < max_level:
        children = _children(current, nuts2021_codes)
        if len(children) != 1:
            break
        current = children[0]
        found.append(current)
    return tuple(found)


# --- applying the crosswalks to a table ---------------------------------------------------------


def _unmapped_reason(code: str, crosswalks: Iterable[Crosswalk]) -> str:
    for walk in crosswalks:
        if code in walk.unmappable:
            return walk.unmappable[code]
    if re.fullmatch(r"(EU|EA)\w*|EFTA", code):
        return "aggregate other than EU27_2020"
    if _is_code(code) and re.search(r"X+$", code[2:]):
        return "'X' code: region not specified"
    return "not a NUTS 2021 code and no same-territory crosswalk (older NUTS version?)"


def resolve_codes(
    codes: Iterable[str], crosswalks: Sequence[Crosswalk], nuts2021_codes: frozenset[str],
    keep: frozenset[str] = frozenset({EU_AGGREGATE}),
) -> dict[str, tuple[str | None, str]]:
    """code -> (NUTS 2021 code or None, how): how is 'native', 'NUTS <version>' or the reason it fails."""
    out: dict[str, tuple[str | None, str]] = {}
    for code in codes:
        if code in nuts2021_codes or code in keep:
            out[code] = (code, "native")
            continue
        for walk in crosswalks:
            target = walk.resolve(code)
            if target is not None and target in nuts2021_codes:
                out[code] = (target, f"NUTS {walk.version}")
                break
        else:
            out[code] = (None, _unmapped_reason(code, crosswalks))
    return out


def _examples(counter: Counter, describe) -> list[str]:
    return [describe(key, n) for key, n in counter.most_common(20)]


def to_nuts2021(
    frame: pd.DataFrame,
    *,
    source: str,
    crosswalks: Sequence[Crosswalk],
    nuts2021_codes: frozenset[str],
    log: BuildLog,
    key: Sequence[str] = ("year",),
    keep: frozenset[str] = frozenset({EU_AGGREGATE}),
    label: str = "",
) -> pd.DataFrame:
    """Replace the ``geo`` column of a long table by ``region`` (a NUTS 2021 code).

    ``key``: the columns that, with the region, identify an observation (used to find rows that
    relabelling made duplicates). Relabelled, unmappable and duplicate rows are logged under
    ``source`` with counts and examples; ``label`` (e.g. the indicator id) prefixes the messages.
    """
    prefix = f"{label}: " if label else ""
    resolution = resolve_codes(frame["geo"].unique(), crosswalks, nuts2021_codes, keep)
    target = frame["geo"].map(lambda code: resolution[code][0])
    how = frame["geo"].map(lambda code: resolution[code][1])
    unmapped = target.isna()
    if unmapped.any():
        counts = Counter(frame.loc[unmapped, "geo"])
        log.warn(source, f"{prefix}rows dropped: region code has no same-territory NUTS 2021 code",
                 count=int(unmapped.sum()),
                 examples=_examples(counts, lambda code, n: f"{code} ({n} rows): {resolution[code][1]}"))
    relabelled = ~unmapped & (how != "native")
    if relabelled.any():
        pairs = Counter(zip(frame.loc[relabelled, "geo"], target[relabelled], how[relabelled], strict=True))
        log.warn(source, f"{prefix}rows relabelled to the NUTS 2021 code of the same territory",
                 count=int(relabelled.sum()),
                 examples=_examples(pairs, lambda p, n: f"{p[0]} -> {p[1]} ({p[2]}, {n} rows)"))
    out = frame.assign(region=target, _native=how == "native")[~unmapped]
    # Prefer the row coded natively in NUTS 2021 when relabelling produced a second one.
    out = out.sort_values("_native", ascending=False, kind="stable")
    duplicate = out.duplicated(subset=["region", *key], keep="first")
    if duplicate.any():
        dups = Counter(zip(out.loc[duplicate, "geo"], out.loc[duplicate, "region"], strict=True))
        log.warn(source, f"{prefix}rows dropped: same region and period already given under its NUTS 2021 "
                 "code",
                 count=int(duplicate.sum()),
                 examples=_examples(dups, lambda p, n: f"{p[0]} (= {p[1]}, {n} rows)"))
        out = out[~duplicate]
    return out.drop(columns=["geo", "_native"]).sort_index()
