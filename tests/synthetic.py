"""A small synthetic ``Observatory`` for fast unit tests of pure code (state, controller, figures).

A handful of regions in three countries at every NUTS level, three indicators over three years,
three strategies with tagged priorities and one partnership: enough to exercise every branch of
the view logic in milliseconds, without the real build. The codes are real NUTS codes so the
logic reads naturally, but every number and record here is made up for the tests and is never
shown by the app. Tests about what the real data says use the ``obs`` fixture instead.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from observatory.model import Observatory

#: code, level, name, view
REGIONS = [
    ("AT", 0, "Österreich", "mainland"), ("IT", 0, "Italia", "mainland"), ("ES", 0, "España", "mainland"),
    ("AT1", 1, "Ostösterreich", "mainland"), ("ITH", 1, "Nord-Est", "mainland"),
    ("ES7", 1, "Canarias", "canarias"),
    ("AT11", 2, "Burgenland", "mainland"), ("AT12", 2, "Niederösterreich", "mainland"),
    ("ITH5", 2, "Emilia-Romagna", "mainland"), ("ITH3", 2, "Veneto", "mainland"),
    ("ES70", 2, "Canarias", "canarias"),
    ("AT111", 3, "Mittelburgenland", "mainland"), ("ITH55", 3, "Bologna", "mainland"),
    ("ES703", 3, "El Hierro", "canarias"),
]
INDICATORS = [  # id, label, unit, kind, dimension
    ("gdp_pc_pps_eu", "GDP per inhabitant (PPS), EU27 = 100", "% of the EU27 average", "performance", ""),
    ("unemployment_rate", "Unemployment rate", "%", "performance", ""),
    ("population", "Population", "persons", "structural", "geography_demography"),
]
YEARS = (2019, 2020, 2021)


def _regions() -> pd.DataFrame:
    rows = []
    for code, level, name, view in REGIONS:
        rows.append({"nuts_id": code, "level": level, "country": code[:2],
                     "nuts1": code[:3] if level >= 1 else None, "nuts2": code[:4] if level >= 2 else None,
                     "parent": code[: 1 + level] if level else None, "name_latn": name, "name_native": name,
                     "urbn_typology": None, "coast_typology": None, "mount_typology": None,
                     "lon": 10.0, "lat": 45.0, "view": view})
    return pd.DataFrame(rows)


def _values() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    rows = []
    for indicator, _, unit, _, _ in INDICATORS:
        for code, level, _, _ in REGIONS:
            if level == 1:
                continue  # no NUTS 1 values: a level without data
            for year in YEARS:
                if indicator == "unemployment_rate" and year == YEARS[-1] and code.startswith("IT"):
                    continue  # a gap
                rows.append({"region": code, "indicator": indicator, "year": year,
                             "value": float(rng.uniform(1, 150)), "unit": unit,
                             "flag": "p" if year == YEARS[-1] else "", "source": "synthetic"})
    return pd.DataFrame(rows)


def _catalogue() -> pd.DataFrame:
    return pd.DataFrame([
        {"id": i, "label": label, "unit": unit, "direction": "neutral", "source_ids": ["synthetic"],
         "attribution": f"Synthetic test data ({i})", "description": label, "kind": kind, "dimension": dim}
        for i, label, unit, kind, dim in INDICATORS])


def _terms() -> pd.DataFrame:
    return pd.DataFrame([
        {"term": "nace:C", "scheme": "nace", "code": "C", "label": "Manufacturing", "parent": None,
         "level": 1, "source": "synthetic"},
        {"term": "nace:C20", "scheme": "nace", "code": "C20", "label": "Chemicals", "parent": "C", "level": 2,
         "source": "synthetic"},
        {"term": "fos:2.9", "scheme": "fos", "code": "2.9", "label": "Industrial biotechnology",
         "parent": None, "level": 2, "source": "synthetic"},
    ])


def _strategies() -> pd.DataFrame:
    rows = [
        ("at-s3", "AT", "Österreich", "national", "2021-2027"),
        ("ith5-s3", "ITH5", "Emilia-Romagna", "regional", "2021-2027"),
        ("es70-ris3", "ES70", "Canarias", "regional", "2014-2020"),
    ]
    frame = pd.DataFrame([{
        "strategy_id": sid, "territory_code": code, "territory_name": name, "level": level,
        "title": f"Strategy {sid}", "title_en": f"Strategy {sid}", "period": period,
        "document_url": "", "authority": "", "source_url": "https://example.org/" + sid, "notes": "",
        "status": "current" if int(period[-4:]) >= 2021 else "superseded", "superseded_by": "",
        "source_kind": "official", "last_checked": "2026-01-01", "confidence": "high",
        "country": code[:2], "territory_level": len(code) - 2, "period_start": int(period[:4]),
        "period_end": int(period[-4:])} for sid, code, name, level, period in rows])
    frame["period_end"] = frame["period_end"].astype("Int64")
    return frame


def _priorities() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [("at-s3-1", "at-s3", "Green hydrogen", "C20"), ("ith5-s3-1", "ith5-s3", "Mechatronics", "C"),
            ("ith5-s3-2", "ith5-s3", "Biotech and hydrogen", "C20"),
            ("es70-ris3-1", "es70-ris3", "Tourism", "")]
    priorities = pd.DataFrame([{"priority_id": pid, "strategy_id": sid, "name": name, "description": name,
                                "nace_sections": nace, "source_url": "https://example.org/" + pid,
                                "source_kind": "official", "confidence": "high"}
                               for pid, sid, name, nace in rows])
    tags = []
    for pid, _, _, nace in rows:
        if nace:
            tags.append((pid, f"nace:{nace}", "curated", ""))
            if nace != "C":
                tags.append((pid, "nace:C", "implied-section", ""))
    tags.append(("ith5-s3-2", "fos:2.9", "keyword", "biotech"))
    return priorities, pd.DataFrame(tags, columns=["priority_id", "term", "method", "evidence"])


def _partnerships() -> tuple[pd.DataFrame, pd.DataFrame]:
    partnerships = pd.DataFrame([{
        "partnership_id": "hydrogen_valleys", "name": "Hydrogen valleys",
        "programme": "S3 Thematic Platform: Energy",
        "theme": "Hydrogen", "start_year": 2019, "status": "active", "website_url": "",
        "source_url": "https://example.org/h2", "source_kind": "eu", "last_checked": "2026-01-01",
        "notes": ""}])
    partnerships["start_year"] = partnerships["start_year"].astype("Int64")
    members = pd.DataFrame([
        {"partnership_id": "hydrogen_valleys", "region_name": name, "country": code[:2], "nuts_code": code,
         "role": role, "as_of": "2025-06", "source_url": "https://example.org/h2", "source_kind": "eu",
         "confidence": "high", "notes": ""}
        for name, code, role in (("Emilia-Romagna", "ITH5", "lead"), ("Burgenland", "AT11", "member"),
                                 ("Canarias", "ES70", "member"))])
    return partnerships, members


def synthetic_observatory(path: Path) -> Observatory:
    """A small ``Observatory`` whose build directory is ``path`` (nothing is written there)."""
    priorities, tags = _priorities()
    partnerships, members = _partnerships()
    tables = {"regions": _regions(), "indicators": _values(), "indicator_catalogue": _catalogue(),
              "terms": _terms(), "strategies": _strategies(), "priorities": priorities, "priority_tags": tags,
              "partnerships": partnerships, "partnership_members": members}
    return Observatory(path, tables, {"built_at": "2026-01-01T00:00:00Z", "log": []})
