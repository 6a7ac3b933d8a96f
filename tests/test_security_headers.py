"""The response headers and the request size limit of security_headers, on a Flask app that
installs them the way the plugin does."""
from __future__ import annotations

import pytest
from ckan.exceptions import CkanConfigurationException
from flask import Flask, request

from ckanext.govdata import security_headers

pytestmark = pytest.mark.usefixtures("with_plugins")


def _app() -> Flask:
    app = Flask(__name__)

    @app.route("/", methods=["GET", "POST"])
    def echo() -> str:
        return str(len(request.get_data()))

    @app.route("/framed")
    def framed() -> tuple[str, int, dict[str, str]]:
        return "", 200, {"X-Frame-Options": "DENY"}

    return security_headers.install(app)


def test_every_response_carries_the_policy_and_the_fixed_headers():
    response = _app().test_client().get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy and "base-uri 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_a_view_keeps_a_header_it_set_itself():
    assert _app().test_client().get("/framed").headers["X-Frame-Options"] == "DENY"


@pytest.mark.ckan_config("ckanext.govdata.content_security_policy", "")
def test_an_empty_policy_sends_no_policy_header():
    response = _app().test_client().get("/")

    assert "Content-Security-Policy" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.ckan_config("ckanext.govdata.max_request_size", 1)
@pytest.mark.ckan_config("ckan.max_resource_size", 1)
@pytest.mark.ckan_config("ckan.max_image_size", 1)
def test_a_body_over_the_limit_is_refused_with_413():
    client = _app().test_client()

    assert client.post("/", data=b"x" * 1000).status_code == 200
    assert client.post("/", data=b"x" * (security_headers.MEGABYTE + 1)).status_code == 413


@pytest.mark.ckan_config("ckanext.govdata.max_request_size", 5)
@pytest.mark.ckan_config("ckan.max_resource_size", 100)
def test_a_limit_below_the_upload_size_stops_the_start():
    with pytest.raises(CkanConfigurationException, match=r"max_request_size \(5 MB\).*ckan.max_resource_size"):
        _app()


@pytest.mark.ckan_config("ckanext.govdata.max_request_size", 0)
def test_zero_sets_no_limit():
    assert _app().config["MAX_CONTENT_LENGTH"] is None


@pytest.mark.usefixtures("with_plugins")
def test_the_portal_sends_the_headers(app):
    response = app.get("/")

    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
