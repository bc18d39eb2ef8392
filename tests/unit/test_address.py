"""Which page an address is: how a page's own address callback tells its page from the next one."""

from __future__ import annotations

import pytest

from observatory.components.address import is_page


@pytest.mark.parametrize(("pathname", "path", "prefix", "expected"), [
    ("/", "/", "/", True),
    ("/strategies", "/", "/", False),
    ("/strategies", "/strategies", "/", True),
    ("/strategies/", "/strategies", "/", True),
    ("/strategiesx", "/strategies", "/", False),
    ("/obs/strategies", "/strategies", "/obs/", True),
    ("/strategies", "/strategies", "/obs/", False),
    ("/obs/", "/", "/obs/", True),
    ("/obs", "/", "/obs/", True),
    (None, "/", "/", False),
    ("", "/strategies", "/", False),
])
def test_is_page(pathname, path, prefix, expected):
    assert is_page(pathname, path, prefix) is expected
