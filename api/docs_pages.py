"""``/docs`` (Swagger UI) and ``/redoc`` served whole by the API itself.

FastAPI's own pages load their scripts, styles and fonts from public CDNs: in a NOC
without Internet access they are blank. These load the copies that the ``fastapi-offline``
package ships (Swagger UI, ReDoc, a favicon) from ``/docs-assets``, and no web fonts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs-assets"
ASSETS = Path(fastapi_offline.__file__).parent / "static"
# Swagger UI's validator badge would ask validator.swagger.io about every non-local spec
SWAGGER_PARAMETERS = {"validatorUrl": None}
# The pages may load nothing from elsewhere: ReDoc's side menu has a logo from its CDN
# that no option turns off, and a blocked request is one that never waits on a dead network.
POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "connect-src 'self'; frame-ancestors 'none'"
)


def _own_only(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = POLICY
    return page


def install(app: FastAPI) -> None:
    """Add the pages to an app made with ``docs_url=None, redoc_url=None``."""
    assert app.docs_url is None and app.redoc_url is None, "FastAPI's CDN pages are off"
    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        at = _prefixer(request)
        page = get_swagger_ui_html(
            openapi_url=at(openapi_url),
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=at(redirect_url),
            swagger_js_url=at(f"{ASSETS_URL}/swagger-ui-bundle.js"),
            swagger_css_url=at(f"{ASSETS_URL}/swagger-ui.css"),
            swagger_favicon_url=at(f"{ASSETS_URL}/favicon.png"),
            swagger_ui_parameters=(app.swagger_ui_parameters or {}) | SWAGGER_PARAMETERS,
        )
        return _own_only(page)

    @app.get(redirect_url, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return _own_only(get_swagger_ui_oauth2_redirect_html())

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        at = _prefixer(request)
        page = get_redoc_html(
            openapi_url=at(openapi_url),
            title=f"{app.title} - ReDoc",
            redoc_js_url=at(f"{ASSETS_URL}/redoc.standalone.js"),
            redoc_favicon_url=at(f"{ASSETS_URL}/favicon.png"),
            with_google_fonts=False,
        )
        return _own_only(page)


def _prefixer(request: Request) -> Callable[[str], str]:
    """Paths as the browser must ask for them: behind a proxy, under the app's root path."""
    root = str(request.scope.get("root_path", ""))
    return lambda path: root + path
