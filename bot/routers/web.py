"""The resident-facing web pages: a demo host page with the embedded chat widget, and test assets.

The widget itself is a static file (``/static/widget/widget.js``); this router only serves the
stand-in for the county's own site and, for the browser tests only, the axe-core scanner.
"""

from __future__ import annotations

import os

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

from bot.settings import PROJECT_ROOT

router = APIRouter(tags=["web"])

TEMPLATES = PROJECT_ROOT / "bot" / "templates" / "web"
FAVICON = PROJECT_ROOT / "bot" / "static" / "widget" / "favicon.svg"
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def demo_host_page() -> HTMLResponse:
    """A plain stand-in for the county's website, embedding the widget with its one script tag."""
    html = (TEMPLATES / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers={"Cache-Control": "no-cache"})


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    """Browsers ask for this on every page; answering avoids a 404 in every console."""
    return FileResponse(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


@router.get("/test-assets/axe.min.js", include_in_schema=False)
def axe_script() -> FileResponse:
    """axe-core for the accessibility scan of the browser tests; only with ``SERVE_TEST_ASSETS=1``."""
    if os.environ.get("SERVE_TEST_ASSETS") != "1" or not AXE_SCRIPT.is_file():
        raise HTTPException(404, "Not Found")
    return FileResponse(AXE_SCRIPT, media_type="text/javascript; charset=utf-8")
