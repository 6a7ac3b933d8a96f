"""Where our own files are kept: request attachments, contest rules documents, showcase images.

Each kind is a CKAN file storage (``ckan.lib.files``, CKAN 2.12's storages on file-keeper, the
layer ckanext-files contributed to core) named after the kind and configured like any other::

    ckan.files.storage.govdata_access.type = file_keeper:s3
    ckan.files.storage.govdata_access.bucket = govdata-private

All web nodes must name the same storage, or a file uploaded through one node is missing on the
others. A kind without a configured storage stays on the local filesystem under
``<ckan.storage_path>/<name>/``, where earlier versions wrote it, so one node needs no setting.

The files are not registered in CKAN's ``file`` table, so core's file actions can neither list nor
serve them, and a storage marked public (which core serves to anyone) is refused: our views, with
our access rules, are the only way to read them.
"""
from __future__ import annotations

import io
import os
from typing import IO

import file_keeper as fk
from ckan.common import config
from ckan.exceptions import CkanConfigurationException
from ckan.lib import files
from werkzeug.datastructures import FileStorage

# What every kind needs of its storage: write, read, check and remove by key.
REQUIRED = fk.Capability.CREATE | fk.Capability.STREAM | fk.Capability.EXISTS | fk.Capability.REMOVE


class StorageUnavailable(Exception):
    """Neither a configured storage nor ``ckan.storage_path`` to keep the files locally."""


class Store:
    """The files of one kind, by key: a relative path such as ``<request id>/<file id>.pdf``."""

    def __init__(self, name: str) -> None:
        self.name = name
        # The local directories used when no storage is configured, by root (tests move it).
        self._local: dict[str, fk.Storage] = {}

    def backend(self) -> fk.Storage:
        """The configured storage ``ckan.files.storage.<name>``, or the local directory."""
        configured = files.storages.get(self.name)
        if configured is not None:
            if not configured.supports(REQUIRED):
                missing = REQUIRED & ~configured.capabilities
                raise CkanConfigurationException(
                    f"ckan.files.storage.{self.name}.type: {configured.settings.type} storages lack {missing.name}"
                )
            if getattr(configured.settings, "public", False):
                # Core's /file/public-download/<storage>/<key> would serve every file to anyone.
                raise CkanConfigurationException(f"ckan.files.storage.{self.name}.public: must be false")
            return configured
        base = config.get("ckan.storage_path")
        if not base:
            raise StorageUnavailable(self.name)
        root = os.path.realpath(os.path.join(base, self.name))
        if root not in self._local:
            self._local[root] = fk.make_storage(self.name, {"type": "ckan:fs", "path": root, "initialize": True})
        return self._local[root]

    def put(self, key: str, content: bytes | IO[bytes] | FileStorage) -> None:
        """Write ``content`` (bytes, a binary file or an uploaded file) under ``key``."""
        storage = self.backend()
        storage.upload(fk.Location(key), fk.make_upload(content))

    def open(self, key: str) -> IO[bytes] | None:
        """The file under ``key`` to read, or None when there is none."""
        storage = self.backend()
        try:
            stream = storage.stream(fk.FileData(fk.Location(key)))
        except (fk.exc.MissingFileError, fk.exc.LocationError):
            return None
        if hasattr(stream, "read"):
            return stream
        # Object stores hand out chunks; our files are bounded by the upload limits.
        return io.BytesIO(b"".join(stream))

    def exists(self, key: str) -> bool:
        try:
            return self.backend().exists(fk.FileData(fk.Location(key)))
        except fk.exc.LocationError:
            return False

    def delete(self, key: str) -> None:
        """Remove the file under ``key``; a missing file is not an error."""
        self.backend().remove(fk.FileData(fk.Location(key)))

    def delete_under(self, prefix: str) -> None:
        """Remove every file whose key starts with ``prefix/``."""
        storage = self.backend()
        for key in list(storage.filtered_scan(prefix=prefix.rstrip("/") + "/")):
            storage.remove(fk.FileData(fk.Location(key)))
