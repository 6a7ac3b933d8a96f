"""Searches reuse their connection to Solr.

CKAN 2.12 makes a new ``pysolr.Solr`` for every search (``ckan.lib.search.query``), and with it a
new ``requests`` session: a new TCP connection to Solr per search, and the session reads every
proxy variable of the environment on each request. In a profile of ``package_search``
(bench/search.py) that is about a tenth of the time it spends outside Solr. Here each thread of
each process keeps one session for its searches, kept alive between them; Solr is an internal
service, so proxy variables meant for the outside world are not consulted for it.

A kept-alive connection that Solr closed in the meantime (a restart, an idle timeout) is
retried once: every request of this module is a read (``/select``, ``/suggest``).

Two more costs of each search go (a profile of ``package_search``, bench/search.py case a):

- pysolr sends a query of less than 1024 encoded characters in the URL, which ``requests`` and
  urllib3 then check character by character in Python, twice (about 0.3 ms for a typed term with
  the portal's edismax parameters and facets). Searches here send their parameters as a form
  body, as pysolr already does for longer queries; Solr reads both the same.
- Solr's answer, with the stored dataset of each result, is decoded by msgspec
  (``decoding.loads``) rather than pysolr's simplejson: 92 KB for 20 results, 0.25 → 0.09 ms.
  Only where CKAN asks for no date decoding (its dataset searches); its date-decoding
  connection keeps CKAN's decoder.
"""
from __future__ import annotations

import os
import threading
from typing import Any

import pysolr
import requests
from ckan.lib.search import common as ckan_common
from ckan.lib.search import query as ckan_query
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ckanext.govdata.search import decoding

_local = threading.local()
_FORM = {"Content-type": "application/x-www-form-urlencoded; charset=utf-8"}


class SearchConnection(pysolr.Solr):
    """pysolr's client with every select sent as a form body."""

    def _select(self, params: dict[str, Any], handler: str | None = None) -> Any:
        params.setdefault("wt", "json")
        handler = handler or self.search_handler or "select"
        if self.use_qt_param:
            params["qt"], handler = handler, "select"
        return self._send_request("post", f"{handler}/", body=pysolr.safe_urlencode(params, True), headers=_FORM)


def searcher(decode_dates: bool = False) -> SearchConnection:
    """A client for searches: CKAN's settings (URL, credentials, timeout, date decoding), this
    thread's session, form bodies and, without date decoding, msgspec."""
    made = ckan_common.make_connection(decode_dates=decode_dates)
    return SearchConnection(
        made.url, decoder=made.decoder if decode_dates else _ANSWERS, timeout=made.timeout,
        auth=made.auth, verify=made.verify, session=session(),
    )


class _Answers:
    """pysolr's ``decoder``: what it needs of one is ``decode``."""

    @staticmethod
    def decode(text: str) -> Any:
        return decoding.loads(text)


_ANSWERS = _Answers()


def session() -> requests.Session:
    """This thread's session for searches; a forked process makes its own (a socket shared with
    the parent would interleave their answers)."""
    held = getattr(_local, "held", None)
    if held is not None and held[0] == os.getpid():
        return held[1]
    new = requests.Session()
    new.stream = False
    new.trust_env = False
    adapter = HTTPAdapter(max_retries=Retry(total=1, read=1, connect=1, redirect=0, status=0,
                                            allowed_methods=frozenset({"GET", "POST"})))
    new.mount("http://", adapter)
    new.mount("https://", adapter)
    _local.held = (os.getpid(), new)
    return new


def keep_search_connections() -> None:
    """Makes CKAN's searches use ``searcher`` (once per process)."""
    if getattr(ckan_query.make_connection, "keeps_connections", False):
        return

    def make_connection(decode_dates: bool = True) -> SearchConnection:
        return searcher(decode_dates)

    make_connection.keeps_connections = True  # type: ignore[attr-defined]
    ckan_query.make_connection = make_connection
