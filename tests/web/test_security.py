import pytest

from web import create_app
from web.security import content_security_policy

pytestmark = pytest.mark.unit


def test_policy_allows_https_images_and_only_the_configured_extra_origins() -> None:
    default = content_security_policy()
    assert "img-src 'self' https: data:;" in default
    assert "http:" not in default
    extra = content_security_policy(["http://127.0.0.1:8070"])
    assert "img-src 'self' https: data: http://127.0.0.1:8070;" in extra
    assert "script-src 'self';" in extra


def test_app_sends_the_policy_with_configured_image_sources() -> None:
    app = create_app({"web_image_sources": ("http://media.example",), "TESTING": True})
    response = app.test_client().get("/opensearch.xml")
    assert "http://media.example" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
