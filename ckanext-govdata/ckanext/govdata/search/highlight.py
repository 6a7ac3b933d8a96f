"""Matches marked in the titles and descriptions of one page of search results.

CKAN's ``package_search`` does not pass Solr's highlighting on (and refuses ``hl`` parameters),
and the action API's search stays as it is. So the page asks Solr once more, after its search:
for the datasets on the page only (``fq`` on their index ids), with the query the search ran
(``search.query.shape``) as the highlight query. Solr's unified highlighter marks the matched
terms and escapes everything else (``hl.encoder=html``, so a title holding ``<script>`` stays
text); a snippet holding any other markup is not used. If Solr fails, the page has no marks.
"""
from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from typing import Any

import pysolr
from ckan.common import config
from markupsafe import Markup

from ckanext.govdata.search import connection, query

log = logging.getLogger(__name__)
FIELDS = ("title", "notes")
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
# About as long as the description CKAN shows without marks (package_item.html: 180).
NOTES_LENGTH = 180
Highlights = dict[str, dict[str, Markup]]


def index_id(dataset_id: str) -> str:
    """The dataset's key in the index, as CKAN's indexer makes it (ckan.lib.search.index)."""
    return hashlib.md5(f"{dataset_id}{config.get('ckan.site_id')}".encode()).hexdigest()  # a key, not a secret


def _params(highlight_query: str, index_ids: list[str]) -> dict[str, Any]:
    return {
        "fq": "+index_id:({})".format(" OR ".join(f'"{key}"' for key in index_ids)),
        "fl": "index_id,id",
        "rows": len(index_ids),
        "hl": "true",
        "hl.method": "unified",
        "hl.fl": ",".join(FIELDS),
        "hl.q": highlight_query,
        "hl.qparser": "lucene",
        # The query names title_words, text … and the terms are the same bigrams in title/notes.
        "hl.requireFieldMatch": "false",
        "hl.encoder": "html",
        "hl.tag.pre": MARK_OPEN,
        "hl.tag.post": MARK_CLOSE,
        "hl.snippets": 1,
        "hl.defaultSummary": "false",
        "f.title.hl.bs.type": "WHOLE",
        "f.notes.hl.fragsize": NOTES_LENGTH,
    }


SAFE_SNIPPET = re.compile(r"[^<>]*")


def _safe(snippet: str) -> Markup | None:
    """The snippet as markup if, besides the marks, it holds only escaped text."""
    if not SAFE_SNIPPET.fullmatch(snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")):
        return None
    return Markup(snippet)  # escaped by Solr (hl.encoder), checked above


def highlights(q: Any, dataset_ids: Iterable[str]) -> Highlights:
    """Dataset id -> {"title": …, "notes": …}: the fields in which ``q`` matched, with the
    matched terms in ``<mark>``. Empty for a query that is not typed text."""
    ids = list(dict.fromkeys(dataset_ids))
    if not ids or not isinstance(q, str) or not query.is_free_text(q):
        return {}
    shaped = query.shape({"q": q})
    if shaped["q"] == "*:*":
        return {}
    keys = {index_id(dataset_id): dataset_id for dataset_id in ids}
    try:
        # The edismax query in hl.q reads the rest of what shape() set (qf, mm …) from the request,
        # as in the search.
        shared = {name: value for name, value in shaped.items() if name not in ("q", "defType")}
        response = connection.searcher().search(q="*:*", **_params(shaped["q"], list(keys)), **shared)
    except (pysolr.SolrError, ValueError) as error:
        log.warning("no highlights for %r: %s", q, str(error)[:300])
        return {}
    found: Highlights = {}
    for key, fields in (response.highlighting or {}).items():
        if key not in keys:
            continue
        marked = {}
        for field in FIELDS:
            snippets = fields.get(field) or []
            safe = _safe(snippets[0]) if snippets and MARK_OPEN in snippets[0] else None
            if safe is not None:
                marked[field] = safe
        if marked:
            found[keys[key]] = marked
    return found
