"""S3 Observatory: browse Europe's Smart Specialisation Strategies on a map.

Layers, one direction of dependency (checked by ``lint-imports``, see ``pyproject.toml``)::

    sources -> ingest -> build -> model -> analysis -> state | figures -> components -> pages -> web

``sources`` knows where every upstream file lives, ``ingest`` turns one kind of file into a clean
table, ``build`` writes the processed artefacts atomically, ``model`` is the typed read API the app
uses, ``analysis`` holds pure computations, ``state`` each page's URL-carried view, ``figures``
pure plotly builders, ``components`` shared Dash pieces and the page context, ``pages`` the Dash
UI, ``web`` the server. ``config``, ``text`` and ``geography`` are facts every layer may read.
"""

__version__ = "0.1.0"
