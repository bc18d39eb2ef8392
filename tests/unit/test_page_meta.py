"""Each page's HTML names what it shows: <title>, meta description and link-preview tags."""

from __future__ import annotations

import re

import pytest


def _meta(html: str) -> dict[str, str]:
    found = dict(re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', html))
    found["title"] = re.search(r"<title>(.*?)</title>", html).group(1)
    return found


@pytest.mark.parametrize(("path", "title", "words"), [
    ("/", "Map explorer – S3 Observatory", "NUTS regions"),
    ("/region/ITH5", "Emilia-Romagna – S3 Observatory", "Emilia-Romagna (ITH5, NUTS 2)"),
    ("/benchmark?region=AT11", "Benchmark Burgenland (AT11) against its peers – S3 Observatory", "peers"),
    ("/strategies", "Strategies – S3 Observatory", "strategies"),
    ("/about/data", "Coverage and sources – S3 Observatory", "sources"),
])
def test_title_description_and_previews_name_the_page(client, path, title, words):
    html = client.get(path).get_data(as_text=True)
    meta = _meta(html)
    assert meta["title"] == meta["og:title"] == meta["twitter:title"] == title
    assert words in meta["description"] and meta["og:description"] == meta["description"]
    assert '<html lang="en">' in html


def test_a_partnership_page_describes_that_partnership(client, obs):
    pid = obs.partnerships.index[0]
    meta = _meta(client.get(f"/partnerships/{pid}").get_data(as_text=True))
    name = str(obs.partnerships.loc[pid, "name"]).replace("&", "&amp;")
    assert meta["title"].startswith(name) and meta["description"].startswith(name)
