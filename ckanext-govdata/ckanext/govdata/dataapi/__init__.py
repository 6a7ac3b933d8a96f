"""Data APIs served by the portal (issue #16): every ``dataservice`` answers at ``/api/data/<name>``
from the datastore table behind it, under the open condition of the data it serves, and is
described by an OpenAPI 3.1 document."""
