"""The regional indicator catalogue and its assembly into one tidy table.

:data:`INDICATORS` says, for every indicator the observatory shows, what it measures (label,
unit, direction), where it comes from (source ids of :mod:`observatory.sources.catalogue`, the
attribution line shown under a chart) and its role in benchmarking. Following the JRC/Orkestra
regional benchmarking method, *structural* indicators describe conditions that change slowly and
that policy does not move in the short run (population, density, age structure, sector shares,
GDP per head level, R&D intensity, human capital stock, quality of government); regions are
compared with those *similar* in structure. *Performance* indicators are outcomes (growth,
employment, innovation performance, competitiveness) on which similar regions are then compared.
Each structural indicator belongs to one benchmarking dimension (:data:`DIMENSIONS`).

:func:`build_indicators` reads every source, relabels region codes to NUTS 2021
(:mod:`observatory.ingest.crosswalk`) and returns one table with the columns
:data:`TABLE_COLUMNS`. Choices worth knowing:

* Employment rate: tgs00007 contains only the 15-64 age class (no 20-64), used throughout.
* GDP per inhabitant in PPS and its EU27 index come from ``nama_10r_3gdp`` (NUTS 2021, levels
  0-3, 2000-2022, with flags) rather than the ``gdp_pc_pps*`` extracts, which are a later vintage
  coded in NUTS 2024 for the Netherlands and Portugal (so NL31, NL33, PT16-PT18 would be empty).
  Vintages are never mixed within one indicator.
* Real GDP growth is computed from the chain-linked volume index (``gdp_real``, 2015 = 100) as the
  change on the previous year, rounded to 0.1 (the index itself has one decimal).
* Sector shares of employment come from ``lfst_r_lfe2en2`` (2008-2015, NUTS 2013 codes): only codes
  that are also NUTS 2021 codes are kept (pre-2016 French, Polish, Irish... regions are logged).
* Manufacturing: persons employed in section C (SBS 2022) per 1,000 inhabitants (population on
  1 January 2022), and the share of high and medium-high technology divisions (Eurostat's NACE
  2-digit aggregation: C20, C21, C26-C30) in manufacturing employment, only where every division
  is published.
* Derived values carry the union of their inputs' flags; ``m`` marks a value of a merged RCI
  capital area repeated for each member region (see :mod:`observatory.ingest.ec_indices`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from observatory.geography import EU_AGGREGATE
from observatory.ingest.crosswalk import (
    Crosswalk,
    read_nuts2016_crosswalk,
    read_nuts2024_crosswalk,
    to_nuts2021,
)
from observatory.ingest.ec_indices import (
    RCI_2022_INDICATORS,
    RCI_SCORE_ID,
    RIS_INDICATORS,
    rci_2022_indicators,
    rci_evolution_scores,
    read_rci_capital_areas,
    ris_indicators,
)
from observatory.ingest.errors import BuildLog, InputError
from observatory.ingest.eurostat import read_eurostat_table, read_sbs_manufacturing
from observatory.ingest.research import VALUE_COLUMNS, read_rd_per_inhabitant
from observatory.ingest.tabular import merge_flag_columns

Direction = Literal["higher_is_better", "lower_is_better", "neutral"]
Kind = Literal["structural", "performance"]

DIMENSIONS: dict[str, str] = {
    "geography_demography": "Geography and demography",
    "economic_structure": "Economic structure",
    "human_capital": "Human capital",
    "technology_innovation": "Technology and innovation",
    "institutions": "Institutions",
}

TABLE_COLUMNS = ["region", "indicator", "year", "value", "unit", "flag", "source"]

#: BuildLog source name for checks made on the assembled table.
LOG_SOURCE = "indicators"


@dataclass(frozen=True)
class IndicatorSpec:
    """What one indicator is; the ``id`` is stable and used in URLs."""

    id: str
    label: str
    unit: str
    direction: Direction
    source_ids: tuple[str, ...]
    attribution: str
    description: str
    kind: Kind
    dimension: str | None = field(default=None)

    def __post_init__(self) -> None:
        if self.kind == "structural" and self.dimension not in DIMENSIONS:
            raise ValueError(f"{self.id}: a structural indicator needs a dimension from {sorted(DIMENSIONS)}")
        if self.kind == "performance" and self.dimension is not None:
            raise ValueError(f"{self.id}: a performance indicator has no benchmarking dimension")
        if self.direction not in ("higher_is_better", "lower_is_better", "neutral"):
            raise ValueError(f"{self.id}: unknown direction {self.direction!r}")
        if not self.source_ids:
            raise ValueError(f"{self.id}: no source")


_HI, _LO, _NEUTRAL = "higher_is_better", "lower_is_better", "neutral"
_RIS_ATTRIBUTION = "Source: Regional Innovation Scoreboard 2023, © European Union"
_RCI_ATTRIBUTION = "Source: EU Regional Competitiveness Index 2022 (raw data), © European Union"
_RIS_UNIT = "index, EU 2016 = 100"


def _eurostat(code: str, own_calculation: bool = False) -> str:
    return f"Source: Eurostat ({code})" + ("; own calculation" if own_calculation else "")


def _spec(id_: str, *, label: str, unit: str, direction: Direction, sources: Sequence[str], attribution: str,
          description: str, dimension: str | None = None) -> IndicatorSpec:
    """An IndicatorSpec; structural exactly when a benchmarking dimension is given."""
    return IndicatorSpec(id_, label, unit, direction, tuple(sources), attribution, description,
                         "structural" if dimension else "performance", dimension)


def _rci(id_: str, *, label: str, unit: str, direction: Direction, description: str,
         dimension: str | None = None) -> IndicatorSpec:
    return _spec(id_, label=label, unit=unit, direction=direction, sources=["rci_2022"],
                 attribution=_RCI_ATTRIBUTION, description=description, dimension=dimension)


def _ris(id_: str, label: str, what: str) -> IndicatorSpec:
    return _spec(id_, label=f"RIS: {label}", unit=_RIS_UNIT, direction=_HI, sources=["ris_2023"],
                 attribution=_RIS_ATTRIBUTION,
                 description=f"Regional Innovation Scoreboard score for {what}, relative to the EU in 2016.")


_GEO, _ECO, _HUMAN, _TECH, _INST = (
    "geography_demography", "economic_structure", "human_capital", "technology_innovation", "institutions",
)

INDICATORS: tuple[IndicatorSpec, ...] = (
    # --- structural: geography and demography ---------------------------------------------------
    _spec("population", label="Population", unit="persons", direction=_NEUTRAL,
          sources=["demo_r_pjangrp3"], attribution=_eurostat("demo_r_pjangrp3"),
          description="Number of residents on 1 January, both sexes, all ages.", dimension=_GEO),
    _spec("population_density", label="Population density", unit="persons per km²", direction=_NEUTRAL,
          sources=["demo_r_d3dens"], attribution=_eurostat("demo_r_d3dens"),
          description="Average number of residents per square kilometre of land area.", dimension=_GEO),
    _spec("median_age", label="Median age", unit="years", direction=_NEUTRAL,
          sources=["demo_r_pjanind3"], attribution=_eurostat("demo_r_pjanind3"),
          description="Age that divides the resident population into two halves of equal size.",
          dimension=_GEO),
    _spec("old_age_dependency", label="Old-age dependency ratio", unit="persons aged 65+ per 100 aged 15-64",
          direction=_NEUTRAL, sources=["demo_r_pjanind3"], attribution=_eurostat("demo_r_pjanind3"),
          description="Residents aged 65 and over for every hundred residents of working age (15-64).",
          dimension=_GEO),
    _rci("rci_road_accessibility", label="Road accessibility", unit="% of population within 120 km",
         direction=_HI, dimension=_GEO,
         description="Share of the people living within 120 km that can be reached by road within "
                     "90 minutes (2018)."),
    _rci("rci_rail_accessibility", label="Rail accessibility", unit="% of population within 120 km",
         direction=_HI, dimension=_GEO,
         description="Share of the people living within 120 km that can be reached by rail within "
                     "90 minutes (2019)."),
    _rci("rci_passenger_flights", label="Passenger flights", unit="daily passenger flights", direction=_HI,
         dimension=_GEO, description="Number of passenger flights available per day in the region (2019)."),
    # --- structural: economic structure ---------------------------------------------------------
    _spec("gdp_mio_eur", label="GDP", unit="million EUR", direction=_NEUTRAL, sources=["nama_10r_3gdp"],
          attribution=_eurostat("nama_10r_3gdp"), dimension=_ECO,
          description="Gross domestic product at current market prices: the size of the regional economy."),
    _spec("gdp_pc_eur", label="GDP per inhabitant", unit="EUR per inhabitant", direction=_HI,
          sources=["nama_10r_3gdp"], attribution=_eurostat("nama_10r_3gdp"), dimension=_ECO,
          description="Gross domestic product at current prices divided by the population."),
    _spec("gdp_pc_pps", label="GDP per inhabitant (PPS)", unit="PPS per inhabitant", direction=_HI,
          sources=["nama_10r_3gdp"], attribution=_eurostat("nama_10r_3gdp"), dimension=_ECO,
          description="GDP per inhabitant in purchasing power standards, which remove price-level "
                      "differences between countries."),
    _spec("gdp_pc_pps_eu", label="GDP per inhabitant (PPS), EU27 = 100", unit="% of the EU27 average",
          direction=_HI, sources=["nama_10r_3gdp"], attribution=_eurostat("nama_10r_3gdp"), dimension=_ECO,
          description="GDP per inhabitant in purchasing power standards as a percentage of the EU27 "
                      "average."),
    _spec("emp_share_agriculture", label="Employment in agriculture, forestry and fishing",
          unit="% of employment", direction=_NEUTRAL, sources=["lfst_r_lfe2en2"],
          attribution=_eurostat("lfst_r_lfe2en2", own_calculation=True), dimension=_ECO,
          description="Share of employed persons aged 15 and over working in NACE section A "
                      "(2008-2015, regions unchanged since NUTS 2013)."),
    _spec("emp_share_industry", label="Employment in industry (excluding construction)",
          unit="% of employment", direction=_NEUTRAL, sources=["lfst_r_lfe2en2"],
          attribution=_eurostat("lfst_r_lfe2en2", own_calculation=True), dimension=_ECO,
          description="Share of employed persons aged 15 and over working in NACE sections B-E: mining, "
                      "manufacturing and utilities (2008-2015)."),
    _spec("emp_share_ict", label="Employment in information and communication", unit="% of employment",
          direction=_NEUTRAL, sources=["lfst_r_lfe2en2"],
          attribution=_eurostat("lfst_r_lfe2en2", own_calculation=True), dimension=_ECO,
          description="Share of employed persons aged 15 and over working in NACE section J (2008-2015)."),
    _spec("manufacturing_emp_per_1000", label="Manufacturing employment per 1,000 inhabitants",
          unit="persons employed per 1,000 inhabitants", direction=_NEUTRAL,
          sources=["sbs_manufacturing_2022", "demo_r_pjangrp3"],
          attribution="Source: Eurostat (sbs_r_nuts2021, demo_r_pjangrp3); own calculation", dimension=_ECO,
          description="Persons employed in manufacturing enterprises (NACE C) for every thousand residents, "
                      "2022."),
    _spec("hightech_manufacturing_share", label="High and medium-high tech share of manufacturing",
          unit="% of manufacturing employment", direction=_NEUTRAL, sources=["sbs_manufacturing_2022"],
          attribution=_eurostat("sbs_r_nuts2021", own_calculation=True), dimension=_ECO,
          description="Share of manufacturing employment in high and medium-high technology divisions "
                      "(NACE C20, C21, C26-C30), 2022."),
    _rci("rci_kn_employment", label="Employment in finance, real estate and business services",
         unit="% of employment", direction=_NEUTRAL, dimension=_ECO,
         description="Share of employment in NACE sections K-N, averaged over 2017-2019."),
    # --- structural: human capital --------------------------------------------------------------
    _spec("tertiary_attainment", label="Tertiary educational attainment", unit="% of population aged 25-64",
          direction=_HI, sources=["tgs00109"], attribution=_eurostat("tgs00109"), dimension=_HUMAN,
          description="Share of residents aged 25-64 who completed tertiary education (ISCED levels 5-8)."),
    _rci("rci_lifelong_learning", label="Lifelong learning", unit="% of population aged 25-64", direction=_HI,
         dimension=_HUMAN,
         description="Share of adults aged 25-64 who took part in education or training in the previous "
                     "four weeks, averaged over 2019-2021."),
    _rci("rci_early_school_leavers", label="Early leavers from education and training",
         unit="% of population aged 18-24", direction=_LO, dimension=_HUMAN,
         description="Share of 18-24 year-olds with at most lower secondary education and not in further "
                     "education, averaged over 2019-2021."),
    # --- structural: technology and innovation --------------------------------------------------
    _spec("gerd_pc_gdp", label="R&D expenditure (GERD)", unit="% of GDP", direction=_HI, sources=["tgs00042"],
          attribution=_eurostat("tgs00042"), dimension=_TECH,
          description="Intramural research and development expenditure of all sectors as a share of GDP."),
    _spec("rd_business_eur_hab", label="Business R&D expenditure per inhabitant", unit="EUR per inhabitant",
          direction=_HI, sources=["rd_private"], dimension=_TECH,
          attribution="Source: Eurostat (rd_e_gerdreg) via Nesta EURITO indicators",
          description="Research and development spending of the business enterprise sector per resident "
                      "(2014-2018)."),
    _spec("rd_government_eur_hab", label="Government R&D expenditure per inhabitant",
          unit="EUR per inhabitant", direction=_HI, sources=["rd_government"], dimension=_TECH,
          attribution="Source: Eurostat (rd_e_gerdreg) via Nesta EURITO indicators",
          description="Research and development spending of the government sector per resident (2014-2018)."),
    _rci("rci_hrst", label="Human resources in science and technology", unit="% of active population",
         direction=_HI, dimension=_TECH,
         description="Share of the active population with tertiary education or working in a science and "
                     "technology occupation (2021)."),
    # --- structural: institutions ---------------------------------------------------------------
    _rci("rci_eqi_corruption", label="Quality of government: corruption", unit="z-score", direction=_HI,
         dimension=_INST,
         description="European Quality of Government Index pillar on (absence of) corruption in public "
                     "services, 2021; HR02, HR05 and HR06 carry the value of the former HR04."),
    _rci("rci_eqi_quality", label="Quality of government: quality and accountability", unit="z-score",
         direction=_HI, dimension=_INST,
         description="European Quality of Government Index pillar on the quality of public services, 2021."),
    _rci("rci_eqi_impartiality", label="Quality of government: impartiality", unit="z-score", direction=_HI,
         dimension=_INST,
         description="European Quality of Government Index pillar on impartial treatment in public "
                     "services, 2021."),
    _rci("rci_egov_interaction", label="Online interaction with public authorities", unit="% of individuals",
         direction=_HI, dimension=_INST,
         description="Share of people who used the internet to deal with public authorities in the last "
                     "12 months, 2021."),
    # --- performance ------------------------------------------------------------------------------
    _spec("gdp_real_growth", label="Real GDP growth", unit="% change on previous year", direction=_HI,
          sources=["gdp_real"], attribution=_eurostat("nama_10r_2gvagr", own_calculation=True),
          description="Annual change of GDP in volume (chain-linked index, 2015 = 100), rounded to "
                      "0.1 point."),
    _spec("employment_rate", label="Employment rate", unit="% of population aged 15-64", direction=_HI,
          sources=["tgs00007"], attribution=_eurostat("tgs00007"),
          description="Share of residents aged 15-64 who are in employment."),
    _spec("unemployment_rate", label="Unemployment rate", unit="% of labour force aged 15-74", direction=_LO,
          sources=["tgs00010"], attribution=_eurostat("tgs00010"),
          description="Share of the labour force aged 15-74 that is without work and looking for it."),
    _spec(RCI_SCORE_ID, label="Regional Competitiveness Index", unit="z-score (per edition)", direction=_HI,
          sources=["rci_evolution"],
          attribution="Source: EU Regional Competitiveness Index 2010-2019, © European Union "
                      "(Cohesion Open Data)",
          description="Overall RCI score of the 2010, 2013, 2016 and 2019 editions, standardised within each "
                      "edition."),
    _rci("rci_labour_productivity", label="Labour productivity", unit="index, EU27 = 100", direction=_HI,
         description="GDP in purchasing power standards per hour worked relative to the EU27, 2019."),
    _rci("rci_disposable_income", label="Disposable household income per inhabitant",
         unit="index, EU27 = 100", direction=_HI,
         description="Net adjusted disposable household income per resident in purchasing power consumption "
                     "standards relative to the EU27, 2020."),
    _ris("ris_summary", "Summary Innovation Index", "overall innovation performance"),
    _ris("ris_tertiary_education", "Population with tertiary education",
         "the population with tertiary education"),
    _ris("ris_lifelong_learning", "Lifelong learning", "adult participation in lifelong learning"),
    _ris("ris_international_copublications", "International scientific co-publications",
         "scientific co-publications with foreign partners"),
    _ris("ris_top_cited_publications", "Top 10% most-cited publications",
         "scientific publications among the 10% most cited"),
    _ris("ris_digital_skills", "Above-basic digital skills", "people with above-basic digital skills"),
    _ris("ris_rd_public", "Public R&D expenditure", "R&D expenditure of the public sector"),
    _ris("ris_rd_business", "Business R&D expenditure", "R&D expenditure of the business sector"),
    _ris("ris_non_rd_innovation_expenditure", "Non-R&D innovation expenditure",
         "innovation spending other than R&D"),
    _ris("ris_innovation_expenditure_per_employee", "Innovation expenditure per person employed",
         "innovation spending per person employed"),
    _ris("ris_ict_specialists", "Employed ICT specialists", "employment of ICT specialists"),
    _ris("ris_sme_product_innovators", "SMEs introducing product innovations",
         "small and medium-sized firms introducing product innovations"),
    _ris("ris_sme_process_innovators", "SMEs introducing business process innovations",
         "small and medium-sized firms introducing business process innovations"),
    _ris("ris_sme_collaborating", "Innovative SMEs collaborating with others",
         "innovative small and medium-sized firms that cooperate with others"),
    _ris("ris_public_private_copublications", "Public-private co-publications",
         "co-publications between public and private researchers"),
    _ris("ris_pct_patents", "PCT patent applications", "patent applications under the PCT"),
    _ris("ris_trademarks", "Trademark applications", "trademark applications"),
    _ris("ris_designs", "Design applications", "design applications"),
    _ris("ris_knowledge_intensive_employment", "Employment in knowledge-intensive activities",
         "employment in knowledge-intensive activities"),
    _ris("ris_innovative_enterprise_employment", "Employment in innovative enterprises",
         "employment in innovative enterprises"),
    _ris("ris_innovation_sales", "Sales of new-to-market and new-to-firm innovations",
         "turnover from new-to-market and new-to-firm innovations"),
    _ris("ris_fine_particulates", "Air emissions by fine particulates",
         "air emissions of fine particulates (scored so that lower emissions score higher)"),
)

_BY_ID = {spec.id: spec for spec in INDICATORS}
if len(_BY_ID) != len(INDICATORS):  # pragma: no cover - caught at import by any test
    raise ValueError("duplicate indicator id in INDICATORS")


def indicator_spec(indicator_id: str) -> IndicatorSpec:
    """The spec of one indicator; a KeyError lists what exists when the id is unknown."""
    try:
        return _BY_ID[indicator_id]
    except KeyError:
        known = ", ".join(sorted(_BY_ID))
        raise KeyError(f"unknown indicator id {indicator_id!r}; known ids: {known}") from None


# --- assembly ------------------------------------------------------------------------------------


@dataclass
class _Build:
    """What every reader step needs: where files are, the target codes, the log, the crosswalks."""

    resolve: Callable[[str], Path]
    codes: frozenset[str]
    log: BuildLog
    crosswalks: tuple[Crosswalk, ...]
    population: pd.DataFrame | None = None  # tidy population rows, for per-inhabitant ratios


def _select(frame: pd.DataFrame, path: Path, **criteria: str | Sequence[str]) -> pd.DataFrame:
    """Rows whose dimension columns take the given codes; a missing column or no match is an input error."""
    mask = pd.Series(True, index=frame.index)
    for column, wanted in criteria.items():
        if column not in frame.columns:
            raise InputError(path, "required column missing", column=column)
        mask &= frame[column].isin([wanted] if isinstance(wanted, str) else list(wanted))
    if not mask.any():
        raise InputError(path, f"no rows with {criteria}")
    return frame[mask]


def _tidy(frame: pd.DataFrame, indicator: str, build: _Build, source: str,
          key: Sequence[str] = ("year",)) -> pd.DataFrame:
    """geo/year/value/flag rows of one indicator -> tidy rows with NUTS 2021 regions."""
    missing = frame["value"].isna()
    if missing.any():
        build.log.warn(source, f"{indicator}: observations without a value in the source (':' or empty) "
                       "not kept", count=int(missing.sum()))
    frame = frame[~missing]
    frame = to_nuts2021(frame[["geo", *key, "value", "flag"]], source=source, crosswalks=build.crosswalks,
                        nuts2021_codes=build.codes, log=build.log, key=key, label=indicator)
    return frame.assign(indicator=indicator, source=source)[["region", "indicator", "year", "value", "flag",
                                                              "source"]]


def _population(build: _Build) -> pd.DataFrame:
    source = "demo_r_pjangrp3"
    path = build.resolve(source)
    table = read_eurostat_table(path, where={"sex": "T", "age": "TOTAL", "unit": "NR"})
    build.population = _tidy(table, "population", build, source)
    return build.population


def _density(build: _Build) -> pd.DataFrame:
    source = "demo_r_d3dens"
    path = build.resolve(source)
    table = _select(read_eurostat_table(path), path, unit="PER_KM2")
    return _tidy(table, "population_density", build, source)


def _age_structure(build: _Build) -> pd.DataFrame:
    source = "demo_r_pjanind3"
    path = build.resolve(source)
    table = read_eurostat_table(path, where={"indic_de": ["MEDAGEPOP", "OLDDEP1"]})
    return pd.concat([
        _tidy(_select(table, path, indic_de="MEDAGEPOP", unit="YR"), "median_age", build, source),
        _tidy(_select(table, path, indic_de="OLDDEP1", unit="PC"), "old_age_dependency", build, source),
    ])


_GDP_UNITS = {"MIO_EUR": "gdp_mio_eur", "EUR_HAB": "gdp_pc_eur", "PPS_EU27_2020_HAB": "gdp_pc_pps",
              "PPS_HAB_EU27_2020": "gdp_pc_pps_eu"}


def _gdp(build: _Build) -> pd.DataFrame:
    source = "nama_10r_3gdp"
    path = build.resolve(source)
    table = read_eurostat_table(path, where={"unit": list(_GDP_UNITS)})
    return pd.concat([_tidy(_select(table, path, unit=unit), indicator, build, source)
                      for unit, indicator in _GDP_UNITS.items()])


def _gdp_growth(build: _Build) -> pd.DataFrame:
    source = "gdp_real"
    path = build.resolve(source)
    index = _select(read_eurostat_table(path), path, na_item="B1GQ", unit="I15")
    index = index[index["value"].notna()]
    previous = index[["geo", "year", "value", "flag"]].assign(year=index["year"] + 1)
    joined = index.merge(previous, on=["geo", "year"], suffixes=("", "_prev"))
    growth = ((joined["value"] / joined["value_prev"] - 1.0) * 100.0).round(1)
    table = pd.DataFrame({"geo": joined["geo"], "year": joined["year"], "value": growth,
                          "flag": merge_flag_columns([joined["flag"], joined["flag_prev"]])})
    return _tidy(table, "gdp_real_growth", build, source)


def _labour_market(build: _Build) -> pd.DataFrame:
    frames = []
    for source, indicator, criteria in (
        ("tgs00007", "employment_rate", {"sex": "T", "age": "Y15-64", "unit": "PC"}),
        ("tgs00010", "unemployment_rate", {"sex": "T", "age": "Y15-74", "unit": "PC", "isced11": "TOTAL"}),
        ("tgs00109", "tertiary_attainment", {"sex": "T", "age": "Y25-64", "unit": "PC", "isced11": "ED5-8"}),
        ("tgs00042", "gerd_pc_gdp", {"sectperf": "TOTAL", "unit": "PC_GDP"}),
    ):
        path = build.resolve(source)
        frames.append(_tidy(_select(read_eurostat_table(path), path, **criteria), indicator, build, source))
    return pd.concat(frames)


_SECTOR_SHARES = {"A": "emp_share_agriculture", "B-E": "emp_share_industry", "J": "emp_share_ict"}


def _sector_shares(build: _Build) -> pd.DataFrame:
    source = "lfst_r_lfe2en2"
    path = build.resolve(source)
    table = read_eurostat_table(path, where={"age": "Y_GE15", "unit": "THS"})
    total = _select(table, path, nace_r2="TOTAL")[["geo", "year", "value", "flag"]]
    frames = []
    for section, indicator in _SECTOR_SHARES.items():
        part = _select(table, path, nace_r2=section)[["geo", "year", "value", "flag"]]
        joined = part.merge(total, on=["geo", "year"], suffixes=("", "_total"))
        share = (joined["value"] / joined["value_total"] * 100.0).where(joined["value_total"] > 0).round(1)
        frames.append(_tidy(pd.DataFrame({
            "geo": joined["geo"], "year": joined["year"], "value": share,
            "flag": merge_flag_columns([joined["flag"], joined["flag_total"]]),
        }), indicator, build, source))
    return pd.concat(frames)


_HIGH_MEDIUM_HIGH_TECH = ("C20", "C21", "C26", "C27", "C28", "C29", "C30")


def _manufacturing(build: _Build) -> pd.DataFrame:
    source = "sbs_manufacturing_2022"
    path = build.resolve(source)
    table, empty_regions = read_sbs_manufacturing(path)
    if empty_regions:
        build.log.warn(source, "regions listed without any manufacturing data", count=len(empty_regions),
                       examples=empty_regions)
    wide = table.pivot_table(index=["geo", "year"], columns="nace_r2", values="value", aggfunc="first",
                             dropna=False)
    missing = [code for code in ("C", *_HIGH_MEDIUM_HIGH_TECH) if code not in wide.columns]
    if missing:
        raise InputError(path, f"manufacturing divisions missing: {missing}", column="Sector")
    wide = wide.reset_index()
    tech = wide[list(_HIGH_MEDIUM_HIGH_TECH)]
    complete = tech.notna().all(axis=1) & (wide["C"] > 0)
    if (~complete).any():
        build.log.warn(source, "hightech_manufacturing_share: regions where a division is not published "
                       "(confidential or missing) get no value", count=int((~complete).sum()),
                       examples=sorted(wide.loc[~complete, "geo"])[:20])
    share = (tech.sum(axis=1) / wide["C"] * 100.0).round(1)
    hightech = pd.DataFrame({"geo": wide["geo"], "year": wide["year"], "value": share.where(complete),
                             "flag": ""})
    frames = [_tidy(hightech, "hightech_manufacturing_share", build, source)]
    # Per 1,000 inhabitants: relabel first, then join the (already NUTS 2021) population of that year.
    employed = _tidy(wide[["geo", "year"]].assign(value=wide["C"], flag=""), "manufacturing_employed",
                     build, source)
    population = build.population if build.population is not None else _population(build)
    joined = employed.merge(population[["region", "year", "value", "flag"]], on=["region", "year"],
                            suffixes=("", "_pop"), how="left")
    no_population = joined["value_pop"].isna()
    if no_population.any():
        build.log.warn(source, "manufacturing_emp_per_1000: no population for the region and year",
                       count=int(no_population.sum()),
                       examples=sorted(joined.loc[no_population, "region"])[:20])
    joined = joined[~no_population]
    frames.append(pd.DataFrame({
        "region": joined["region"], "indicator": "manufacturing_emp_per_1000", "year": joined["year"],
        "value": (joined["value"] / joined["value_pop"] * 1000.0).round(1),
        "flag": merge_flag_columns([joined["flag"], joined["flag_pop"]]), "source": source,
    }))
    return pd.concat(frames)


def _research(build: _Build) -> pd.DataFrame:
    frames = []
    for source, indicator in (("rd_private", "rd_business_eur_hab"),
                              ("rd_government", "rd_government_eur_hab")):
        table = read_rd_per_inhabitant(build.resolve(source), VALUE_COLUMNS[source])
        frames.append(_tidy(table, indicator, build, source))
    return pd.concat(frames)


def _ris(build: _Build) -> pd.DataFrame:
    return ris_indicators(build.resolve("ris_2023"), build.codes, build.log).assign(source="ris_2023")


def _rci(build: _Build) -> pd.DataFrame:
    path = build.resolve("rci_2022")
    latest = rci_2022_indicators(path, build.log).assign(source="rci_2022")
    crosswalk_2016 = next(walk for walk in build.crosswalks if walk.version == "2016")
    editions = rci_evolution_scores(build.resolve("rci_evolution"), crosswalk_2016=crosswalk_2016,
                                    capital_areas=read_rci_capital_areas(path), nuts2021_codes=build.codes,
                                    log=build.log).assign(source="rci_evolution")
    return pd.concat([latest, editions])


#: Reader steps in build order (population first: the manufacturing ratio needs it).
_STEPS: tuple[Callable[[_Build], pd.DataFrame], ...] = (
    _population, _density, _age_structure, _gdp, _gdp_growth, _labour_market, _sector_shares,
    _manufacturing, _research, _ris, _rci,
)


def build_indicators(
    resolve: Callable[[str], Path], nuts2021_codes: frozenset[str], log: BuildLog
) -> pd.DataFrame:
    """Every indicator of :data:`INDICATORS` as one tidy table (columns :data:`TABLE_COLUMNS`).

    ``resolve(source_id)`` gives the local path of a source file; ``nuts2021_codes`` is the set of
    NUTS 2021 codes (levels 0-3). Regions are NUTS 2021 codes or ``EU27_2020``; rows of any other
    code are logged and dropped; (region, indicator, year) is unique.
    """
    crosswalks = (read_nuts2024_crosswalk(resolve("nuts2021_2024")),
                  read_nuts2016_crosswalk(resolve("nuts2021_classification")))
    build = _Build(resolve=resolve, codes=frozenset(nuts2021_codes), log=log, crosswalks=crosswalks)
    table = pd.concat([step(build) for step in _STEPS], ignore_index=True)
    table = table[table["indicator"].isin(_BY_ID)]  # drops helper series such as manufacturing_employed
    known = table["region"].isin(build.codes) | (table["region"] == EU_AGGREGATE)
    if not known.all():
        bad = table.loc[~known]
        log.warn(LOG_SOURCE, "rows dropped: region is not a NUTS 2021 code", count=int((~known).sum()),
                 examples=[f"{r} ({i})" for r, i in bad[["region", "indicator"]].drop_duplicates().head(20)
                           .itertuples(index=False)])
        table = table[known]
    duplicated = table.duplicated(subset=["region", "indicator", "year"], keep=False)
    if duplicated.any():
        example = table[duplicated].head(3).to_dict("records")
        raise ValueError(f"{int(duplicated.sum())} duplicate (region, indicator, year) rows, e.g. {example}")
    absent = sorted(set(_BY_ID) - set(table["indicator"]))
    if absent:
        raise ValueError(f"indicators without any value: {absent}")
    units = {spec.id: spec.unit for spec in INDICATORS}
    out = pd.DataFrame({
        "region": table["region"].astype(str),
        "indicator": table["indicator"].astype(str),
        "year": table["year"].astype("int64"),
        "value": table["value"].astype("float64"),
        "unit": table["indicator"].map(units).astype(str),
        "flag": table["flag"].fillna("").astype(str),
        "source": table["source"].astype(str),
    })
    out = out[np.isfinite(out["value"])]
    return out.sort_values(["indicator", "region", "year"], kind="stable").reset_index(drop=True)


def ris_indicator_ids() -> tuple[str, ...]:
    """Ids of the RIS series, in scoreboard order (for pages that list them as a group)."""
    return tuple(RIS_INDICATORS.values())


def rci_2022_indicator_ids() -> tuple[str, ...]:
    """Ids of the RCI 2022 raw indicators kept."""
    return tuple(RCI_2022_INDICATORS.values())
