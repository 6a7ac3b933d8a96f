"""Searches keep their connection to Solr (search/connection.py), and get a new one when Solr
closed it (a restart, an idle timeout)."""
from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
from ckan.tests.helpers import call_action

from ckanext.govdata.search import connection
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


class Relay:
    """A TCP relay in front of Solr that counts the connections searches open, and can close
    them all from the server's side."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        # What the searches sent, as it arrived.
        self.sent: list[bytes] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            self.accepted.append(client)
            server = socket.create_connection(self.upstream)
            threading.Thread(target=self._pump, args=(client, server, self.sent), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, None), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket, record: list[bytes] | None) -> None:
        try:
            while data := source.recv(65536):
                if record is not None:
                    record.append(data)
                target.sendall(data)
        except OSError:
            pass
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def close_all(self) -> None:
        for client in self.accepted:
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self.close_all()
        self.listener.close()


@pytest.fixture
def relay_solr(ckan_config, monkeypatch) -> Iterator[Callable[[], Relay]]:
    """Puts a relay between CKAN and Solr, from the call on (datasets indexed before it was there
    do not count)."""
    relays: list[Relay] = []

    def start() -> Relay:
        url = urlsplit(ckan_config["solr_url"])
        relay = Relay((url.hostname or "127.0.0.1", url.port or 8983))
        monkeypatch.setitem(ckan_config, "solr_url", urlunsplit(url._replace(netloc=f"127.0.0.1:{relay.port}")))
        # A session of this thread from an earlier test would hold a connection to Solr itself.
        monkeypatch.setattr(connection._local, "held", None, raising=False)
        relays.append(relay)
        return relay

    yield start
    for relay in relays:
        relay.stop()


def _search() -> list[str]:
    return [package["name"] for package in call_action("package_search", q="公交")["results"]]


def test_searches_reuse_one_connection_and_reconnect_when_solr_closed_it(relay_solr):
    department = factories.department()
    dataset = factories.dataset(department["id"], title="城市公交线路")
    relayed = relay_solr()

    for _ in range(5):
        assert _search() == [dataset["name"]]
    assert len(relayed.accepted) == 1

    relayed.close_all()
    assert _search() == [dataset["name"]]
    assert _search() == [dataset["name"]]
    assert len(relayed.accepted) == 2


def test_searches_send_their_parameters_as_a_form_body(relay_solr):
    department = factories.department()
    dataset = factories.dataset(department["id"], title="城市公交线路")
    relayed = relay_solr()

    assert _search() == [dataset["name"]]
    sent = b"".join(relayed.sent)
    request_line = sent.split(b"\r\n", 1)[0]
    assert request_line.startswith(b"POST ") and b"?" not in request_line
    assert b"application/x-www-form-urlencoded" in sent
    assert b"q=" in sent.split(b"\r\n\r\n", 1)[1]
