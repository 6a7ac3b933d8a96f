"""The demo city catalogue: Shaoxing's published figures, generated from a seed.

Pure and deterministic: it reads the word lists under ``data/`` and the default vocabularies,
never CKAN, so the figures can be tested without a database and the loader only writes what
it is handed. Every seed gives exactly ``FIGURES``; the seed only changes which classes,
conditions, dates and sample rows are drawn.

The parts: ``objects`` (what a catalogue is made of, the target figures), ``city`` (the city's
vocabulary and sample values), ``generator`` (``build``), ``drafting`` (a package's fields),
``fitting`` (making the drawn packages add up to the figures). This module is what the loader
and the tests use.
"""
from __future__ import annotations

from ckanext.govdata.demo.generator import build
from ckanext.govdata.demo.objects import (
    API_TYPE,
    CONDITIONAL_DATASTORE_TABLES,
    DATASET_TYPE,
    DEFAULT_SEED,
    FIGURES,
    Catalogue,
    Package,
    SampleTable,
)

__all__ = [
    "API_TYPE",
    "CONDITIONAL_DATASTORE_TABLES",
    "DATASET_TYPE",
    "DEFAULT_SEED",
    "FIGURES",
    "Catalogue",
    "Package",
    "SampleTable",
    "build",
]
