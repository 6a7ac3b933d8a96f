"""Searches reuse their connection to Solr.

CKAN 2.12 makes a new ``pysolr.Solr`` for every search (``ckan.lib.search.query``), and with it a
new ``requests`` session: a new TCP connection to Solr per search, and the session reads every
proxy variable of the environment on each request. In a profile of ``package_search``
(bench/search.py) that is about a tenth of the time it spends outside Solr. Here each thread of
each process keeps one session for its searches, kept alive between them; Solr is an internal
service, so proxy variables meant for the outside world are not consulted for it.

A kept-alive connection that Solr closed in the meantime (a restart, an idle timeout) is
retried once: every request of this module is a read (``/select``, also sent as POST when the
query is long).
"""
from __future__ import annotations

import os
import threading
from typing import Any

import requests
from ckan.lib.search import query as ckan_query
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

_local = threading.local()


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
    """Makes CKAN's searches use this thread's session (once per process; the connection is
    otherwise CKAN's own: URL, credentials, timeout, date decoding)."""
    make = ckan_query.make_connection
    if getattr(make, "keeps_connections", False):
        return

    def make_connection(decode_dates: bool = True) -> Any:
        connection = make(decode_dates=decode_dates)
        connection.session = session()
        return connection

    make_connection.keeps_connections = True  # type: ignore[attr-defined]
    ckan_query.make_connection = make_connection
