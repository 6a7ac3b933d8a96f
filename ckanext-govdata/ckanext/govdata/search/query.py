"""How a typed query becomes a Solr query: Chinese run-on phrases, short names and near misses.

People type 公交站点查询 for 公交站点信息查询接口: no spaces, words dropped, words reordered. The
catalogue's text fields index Chinese as overlapping bigrams (schema.xml, type ``text``), so the
query is analysed into bigrams too, and a dataset matches when it holds most of them (``mm``),
not all in one contiguous run. Ranking then prefers, in this order of weight:

- the whole query as a phrase, or nearly (``pf`` with slop ``ps``), in the title;
- the query's words, not only its bigrams (``title_words``: smartcn word segmentation), so that
  海关 ranks 海关进出口统计 above 上海关于…;
- the title over data items, the description, tags and the department (``qf`` weights).

Synonyms (department short names, government terms) apply inside Solr at query time
(``ManagedSynonymGraphFilterFactory`` in the ``text`` query analyser; ``search.synonyms``).

Only free text is shaped: a query with field syntax (``title:公交``), local parameters or the
match-all query stays CKAN's own (lucene parser, every clause required), because the portal's own
code and API users write those and expect exact boolean semantics.
"""
from __future__ import annotations

import functools
import re
from typing import Any

from ckan.lib.search import query as ckan_query

# Field weights of the free-text query: title over data items over description over
# tags and department. ``text`` is the catch-all (resources, extras, department).
QUERY_FIELDS = (
    "title^10 title_words^6 tags^6 organization_title^4 data_items_name_zh^4 data_items_name^3"
    " res_name^2 notes^2 text_words^1.5 text^1"
)
# The phrase boosts live in config/solr/conf/solrconfig.xml, as defaults of /select, because
# CKAN passes on only qf, mm and tie of the edismax parameters, and parses every local
# parameter of q with pyparsing on each search (5 ms for the whole set, in a profile of
# package_search):
# pf "title^30 title_words^15 notes^3" (the query, nearly, as a phrase in the title, as bigrams
# and as words) and pf2 "title^8 title_words^4" (adjacent typed words).
# Up to two analysed terms (bigrams, Latin words): all of them; up to four: all but one; more:
# three quarters. 公交站点查询 is 公交 交站 站点 点查 查询, and 公交站点信息查询接口 holds four of them.
MINIMUM_MATCH = "2<-1 4<75%"
# When nothing matches that, one term is enough, and the page says the results are partial.
RELAXED_MINIMUM_MATCH = "1"
TIE = "0.2"
# CKAN asks for q.op=AND, under which edismax requires every term and ignores mm; sow=false
# analyses the whole typed text at once (run-on Chinese has no spaces to split on); the phrase
# boosts allow 3 positions of slop (ps), a quoted phrase 1 (qs); typed text names no field
# (uf, quoted for CKAN's check of local parameters).
LOCAL_PARAMS = "{!edismax q.op=OR sow=false ps=3 qs=1 uf='-*'}"

RELAX_EXTRA = "ext_govdata_relaxed"
# Where the package_search action leaves, for the page, the query it relaxed.
RELAXED_SCOPE = "govdata_search_relaxed"
FIELD_SYNTAX = re.compile(r"(?<![\\])[A-Za-z_][A-Za-z0-9_.]*\s*:")
# Characters edismax would read as syntax inside one query string that has no fields:
# they carry no meaning for a person typing words, so they become spaces.
NOISE = re.compile(r"[\x00-\x1f\x7f{}\[\]()^~*?\\/!:]+")
# Longer typed text is cut: each character adds a bigram clause to every query field, and Solr
# refuses a query of more than 1024 clauses. Nobody types more than this into a search box.
MAX_LENGTH = 50


def memoise_ckan_local_params() -> None:
    """Makes CKAN parse each distinct local-parameter prefix of ``q`` once per process.

    CKAN 2.12 checks the parser named in ``q``'s local parameters on every search by building a
    pyparsing grammar and parsing the prefix (``ckan.lib.search.query._parse_local_params``):
    about 2 ms of the ~9 ms package_search spends outside Solr for every typed-text search
    (cProfile, bench/search.py case a), always on the same LOCAL_PARAMS. Its result only
    depends on the string and is only read; a prefix that fails to parse raises each time, as
    before (lru_cache keeps no exceptions).
    """
    parse = ckan_query._parse_local_params
    if not hasattr(parse, "cache_info"):
        ckan_query._parse_local_params = functools.lru_cache(maxsize=256)(parse)


def is_free_text(q: str) -> bool:
    """Whether ``q`` is words a person typed, not a query the code or an API user wrote."""
    text = q.strip()
    if not text or text in ("*:*", '""', "''") or text.startswith("{!"):
        return False
    return not FIELD_SYNTAX.search(text)


def clean(q: str) -> str:
    """The typed text without parser syntax and control characters, at most MAX_LENGTH long.

    Quotes stay (a quoted phrase is still a phrase), unless they are unbalanced.
    """
    text = NOISE.sub(" ", q)
    if text.count('"') % 2:
        text = text.replace('"', " ")
    text = re.sub(r"\s+", " ", text).strip()
    return text[:MAX_LENGTH].strip()


def shape(search_params: dict[str, Any]) -> dict[str, Any]:
    """Turns a free-text ``q`` into our edismax query; anything else is left to CKAN."""
    q = search_params.get("q")
    if not isinstance(q, str) or not is_free_text(q):
        return search_params
    text = clean(q)
    if not text:
        search_params["q"] = "*:*"
        return search_params
    relaxed = bool((search_params.get("extras") or {}).get(RELAX_EXTRA))
    search_params["q"] = LOCAL_PARAMS + text
    # Solr reads local parameters in q only under the lucene parser (SOLR-11501); naming it
    # also keeps CKAN from choosing dismax. The edismax parser in q takes qf, mm and tie from
    # the request.
    search_params["defType"] = "lucene"
    search_params["qf"] = QUERY_FIELDS
    search_params["mm"] = RELAXED_MINIMUM_MATCH if relaxed else MINIMUM_MATCH
    search_params["tie"] = TIE
    return search_params
