"""The synonyms staff edit: Solr's managed resource ``govdata`` (schema.xml, query analyser).

Solr keeps them (``_schema_analysis_synonyms_govdata.json`` beside the core's schema, seeded
from config/solr and kept across restarts once changed); this module reads and changes them
through Solr's REST API and reloads the core, so that an edit applies to the next query without
restarting Solr or reindexing.

Staff think in groups (人社局 = 人力资源和社会保障局 = 人社); Solr stores a map from each name to
the names it expands to. Every name of a group maps to the whole group (itself included, so the
typed name still matches), which makes the groups readable back from the map.
"""
from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass

import requests
from ckan.common import config

RESOURCE = "govdata"
TIMEOUT = 60
MAX_NAMES = 20
MAX_NAME_LENGTH = 40
# Characters of Solr's synonym rule syntax, and control characters.
FORBIDDEN = re.compile(r"[,=>\\#\x00-\x1f\x7f]")


class SynonymError(Exception):
    """A group that cannot be stored; ``msgid`` and ``params`` say why (``{field}`` is the
    field's label, filled in by the action)."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid.format(field="names", **params))
        self.msgid = msgid
        self.params = params


class SolrUnavailable(Exception):
    """Solr did not answer, or refused the change."""


@dataclass(frozen=True)
class Core:
    """Where the synonyms of the portal's core live, and how to reload it."""

    base: str  # http://host:8983/solr
    name: str
    auth: tuple[str, str] | None

    @classmethod
    def configured(cls) -> Core:
        url = config["solr_url"].rstrip("/")
        base, name = url.rsplit("/", 1)
        user, password = config.get("solr_user"), config.get("solr_password")
        return cls(base, name, (user, password) if user and password else None)

    @property
    def resource_url(self) -> str:
        return f"{self.base}/{self.name}/schema/analysis/synonyms/{RESOURCE}"

    def _call(self, method: str, url: str, **kwargs: object) -> requests.Response:
        try:
            response = requests.request(method, url, auth=self.auth, timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]
        except requests.RequestException as error:
            raise SolrUnavailable(f"Solr did not answer: {error}") from None
        if response.status_code >= 400:
            raise SolrUnavailable(f"Solr answered {response.status_code} to {method} {url}: {response.text[:300]}")
        return response

    def mapping(self) -> dict[str, list[str]]:
        body = self._call("GET", self.resource_url, params={"wt": "json"}).json()
        return dict(body["synonymMappings"]["managedMap"])

    def put(self, mapping: dict[str, list[str]]) -> None:
        if mapping:
            self._call("PUT", self.resource_url, json=mapping)

    def delete(self, name: str) -> None:
        url = f"{self.resource_url}/{urllib.parse.quote(name, safe='')}"
        try:
            self._call("DELETE", url)
        except SolrUnavailable as error:
            if " 404 " not in str(error):
                raise

    def reload(self) -> None:
        """Rebuilds the core's analysers with the stored synonyms (SolrCloud: the collection)."""
        system = self._call("GET", f"{self.base}/admin/info/system", params={"wt": "json"}).json()
        if system.get("mode") == "solrcloud":
            self._call("GET", f"{self.base}/admin/collections", params={"action": "RELOAD", "name": self.name})
        else:
            self._call("GET", f"{self.base}/admin/cores", params={"action": "RELOAD", "core": self.name})


def groups_of(mapping: dict[str, list[str]]) -> list[list[str]]:
    """The groups a map holds, each in its stored order, in the order of their first name."""
    seen: set[frozenset[str]] = set()
    found = []
    for name, names in mapping.items():
        group = list(dict.fromkeys([*names, name] if name not in names else names))
        key = frozenset(group)
        if key not in seen:
            seen.add(key)
            found.append(group)
    return sorted(found, key=lambda group: group[0])


def clean_group(names: Iterable[str]) -> list[str]:
    """The distinct names of a group, checked; raises SynonymError."""
    cleaned = list(dict.fromkeys(" ".join(str(name).split()) for name in names if str(name).strip()))
    for name in cleaned:
        if FORBIDDEN.search(name):
            raise SynonymError("{field}: {value} holds a character synonyms cannot use (, = > \\ #)", value=name)
        if len(name) > MAX_NAME_LENGTH:
            raise SynonymError("{field}: {value} is longer than {limit} characters", value=name, limit=MAX_NAME_LENGTH)
    if len(cleaned) < 2:
        raise SynonymError("{field}: a group needs at least two different names")
    if len(cleaned) > MAX_NAMES:
        raise SynonymError("{field}: a group holds at most {limit} names", limit=MAX_NAMES)
    return cleaned


def list_groups(core: Core | None = None) -> list[list[str]]:
    return groups_of((core or Core.configured()).mapping())


def save_group(names: Iterable[str], replacing: Iterable[str] = (), core: Core | None = None) -> list[str]:
    """Stores a group (replacing the group that holds the names in ``replacing``) and reloads.

    A name may belong to one group only: one already in another group is refused.
    """
    core = core or Core.configured()
    group = clean_group(names)
    mapping = core.mapping()
    replaced = {name for name in replacing if name in mapping}
    for old in list(replaced):
        replaced.update(mapping.get(old, []))
    for name in group:
        if name in mapping and name not in replaced:
            raise SynonymError("{field}: {value} is already in the group {group}", value=name,
                               group="、".join(mapping[name]))
    for name in replaced:
        core.delete(name)
    core.put(dict.fromkeys(group, group))
    core.reload()
    return group


def delete_group(name: str, core: Core | None = None) -> list[str]:
    """Removes the group holding ``name``; returns its names (empty if there was none)."""
    core = core or Core.configured()
    mapping = core.mapping()
    if name not in mapping:
        return []
    group = list(dict.fromkeys([name, *mapping[name]]))
    for member in group:
        core.delete(member)
    core.reload()
    return group
