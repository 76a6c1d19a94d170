"""One offline HTML page: the template the city maps and the overview share.

A page is rendered from a Jinja2 template (``templates/``, autoescaped) with Leaflet and
our own script and stylesheet inlined (from ``xstatic-leaflet`` and ``assets/``), so it
loads nothing from the network, in a browser or in a notebook. Its data travel as one
JSON block (:func:`json_for_html`) that the script reads; text from input files is put into
the page with ``textContent`` or escaped by the template, never as markup.

Why not folium: folium built the page skeleton and one ``L.map`` call, while the project
had to undo its CDN links (``default_js``/``default_css``), bypass its template engine
(branca re-parses every element's output as a template, so a kelurahan named ``{{ x }}``
broke the page) and rewrite its random element ids to make builds reproducible; its
skeleton also disabled pinch-zoom on phones (``user-scalable=no``) and left ``lang`` off
``<html>``. Everything it drew came from ``assets/kotaku_map.js`` already.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import warnings
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from kotaku_map.files import write_atomic

__all__ = [
    "MapSizeWarning",
    "Page",
    "external_references",
    "json_for_html",
    "offline_head",
    "render_page",
    "save_map",
    "write_html",
]


class MapSizeWarning(UserWarning):
    """A map's HTML file is larger than its size budget."""


def _asset_text(name: str) -> str:
    return (resources.files("kotaku_map.render") / "assets" / name).read_text(encoding="utf-8")


def _data_uri(path: Path, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _safe_inline(code: str) -> str:
    """Make JS/CSS text safe inside a ``<script>``/``<style>`` element."""
    return re.sub(r"</(script|style)", r"<\\/\1", code, flags=re.IGNORECASE)


@lru_cache(maxsize=1)
def offline_head() -> str:
    """Return ``<style>``/``<script>`` tags with Leaflet and our own assets, all inline.

    Leaflet's images (layer-control icon, default marker) become ``data:`` URIs, so the
    page loads nothing from anywhere.

    Returns
    -------
    str
        HTML to place in a page's ``<head>``.

    Examples
    --------
    >>> head = offline_head()
    >>> "L.version" in head or "Leaflet" in head
    True
    >>> "http://" in head.split("<script>")[0] or " src=" in head
    False
    """
    import xstatic.pkg.leaflet as xleaflet

    base = Path(xleaflet.BASE_DIR)
    css = (base / "leaflet.css").read_text(encoding="utf-8")
    css = re.sub(
        r"url\((['\"]?)images/([\w.-]+\.png)\1\)",
        lambda mo: f"url({_data_uri(base / 'images' / mo.group(2))})",
        css,
    )
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    # Leaflet's source-map comment would make devtools fetch a file: drop it.
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    return (
        f"<style>{_safe_inline(css)}</style>\n"
        f"<style>{_safe_inline(_asset_text('kotaku_map.css'))}</style>\n"
        f"<script>{_safe_inline(js)}</script>\n"
        f"<script>{_safe_inline(_asset_text('kotaku_map.js'))}</script>\n"
    )


def json_for_html(obj: Any) -> str:
    r"""Serialise *obj* to JSON that can sit inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\u003c`` etc., so no text from a file
    can close the element or open a comment; the browser's ``JSON.parse`` restores them.

    Parameters
    ----------
    obj : object
        JSON-able data (no NaN).

    Returns
    -------
    str

    Examples
    --------
    >>> print(json_for_html({"n": "</script><b>"}))
    {"n":"\u003c/script\u003e\u003cb\u003e"}
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("kotaku_map.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(template: str, *, data: Any, **context: Any) -> str:
    """Render one page: ``template`` with the inline assets and ``data`` as its JSON block.

    Parameters
    ----------
    template : str
        A template of ``kotaku_map/render/templates`` (``"city.html.j2"``, ...).
    data : object
        What the page's script reads (:func:`json_for_html`).
    **context
        The template's other variables (plain text: the template escapes it).

    Returns
    -------
    str
        The whole HTML document.
    """
    page = _environment().get_template(template)
    return page.render(
        assets=Markup(offline_head()), data_json=Markup(json_for_html(data)), **context
    )


_URL_ATTR = re.compile(
    r"<(?:script|link|img|iframe|source|embed|object)\b[^>]*?\b(?:src|href|data)\s*=\s*"
    r"[\"']?\s*(?!data:)([a-z][a-z0-9+.-]*:|//)",
    re.IGNORECASE,
)


def external_references(html_text: str) -> list[str]:
    """Tags in *html_text* that would make a browser fetch something on load.

    Parameters
    ----------
    html_text : str

    Returns
    -------
    list of str
        The offending tag openings (empty: the page is self-contained).

    Examples
    --------
    >>> external_references('<script src="https://x/y.js"></script><img src="data:,">')
    ['<script src="https:']
    """
    return [m.group(0) for m in _URL_ATTR.finditer(html_text)]


def write_html(html_text: str, path: str | os.PathLike, *, size_budget_mb: float) -> int:
    """Check that *html_text* is self-contained, write it atomically, warn if over budget.

    Parameters
    ----------
    html_text : str
    path : path-like
    size_budget_mb : float
        Warn with :class:`MapSizeWarning` above this many MB (10^6 bytes).

    Returns
    -------
    int
        Bytes written.

    Raises
    ------
    ValueError
        If the page would load anything from the network.
    """
    refs = external_references(html_text)
    if refs:
        raise ValueError(
            f"the map for {os.fspath(path)!r} is not self-contained: it would load "
            f"{refs[:3]} from the network; expected only inline scripts, styles and data: URIs"
        )
    written = write_atomic(html_text.encode("utf-8"), path)
    if written > size_budget_mb * 1_000_000:
        warnings.warn(
            f"{os.fspath(path)!r} is {written / 1e6:.1f} MB, over the {size_budget_mb:g} MB "
            "budget: raise `simplify_m` or leave out layers",
            MapSizeWarning,
            stacklevel=3,
        )
    return written


class Page:
    """A rendered offline page: shown inline in Jupyter, written with :meth:`save`.

    Parameters
    ----------
    html_text : str
        The whole document.

    Examples
    --------
    >>> p = Page("<!DOCTYPE html><html><body>x</body></html>")
    >>> "srcdoc=" in p._repr_html_()
    True
    """

    def __init__(self, html_text: str) -> None:
        self.html = html_text

    def __repr__(self) -> str:
        return f"<Page: {len(self.html) / 1e6:.2f} MB of offline HTML>"

    def _repr_html_(self) -> str:
        """The page in an iframe (Jupyter): its own document, scripts and all."""
        return (
            '<div style="width:100%;"><div style="position:relative;width:100%;height:0;'
            'padding-bottom:60%;"><iframe srcdoc="'
            + html.escape(self.html, quote=True)
            + '" style="position:absolute;width:100%;height:100%;left:0;top:0;'
            'border:none !important;" allowfullscreen webkitallowfullscreen '
            "mozallowfullscreen></iframe></div></div>"
        )

    def save(self, path: str | os.PathLike, *, size_budget_mb: float = 5.0) -> int:
        """Write the page as one self-contained HTML file, atomically (see :func:`save_map`).

        Parameters
        ----------
        path : path-like
        size_budget_mb : float, default 5.0

        Returns
        -------
        int
            Bytes written.
        """
        return write_html(self.html, path, size_budget_mb=size_budget_mb)


def save_map(page: Page, path: str | os.PathLike, *, size_budget_mb: float = 5.0) -> int:
    """Write a map (or any :class:`Page`) as ONE self-contained HTML file, atomically.

    Parameters
    ----------
    page : Page
        From :func:`~kotaku_map.render.city_map` (or the overview).
    path : path-like
        Target file; written to a temporary file in the same folder, then
        :func:`os.replace`-d, so readers never see half a file.
    size_budget_mb : float, default 5.0
        Warn with :class:`MapSizeWarning` when the file is larger (10^6 bytes per MB).

    Returns
    -------
    int
        Bytes written.

    Raises
    ------
    ValueError
        If the page would load anything from the network.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kotaku_map.results import example_result
    >>> from kotaku_map.render import city_map
    >>> with tempfile.TemporaryDirectory() as d:
    ...     n = save_map(city_map(example_result()), pathlib.Path(d) / "peta.html")
    >>> n > 150_000
    True
    """
    if not isinstance(page, Page):
        raise TypeError(f"save_map takes a Page (from city_map), not {type(page).__name__}")
    return page.save(path, size_budget_mb=size_budget_mb)
