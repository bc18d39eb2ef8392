"""S3 Observatory: browse Europe's Smart Specialisation Strategies on a map.

Layers, one direction of dependency::

    sources -> ingest -> build -> model -> analysis -> figures -> components/pages -> app

``sources`` knows where every upstream file lives, ``ingest`` turns one kind of file into a clean
table, ``build`` writes the processed artefacts atomically, ``model`` is the typed read API the app
uses, ``analysis`` holds pure computations, ``figures`` pure plotly builders, ``pages`` the Dash UI.
"""

__version__ = "0.1.0"
