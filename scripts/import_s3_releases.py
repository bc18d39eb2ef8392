"""One-off, idempotent import of the staged S3 record releases into the curated dataset.

From this import on, ``observatory/curated/s3/`` is the single source of truth for the S3
records, edited by pull request; the staged releases (``<data>/s3/`` = release 1, compiled
2026-11-22, and ``<data>/s3-release-2/`` = release 2, compiled 2026-12-03) are only read here.
Re-running the import changes nothing: rows already in the curated files win (so curators' later
edits and rows added by hand survive), new rows are added, and every file is written sorted.

The rules that fill the columns the releases lack are documented in
``observatory/curated/s3/README.md`` and implemented once here:

* ``status``/``superseded_by`` (:func:`assign_status`),
* ``source_kind`` from the explicit, hand-reviewed domain lists (:func:`source_kind`),
* ``last_checked`` = the release's compilation date,
* ``confidence`` of strategies (:func:`strategy_confidence`), never 'high' on a second-hand source
  for priorities and members (:func:`capped_confidence`), partnerships' ``status``.

The Czech ``s3/ris3_cz/*.json`` files are not imported: the build does not read records from them.

Usage: ``python scripts/import_s3_releases.py [--data DIR] [--out DIR]``
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "observatory" / "curated" / "s3"

RELEASES = (("s3", "2026-11-22"), ("s3-release-2", "2026-12-03"))

COLUMNS = {
    "strategies.csv": [
        "strategy_id", "territory_code", "territory_name", "level", "title", "title_en", "period",
        "status", "superseded_by", "document_url", "authority", "source_url", "source_kind",
        "last_checked", "confidence", "notes",
    ],
    "priorities.csv": [
        "priority_id", "strategy_id", "name", "description", "nace_sections", "source_url",
        "source_kind", "confidence", "notes",
    ],
    "partnerships.csv": [
        "partnership_id", "name", "programme", "theme", "start_year", "status", "website_url",
        "source_url", "source_kind", "last_checked", "notes",
    ],
    "partnership_members.csv": [
        "partnership_id", "region_name", "country", "nuts_code", "role", "as_of", "source_url",
        "source_kind", "confidence", "notes",
    ],
}
CONTACT_COLUMNS = [
    "strategy_id", "office", "organisation", "web_url", "email", "source_url", "source_kind",
    "last_checked", "notes",
]
EXPECTED_COLUMNS = [
    "country", "territory_code", "territory_name", "level", "evidence_url", "source_kind", "notes",
]

# --- source_kind: explicit domain lists, reviewed by hand (a domain matches itself and its
# subdomains). Every domain cited by the two releases is in exactly one list; a domain in none
# is reported by the import and left empty, which the build rejects until it is classified.
MIRROR_DOMAINS = frozenset({
    "123dok.org", "123dok.com", "abcdocz.com", "businessdocbox.com", "docplayer.gr", "docplayer.it",
    "docplayer.net", "docplayer.es", "docplayer.fr", "docplayer.pl", "docslib.org", "dokumen.tips",
    "documents.pub", "fdocumenti.com", "investguiding.com", "paperzz.com", "pdffox.com",
    "pdfslide.net", "readkong.com", "scribd.com", "slideplayer.com", "slideshare.net",
    "studylib.net", "studylibfr.com", "vdocuments.site", "vdocuments.mx", "yumpu.com",
})
EU_DOMAINS = frozenset({
    "europa.eu", "interregeurope.eu", "interreg4c.eu", "clustercollaboration.eu", "urbact.eu",
    "traceabilityandbigdata.eu", "i4ce.eu", "smarter-together.eu", "saphire-eu.eu", "know-hub.eu",
})
SECONDARY_DOMAINS = frozenset({
    # news
    "administracionpublicadigital.es", "agendaempresa.com", "alicanteplaza.es", "ansa.it",
    "barlavento.pt", "barlavento.sapo.pt", "sapo.pt", "blogsicilia.it", "diariodeburgos.es",
    "dramini.gr", "ecomnews.fr", "eestielu.goodnews.ee", "elespanol.com", "elmiradordigital.es",
    "europapress.es", "fr.planet-business.be", "greenreport.it", "ilrestodelcarlino.it",
    "infoploiesticity.ro", "italpress.com", "jornalc.pt", "karditsapress.gr", "lejournaldeleco.fr",
    "macommune.info", "meretmarine.com", "miciudadreal.es", "montpellier-infos.fr", "nealefkadas.gr",
    "noticiasdenavarra.com", "oatual.pt", "observatorcl.info", "ogginotizie.it", "swr.de",
    "tastv.gr", "tenerifeweekly.com", "tornosnews.gr", "transilvaniabusiness.ro", "umbriadomani.it",
    "usinenouvelle.com", "zetwal.mq", "fonduri-structurale.ro", "grantex.sk",
    # associations, networks, chambers, clusters, consultants, research, code hosting
    "adlbacau.ro", "afil.it", "arcfund.net", "bio.nrw.de", "bureaubuiten.nl", "cambramanresa.cat",
    "chimicaverdelombardia.it", "cluster-thueringen.de", "csu.de", "demo.smart.intervi.pl",
    "ecin.de", "ecrn.net", "enertic.org", "errin.eu", "eu-kommunal-kompass-21-27.de",
    "fundacjaris.pl", "futuresax.de", "gesundheit-digital.nrw", "github.com", "icer-grp.com",
    "ihk.de", "invest-in-silesia.pl", "isi.fraunhofer.de", "kinno.eu", "markaw.pl", "necstour.eu",
    "pepattikis.gr", "pepna.gr", "pimem.es", "podkarpackie.eu", "polenergie.org", "roreg.eu",
    "s3vanguardinitiative.eu", "som.szczecin.pl", "spinno.pl", "technopolis-group.com",
    "transfermagazin.steinbeis.de", "up2europe.eu", "urbaniq.nl", "vditz.de", "vdivde-it.de",
    "wagralim.be", "wielkopolskieforumis.pl", "brainportnetwork.nl",
})
OFFICIAL_DOMAINS = frozenset({
    "adrse.ro", "algarve2020.pt", "arcticsmartness.fi", "arti.puglia.it", "bmbwf.gv.at",
    "borsus.wallonie.be", "bretagne.bzh", "bundesbericht-forschung-innovation.de",
    "campaniacompetitiva.it", "ccdr-a.gov.pt", "ccdr-n.pt", "chiefscientist.gov.cy",
    "cindi.gva.es", "clusterplattform.de", "compete2030.gov.pt", "comunidad.madrid",
    "devup-centrevaldeloire.fr", "dgepcd.gov.cy", "drg.pomorskie.eu", "dytikiellada.gr",
    "eimin.lrv.lt", "ekarjala.fi", "em.gov.lv", "utvecklanorrbotten.se",
    "enseignementsup-recherche.gouv.fr", "enterprise.gov.ie", "epliitto.fi",
    "erhvervsfremmebestyrelsen.dk", "esavo.fi", "estrategia.net", "region-stuttgart.de",
    "euroinfosicilia.it", "europe-en-nouvelle-aquitaine.eu", "ewt.podkarpackie.pl",
    "eydpelop2127.gr", "gospodarka.pomorskie.eu", "gotland.se", "gouvernement.lu", "gov.si",
    "hamburg.de", "helsinkismart.fi", "innovamolise.it", "innoviris.brussels",
    "innovonslareunion.com", "innowacyjna.malopolska.pl", "innowacyjni.mazovia.pl",
    "institutofomentomurcia.es", "flandersinvestmentandtrade.com", "warmia.mazury.pl",
    "investinlodzkie.com", "investinlowersilesia.com", "investinlubuskie.pl", "kainuunliitto.fi",
    "kansenvoorwest2.nl", "kymenlaakso.fi", "lazioinnova.it", "legislatie.just.ro",
    "madeira.gov.pt", "mcst.gov.mt", "mig.government.bg", "mkm.ee", "nkfih.gov.hu", "nord-vest.ro",
    "obotnia.fi", "opolskie.pl", "pohjois-pohjanmaa.fi", "rakennerahastot.fi",
    "regionvastmanland.se", "regionblekinge.se", "regiondalarna.se", "regiongavleborg.se",
    "regionhalland.se", "regionjh.se", "regionorebrolan.se", "regionostergotland.se",
    "regionstockholm.se", "regionvasterbotten.se", "researchitaly.it", "ris.slaskie.pl",
    "ris3.azores.gov.pt", "ris3.ccdrc.pt", "ris3.cz", "ris3extremadura.es", "ris4regiondemurcia.es",
    "risjk.cz", "rismsk.cz", "rot.podkarpackie.pl", "rpo.lubuskie.pl", "rrvz.hr", "rvn.se",
    "saarland.de", "sardegnaprogrammazione.it", "satakunta.fi", "schleswig-holstein.de",
    "sachsen.de", "senatspressestelle.bremen.de", "siea.sk", "slaskie.pl", "smart.gov.pl",
    "smart.wzp.pl", "snn.nl", "spri.eus", "sri-occitanie.fr", "stk.niedersachsen.de",
    "strategia.wrotapodlasia.pl", "strategy.bg", "tillvaxtverket.se", "tradeandinvest.lu",
    "trentinoinnovation.eu", "umwd.dolnyslask.pl", "umweltbericht.at", "uppervision.at",
    "utvecklasormland.se", "utveckling.rjl.se", "vaia.gov.sk", "varmlandstrafik.se",
    "varsinais-suomi.fi", "verwaltung.steiermark.at", "vgregion.se", "vlaio.be",
    "wirtschaft.hessen.de", "wirtschaft.nrw", "wirtschaft.thueringen.de", "wrpo.wielkopolskie.pl",
    "provgo.regione.fvg.it", "mpo.gov.cz",
})
# Government-like suffixes and prefixes: national government domains and Italian regions.
OFFICIAL_SUFFIXES = (".gov.pt", ".gov.cy", ".gv.at", ".gouv.fr", ".gov.cz", ".gov.pl", ".gov.gr")
OFFICIAL_LABELS = re.compile(r"(^|\.)regione\.[a-z-]+\.it$|(^|\.)regione\.[a-z-]+\.it$")
KIND_LISTS = (("mirror", MIRROR_DOMAINS), ("eu", EU_DOMAINS), ("secondary", SECONDARY_DOMAINS),
              ("official", OFFICIAL_DOMAINS))


def host_of(url: str) -> str:
    """The URL's host without ``www.`` and trailing dot (``slideplayer.com.`` appears in a row)."""
    host = (urlparse(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def _in(host: str, domains: frozenset[str]) -> bool:
    parts = host.split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts)))


def source_kind(url: str) -> str:
    """Classify a source URL as official / eu / secondary / mirror; '' when no rule applies.

    The explicit lists come first (a mirror or an EU site is never reclassified by a suffix),
    then the government suffixes and the Italian ``regione.<name>.it`` pattern.
    """
    host = host_of(url)
    if not host:
        return ""
    for kind, domains in KIND_LISTS:
        if _in(host, domains):
            return kind
    if host.endswith(OFFICIAL_SUFFIXES) or OFFICIAL_LABELS.search(host):
        return "official"
    return ""


# --- periods and status


def period_bounds(period: str) -> tuple[int | None, int | None]:
    """(start, end) of a period such as ``2021-2027``, ``2019-`` or ``-2030``; None when open."""
    match = re.fullmatch(r"(\d{4})?-(\d{4})?", period.strip())
    if not match:
        return None, None
    start, end = match.groups()
    return (int(start) if start else None, int(end) if end else None)


CURRENT_FROM = 2021  # a strategy reaching 2021 or later (or open-ended) belongs to 2021-2027


def assign_status(strategies: list[dict]) -> None:
    """Fill ``status``/``superseded_by`` where empty (curated values are kept).

    Rule: a strategy is ``superseded`` when a later-starting strategy of the same level is
    recorded for the same territory (or, for one ending before 2021, for a territory containing
    or contained in it, as Aquitaine FRI1 -> Nouvelle-Aquitaine FRI); ``superseded_by`` names the
    earliest such successor. Otherwise a strategy whose period ends before 2021 is ``superseded``
    with an empty ``superseded_by``: every territory had to adopt a 2021-2027 S3 (an enabling
    condition of the ERDF), so its successor exists even when it is not recorded yet. Everything
    else (ending 2021 or later, open-ended, or of unknown period) is ``current``.
    """
    for row in strategies:
        if row.get("status"):
            continue
        start, end = period_bounds(row["period"])
        candidates = []
        for other in strategies:
            if other is row or other["level"] != row["level"]:
                continue
            o_start, _ = period_bounds(other["period"])
            if o_start is None or start is None or o_start <= start:
                continue
            same = other["territory_code"] == row["territory_code"]
            nested = other["territory_code"].startswith(row["territory_code"]) or row[
                "territory_code"
            ].startswith(other["territory_code"])
            if same or (end is not None and end < CURRENT_FROM and nested):
                candidates.append((not same, o_start, other["strategy_id"]))
        if candidates:
            row["status"] = "superseded"
            row["superseded_by"] = min(candidates)[2]
        elif end is not None and end < CURRENT_FROM:
            row["status"] = "superseded"
            row["superseded_by"] = ""
        else:
            row["status"] = "current"
            row["superseded_by"] = ""


DOUBT = re.compile(
    r"\b(doubt\w*|uncertain|unclear|draft|judgement|not confirmed|not verified|assum\w+|probabl\w+)",
    re.I,
)


def strategy_confidence(row: dict) -> str:
    """'high' for an official or EU source with no stated doubt, else 'medium' (release README)."""
    if row["source_kind"] in ("official", "eu") and not DOUBT.search(row.get("notes", "")):
        return "high"
    return "medium"


def capped_confidence(row: dict) -> str:
    """The release's confidence, but never 'high' on a second-hand (secondary or mirror) source:
    the build refuses that combination (README, "confidence")."""
    confidence = row.get("confidence", "")
    if confidence == "high" and row["source_kind"] not in ("official", "eu"):
        return "medium"
    return confidence


def partnership_status(notes: str) -> str:
    """active / closed only when the notes say so ("Status: active", "closed", "ended")."""
    text = notes.lower()
    if re.search(r"status:\s*active|\bactive\b \(", text):
        return "active"
    if re.search(r"status:\s*(closed|ended|inactive)", text):
        return "closed"
    return "unknown"


# --- reading / writing


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") or "" for c in columns})
    path.write_text(buffer.getvalue(), encoding="utf-8")


def member_key(row: dict) -> tuple[str, str, str]:
    """A member is one region (by NUTS code) or one named body (no code) in one partnership."""
    return (row["partnership_id"], row["nuts_code"], "" if row["nuts_code"] else row["region_name"])


KEYS = {
    "strategies.csv": lambda r: r["strategy_id"],
    "priorities.csv": lambda r: r["priority_id"],
    "partnerships.csv": lambda r: r["partnership_id"],
    "partnership_members.csv": member_key,
}


def staged_rows(data_dir: Path, name: str) -> list[dict]:
    """Rows of one file across the releases, with the release's date and the derived columns."""
    rows = []
    for folder, compiled in RELEASES:
        path = data_dir / folder / name
        if not path.exists():
            continue
        for raw in read_csv(path):
            row = {k: (v or "").strip() for k, v in raw.items()}
            row.setdefault("notes", "")
            row["source_kind"] = source_kind(row["source_url"])
            if name in ("strategies.csv", "partnerships.csv"):
                row["last_checked"] = compiled
            if name == "strategies.csv":
                row["confidence"] = strategy_confidence(row)
            elif name in ("priorities.csv", "partnership_members.csv"):
                row["confidence"] = capped_confidence(row)
            if name == "partnerships.csv":
                row["status"] = partnership_status(row["notes"])
            rows.append(row)
    return rows


def deduplicate_strategies(rows: list[dict], log: list[str]) -> tuple[list[dict], dict[str, str]]:
    """Keep the first (release 1 before release 2) of strategies with the same id, or the same
    territory, level and period twice; return the kept rows and dropped id -> kept id."""
    kept, seen_ids, seen_keys, replaced = [], set(), {}, {}
    for row in rows:
        key = (row["territory_code"], row["level"], row["period"])
        if row["strategy_id"] in seen_ids:
            log.append(f"strategy {row['strategy_id']}: same id twice, first kept")
            continue
        if row["period"] and key in seen_keys:
            first = seen_keys[key]
            log.append(
                f"strategy {row['strategy_id']}: same territory/period as {first['strategy_id']}, "
                f"kept {first['strategy_id']}"
            )
            first["notes"] = (
                first["notes"] + f" Import: a second record of the same territory and period "
                f"({row['strategy_id']}: {row['title']}, {row['source_url']}) was merged into this one."
            ).strip()
            replaced[row["strategy_id"]] = first["strategy_id"]
            continue
        seen_ids.add(row["strategy_id"])
        seen_keys[key] = row
        kept.append(row)
    return kept, replaced


def merge(existing: list[dict], staged: list[dict], key) -> list[dict]:
    """Curated rows win; staged rows with a new key are added; sorted by key."""
    have = {key(r) for r in existing}
    out = list(existing)
    for row in staged:
        if key(row) not in have:
            out.append(row)
            have.add(key(row))
    return sorted(out, key=key)


def import_releases(data_dir: Path, out_dir: Path) -> list[str]:
    """Import both releases into ``out_dir``; return the log lines (dedup, unclassified URLs)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    log: list[str] = []
    strategies, replaced = deduplicate_strategies(staged_rows(data_dir, "strategies.csv"), log)
    staged = {
        "strategies.csv": strategies,
        "priorities.csv": staged_rows(data_dir, "priorities.csv"),
        "partnerships.csv": staged_rows(data_dir, "partnerships.csv"),
        "partnership_members.csv": [],
    }
    for row in staged["priorities.csv"]:
        if row["strategy_id"] in replaced:
            row["strategy_id"] = replaced[row["strategy_id"]]
    members, seen = [], set()
    for row in staged_rows(data_dir, "partnership_members.csv"):
        if member_key(row) in seen:
            log.append(f"member {member_key(row)}: listed twice, first kept")
            continue
        seen.add(member_key(row))
        members.append(row)
    staged["partnership_members.csv"] = members

    merged = {}
    for name in COLUMNS:
        path = out_dir / name
        existing = read_csv(path) if path.exists() else []
        merged[name] = merge(existing, staged[name], KEYS[name])
    assign_status(merged["strategies.csv"])
    for name, rows in merged.items():
        for row in rows:
            if not row.get("source_kind"):
                log.append(f"{name} {KEYS[name](row)}: source_kind not classified ({row['source_url']})")
        write_csv(out_dir / name, COLUMNS[name], rows)
    for name, columns in (("contact_points.csv", CONTACT_COLUMNS),
                          ("expected_territories.csv", EXPECTED_COLUMNS)):
        if not (out_dir / name).exists():
            write_csv(out_dir / name, columns, [])
    return log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    for line in import_releases(args.data, args.out):
        print(line)  # noqa: T201 (a command-line report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
