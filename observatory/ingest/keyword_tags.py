"""Keyword rules that match priorities to fields of science and to policy objectives.

The S3 records carry curated NACE tags only. To let users filter by scientific domain and by
policy objective anyway, each term below has a few word stems; a priority whose name or
description contains one is tagged with ``method='keyword'`` and the words it matched as
``evidence``, shown in the app next to the tag. The rules are deliberately conservative (a missed
match is better than a wrong one) and are the project's own judgement: correct them here.
Terms without a rule are never matched automatically.
"""

from __future__ import annotations

import re

import pandas as pd

from observatory.text import fold

# term -> stems; a stem matches at the start of a word ("biotech" matches "biotechnology"); a stem
# ending in "$" must be a whole word ("art$" matches "art" but not "artificial").
RULES: dict[str, tuple[str, ...]] = {
    # Fields of science (OECD FOS 2007 sub-fields)
    "fos:1.1": ("mathemat",),
    "fos:1.2": (
        "software",
        "artificial intelligence",
        "data science",
        "big data",
        "computing",
        "cyber",
        "informatics",
        "ict$",
        "information technolog",
        "machine learning",
        "algorithm",
    ),
    "fos:1.3": ("physics", "photonic", "optic", "quantum", "laser"),
    "fos:1.4": ("chemi",),
    "fos:1.5": ("earth observation", "geoscien", "climate science", "oceanograph", "environmental science"),
    "fos:1.6": ("biolog", "genomic", "life science"),
    "fos:2.1": ("civil engineering", "construction", "building"),
    "fos:2.2": (
        "electronic",
        "electrical",
        "microelectronic",
        "semiconductor",
        "telecommunication",
        "sensor",
    ),
    "fos:2.3": ("mechanical", "mechatronic", "machinery", "robot", "automation"),
    "fos:2.4": ("chemical engineering", "process engineering"),
    "fos:2.5": ("material",),
    "fos:2.6": ("medical device", "medtech", "medical technolog", "biomedical engineering"),
    "fos:2.7": ("environmental technolog", "waste", "water treatment", "recycl"),
    "fos:2.9": ("industrial biotech", "bio-based", "biobased", "bioeconom", "biorefin"),
    "fos:2.10": ("nano",),
    "fos:3.2": ("clinical", "cancer", "oncolog", "therap", "patient"),
    "fos:3.3": ("health", "well-being", "wellbeing", "ageing", "aging"),
    "fos:3.4": ("medical biotech", "pharma", "drug"),
    "fos:4.1": ("agricultur", "agri-food", "agrifood", "farming", "forestry", "fisher", "aquacultur"),
    "fos:4.2": ("dairy", "livestock", "animal"),
    "fos:4.4": ("agricultural biotech", "agro-biotech"),
    "fos:5.2": ("business service", "financ", "entrepreneur", "economics"),
    "fos:5.3": ("education", "training", "learning"),
    "fos:5.8": ("media", "audiovisual", "communication"),
    "fos:6.1": ("heritage", "archaeolog", "history"),
    "fos:6.4": ("art$", "arts$", "design", "music", "creative", "cultur"),
    # Policy objectives (Cohesion Policy 2021-2027; see observatory/curated/policy_objectives.csv)
    "policy:po1-research": ("research", "innovation", "advanced technolog", "key enabling", "r&d", "science"),
    "policy:po1-digitisation": (
        "digital",
        "ict$",
        "software",
        "artificial intelligence",
        "data",
        "e-health",
        "e-government",
        "industry 4.0",
    ),
    "policy:po1-sme": (
        "sme$",
        "smes$",
        "small and medium",
        "entrepreneur",
        "start-up",
        "startup",
        "competitiveness",
    ),
    "policy:po1-skills": ("skill", "talent", "education", "training", "human capital"),
    "policy:po1-connectivity": ("broadband", "connectivity", "5g$", "telecommunication network"),
    "policy:po2-energy-efficiency": ("energy efficien", "low-carbon", "low carbon", "decarboni", "emission"),
    "policy:po2-renewables": (
        "renewable",
        "solar",
        "wind energy",
        "wind power",
        "offshore wind",
        "hydrogen",
        "geothermal",
        "biomass",
        "bioenerg",
        "biofuel",
    ),
    "policy:po2-smart-energy": ("smart grid", "energy storage", "batter", "smart energy", "energy system"),
    "policy:po2-climate": ("climate", "resilien", "natural hazard", "disaster"),
    "policy:po2-water": ("water",),
    "policy:po2-circular": (
        "circular",
        "recycl",
        "waste",
        "resource efficien",
        "bio-based",
        "biobased",
        "bioeconom",
    ),
    "policy:po2-nature": ("biodiversity", "nature", "ecosystem", "pollution", "green infrastructure"),
    "policy:po2-urban-mobility": ("urban mobility", "public transport", "electromobility", "e-mobility"),
    "policy:po3": (
        "mobility",
        "transport",
        "logistic",
        "automotive",
        "railway",
        "maritime",
        "aviation",
        "aeronaut",
        "vehicle",
    ),
    "policy:po4": ("social", "inclusi", "health", "care$", "education", "employment", "ageing", "well-being"),
    "policy:po5": (
        "tourism",
        "territor",
        "cultural heritage",
        "rural",
        "urban regeneration",
        "local development",
    ),
}


def _compile(stems: tuple[str, ...]) -> re.Pattern[str]:
    parts = [re.escape(fold(s[:-1])) + r"\b" if s.endswith("$") else re.escape(fold(s)) for s in stems]
    return re.compile(r"\b(" + "|".join(parts) + r")")


_PATTERNS = {term: _compile(stems) for term, stems in RULES.items()}


def keyword_tags(priorities: pd.DataFrame, known_terms: set[str]) -> pd.DataFrame:
    """(priority_id, term, 'keyword', evidence) for every rule that matches a priority's text.

    Only terms present in ``known_terms`` are used, so a rule for a term the taxonomy lacks is
    ignored rather than producing a dangling tag.
    """
    rows = []
    texts = (priorities["name"] + " . " + priorities["description"]).map(fold)
    for pid, text in zip(priorities["priority_id"], texts, strict=True):
        for term, pattern in _PATTERNS.items():
            if term not in known_terms:
                continue
            found = sorted(set(pattern.findall(text)))
            if found:
                rows.append((pid, term, "keyword", ", ".join(found)))
    return pd.DataFrame(rows, columns=["priority_id", "term", "method", "evidence"])
