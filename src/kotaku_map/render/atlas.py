"""The printed atlas: its options, its pages of text, and its page numbers.

``atlas.pdf`` holds a cover (title, date, sources, ILUSTRATIF when set, contents), the
overview of all cities (:mod:`~kotaku_map.render.overview_sheet`: a map of the kab/kota by
program mix with coverage gaps as circles, then the summary table) and, per city, a map
sheet (:mod:`~kotaku_map.render.city_sheet`) followed by its kelurahan table;
:mod:`~kotaku_map.render.atlas_pdf` writes it. This module holds what those share: the
options (:class:`AtlasOptions`), the header and footer every page repeats
(:class:`PageFrame`), the tables' content (:func:`kelurahan_table`,
:func:`summary_table_data`), the pages of text (cover, contents, tables: written straight
into PDF by :mod:`~kotaku_map.render.textpdf`) and the page numbers, planned before any page
is drawn (:func:`page_plan`). Every symbol comes from :mod:`kotaku_map.render.style`, every
word from :mod:`kotaku_map.render.labels`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kotaku_map import schema as S
from kotaku_map._version import __version__
from kotaku_map.clock import build_time
from kotaku_map.results import CityResult

from .canvas import Canvas
from .city import TOTALS  # the city's totals on its sheet: the web map's totals panel's
from .draw import MM_PER_PT, text_height, wrap
from .labels import Lang, check_lang, format_date, format_number, text
from .overview import program_mix
from .print_style import PRINT_TEXT
from .sheet import Box, Layout, draw_footer, draw_header, draw_stamp, fit_size, layout
from .style import status_categories
from .table import Table, body_box, draw_table, fit_table, table_pages
from .textpdf import TextPdf

__all__ = [
    "AtlasOptions",
    "PageFrame",
    "PagePlan",
    "draw_cover",
    "draw_table_pages",
    "kelurahan_table",
    "page_plan",
    "summary_table_data",
    "totals_rows",
]

#: the figures of the kelurahan table: (column of kelurahan.csv, label key)
KELURAHAN_FIGURES = (
    (S.LUAS_HA, "col_luas"),
    (S.KUMUH_HA, "col_kumuh"),
    (S.TERCAKUP_HA, "col_tercakup"),
    (S.TUMPANG_TINDIH_HA, "col_tumpang_tindih"),
    (S.CELAH_HA, "col_celah"),
    (S.SLIVER_HA, "col_sliver"),
)


@dataclass(frozen=True)
class AtlasOptions:
    """How the atlas is printed.

    Parameters
    ----------
    paper : {"A4", "A3"}
        The paper of every sheet.
    orientation : {"landscape", "portrait"}
        The sheets' orientation.
    dpi : int
        Resolution of the PNGs.
    lang : {"id", "en"}
        The language of the atlas's words.
    title : str or None
        The project's title (the config's ``title``), on every sheet.
    sources : tuple of str
        The data sources, on the cover and in every footer.
    illustrative : bool
        Stamp every sheet "ILUSTRATIF" (some input is not real program data).
    simplify_m : float
        Least simplification, metres; more where the scale hides it (0.15 mm on paper).
    """

    paper: str = "A4"
    orientation: str = "landscape"
    dpi: int = 150
    lang: Lang = "id"
    title: str | None = None
    sources: tuple[str, ...] = ()
    illustrative: bool = False
    simplify_m: float = 5.0

    @property
    def layout(self) -> Layout:
        """The sheets' :class:`~kotaku_map.render.sheet.Layout`."""
        return layout(self.paper, self.orientation)


@dataclass(frozen=True)
class PageFrame:
    """What every page of one atlas repeats: header, footer, page count.

    Parameters
    ----------
    options : AtlasOptions
        How the atlas is printed.
    date : str
        The date printed, formatted.
    total_pages : int
        The atlas's page count (0: page numbers left out).
    """

    options: AtlasOptions
    date: str
    total_pages: int = 0

    @classmethod
    def make(
        cls, options: AtlasOptions | None, date: _dt.date | None, total_pages: int = 0
    ) -> PageFrame:
        """A frame for ``options`` (default ones), dated ``date`` (default: the build's).

        Parameters
        ----------
        options : AtlasOptions or None
            How the atlas is printed (``None``: the defaults).
        date : datetime.date or None
            The date printed (``None``: the build's, see :mod:`kotaku_map.clock`).
        total_pages : int
            The atlas's page count (0: page numbers left out).

        Returns
        -------
        PageFrame
        """
        options = options or AtlasOptions()
        check_lang(options.lang)
        day = date or build_time().date()
        return cls(options, format_date(day, options.lang), total_pages)

    @property
    def lang(self) -> Lang:
        """The language of the atlas."""
        return self.options.lang

    def title(self) -> str:
        """The project's title, or the maps' own.

        Returns
        -------
        str
        """
        return self.options.title or text("title", self.lang)

    def stamp(self) -> str | None:
        """The ILUSTRATIF warning, when the inputs are not real program data.

        Returns
        -------
        str or None
            ``None`` when the inputs are real.
        """
        return text("atlas_illustrative", self.lang) if self.options.illustrative else None

    def footer(self, canvas: Canvas, page: int) -> None:
        """The footer: sources, maker and page number.

        Parameters
        ----------
        canvas : Canvas
            The page (mm).
        page : int
            Its number (0: none printed).
        """
        sources = f"{text('sources', self.lang)}: {'; '.join(self.options.sources) or '–'}"
        made = text("atlas_made", self.lang, x=__version__)
        if page > 0:
            made += f" · {text('page_of', self.lang, n=page, x=self.total_pages)}"
        draw_footer(canvas, self.options.layout, left=sources, right=made)

    def draw(self, canvas: Canvas, heading: str, page: int) -> None:
        """Header and footer of a page.

        Parameters
        ----------
        canvas : Canvas
            The page (mm).
        heading : str
            The page's subject, large in the header (the city, "Ringkasan ...").
        page : int
            Its number (0: none printed).
        """
        draw_header(
            canvas,
            self.options.layout,
            title=self.title(),
            heading=heading,
            date=self.date,
            stamp=self.stamp(),
        )
        self.footer(canvas, page)


def totals_rows(ringkasan: dict, lang: str, keys: Sequence[str] = TOTALS) -> list[tuple[str, str]]:
    """A city's (or all cities') totals as (label, value) rows: hectares with 2 decimals.

    Parameters
    ----------
    ringkasan : dict
        ``CityResult.ringkasan`` or sums of them.
    lang : {"id", "en"}
    keys : sequence of str
        The totals shown, in order (those missing are left out).

    Returns
    -------
    list of (str, str)

    Examples
    --------
    >>> totals_rows({"jumlah_kelurahan": 60, "kumuh_ha": 558.7249}, "id")
    [('Jumlah kelurahan', '60'), ('Luas kumuh', '558,72 ha')]
    """
    rows = []
    for key in keys:
        if key in ringkasan:
            whole = key == "jumlah_kelurahan"
            value = format_number(ringkasan[key], 0 if whole else 2, lang)
            rows.append((text(key, lang), value if whole else f"{value} {text('ha', lang)}"))
    return rows


# --- the tables ---------------------------------------------------------------------------


def kelurahan_table(result: CityResult, lang: str = "id") -> Table:
    """The city's kelurahan as a printed table: one row per row of ``kelurahan.csv``.

    Parameters
    ----------
    result : CityResult
    lang : {"id", "en"}

    Returns
    -------
    Table
        Columns: number, code, kelurahan, kecamatan, status (with its map colour), then
        the hectares of ``KELURAHAN_FIGURES``; a total row.

    Examples
    --------
    >>> from kotaku_map.results import example_result
    >>> t = kelurahan_table(example_result())
    >>> t.rows[1][:5], t.rows[1][-2:]
    (['2', '33.74.01.1002', 'Dua', 'Kec A', 'Kumuh tanpa program'], ['5,00', '0,00'])
    """
    kel = result.kelurahan
    ha = text("ha", lang)
    heads = [
        text("row_no", lang),
        text("kode", lang),
        text("kelurahan", lang),
        text("kecamatan", lang),
        text("status", lang),
    ]
    heads += [f"{text(key, lang)} ({ha})" for _, key in KELURAHAN_FIGURES]
    statuses = {c.value: c for c in status_categories(list(kel[S.STATUS]), result.programs, lang)}

    def cell(v: Any) -> str:
        return "" if v is None or (isinstance(v, float) and v != v) else str(v)

    rows, swatches = [], []
    numbers = [
        kel[col].to_numpy(dtype=float) if col in kel else np.full(len(kel), np.nan)
        for col, _ in KELURAHAN_FIGURES
    ]
    for i, (_, row) in enumerate(kel.iterrows()):
        status = cell(row.get(S.STATUS))
        cat = statuses.get(status)
        rows.append(
            [
                str(i + 1),
                cell(row.get(S.KODE)),
                cell(row.get(S.KELURAHAN)),
                cell(row.get(S.KECAMATAN)),
                cat.label if cat else status,
            ]
            + [format_number(v[i], 2, lang) for v in numbers]
        )
        swatches.append(cat.symbol if cat else None)
    total = ["", "", text("total", lang), "", ""]
    total += [format_number(float(np.nansum(v)), 2, lang) for v in numbers]
    return Table(
        heads,
        rows,
        [True, False, False, False, False] + [True] * len(numbers),
        total=total,
        swatches=swatches,
        swatch_column=4,
    )


def summary_table_data(results: Sequence[CityResult], lang: str = "id") -> Table:
    """The kab/kota summary as a printed table: one row per row of ``ringkasan_kabkota.csv``.

    Parameters
    ----------
    results : sequence of CityResult
    lang : {"id", "en"}

    Returns
    -------
    Table

    Examples
    --------
    >>> from kotaku_map.results import example_result
    >>> summary_table_data([example_result()]).rows[0][:3]
    ['Kota Contoh', '33.74', 'NSUP']
    """
    ha = text("ha", lang)
    programs = list(dict.fromkeys(p for r in results for p in r.programs))
    all_status = [s for r in results for s in (r.ringkasan.get("kelurahan_per_status") or {})]
    statuses = status_categories(all_status, programs, lang)
    keys = ("kumuh_ha", "tercakup_ha", "tumpang_tindih_ha", "celah_ha", "sliver_ha")
    heads = [
        text("city", lang),
        text("kode", lang),
        text("program_mix", lang),
        text("jumlah_kelurahan", lang),
    ]
    heads += [f"{text(k, lang)} ({ha})" for k in keys]
    heads += [text("status_col", lang, s=c.label) for c in statuses]
    rows, sums = [], np.zeros(1 + len(keys) + len(statuses))
    none = text("no_programs", lang)
    for r in results:
        rk = r.ringkasan or {}
        per = {str(k): v for k, v in (rk.get("kelurahan_per_status") or {}).items()}
        nums = [float(rk.get("jumlah_kelurahan", len(r.kelurahan)))]
        nums += [float(rk.get(k, np.nan)) for k in keys]
        nums += [float(per.get(c.value, 0)) for c in statuses]
        sums += np.nan_to_num(np.array(nums))
        mix = S.PROGRAM_JOIN.join(program_mix(r)) or none
        rows.append([str(r.nama), str(r.kode), mix] + _numbers(nums, len(keys), lang))
    total = [text("total", lang), "", ""] + _numbers(list(sums), len(keys), lang)
    numeric = [False, False, False] + [True] * (1 + len(keys) + len(statuses))
    return Table(heads, rows, numeric, total=total)


def _numbers(nums: Sequence[float], n_ha: int, lang: str) -> list[str]:
    """Counts as whole numbers, the ``n_ha`` hectare figures after the first with 2 decimals."""
    return [format_number(v, 2 if 1 <= i <= n_ha else 0, lang) for i, v in enumerate(nums)]


# --- pages of text ------------------------------------------------------------------------


def draw_table_pages(
    doc: TextPdf,
    frame: PageFrame,
    table: Table,
    *,
    heading: str,
    title: str,
    first_page: int,
) -> int:
    """A table over as many pages of ``doc`` as it needs, head repeated; pages added.

    Parameters
    ----------
    doc : TextPdf
    frame : PageFrame
    table : Table
    heading : str
        The pages' heading (the city).
    title : str
        The table's title ("Tabel kelurahan"; later pages add "lanjutan").
    first_page : int
        The number of the first page (0: no page numbers).

    Returns
    -------
    int
        Pages added.
    """
    lay = frame.options.layout
    chunks = table_pages(len(table.rows), lay)
    fit = fit_table(table, body_box(lay).w)
    st = PRINT_TEXT["table_title"]
    for k, rows in enumerate(chunks):
        page = doc.page(lay.width, lay.height)
        frame.draw(page, heading, first_page + k if first_page else 0)
        more = f" ({text('continued', frame.lang)})" if k else ""
        page.text(lay.body.x, lay.body.top - st.size * MM_PER_PT, title + more, st)
        last = k == len(chunks) - 1
        draw_table(page, body_box(lay), table, rows, fit=fit, with_total=last)
    return len(chunks)


def _contents(results: Sequence[CityResult], plan: PagePlan, lang: str) -> Table:
    rows = [[text("atlas_overview", lang), "", str(plan.overview)]]
    rows += [[str(r.nama), str(r.kode), str(plan.first[r.kode])] for r in results]
    heads = [text("city", lang), text("kode", lang), text("page", lang)]
    return Table(heads, rows, [False, False, True])


_COVER_HEAD = 78.0  # mm from the top of the paper to the contents


_CONTENTS_COLUMN = 120.0  # mm: the cover sets its contents in columns this wide or wider


def _cover_columns(lay: Layout) -> list[Box]:
    """Where the cover's contents go: columns side by side below the title block."""
    top = lay.height - lay.margin - _COVER_HEAD
    n = max(1, int((lay.body.w + 8.0) // (_CONTENTS_COLUMN + 8.0)))
    width = (lay.body.w - 8.0 * (n - 1)) / n
    return [
        Box(lay.body.x + i * (width + 8.0), lay.body.y, width, top - lay.body.y) for i in range(n)
    ]


def _cover_capacity(lay: Layout) -> int:
    columns = _cover_columns(lay)
    return len(columns) * len(table_pages(10_000, lay, height=columns[0].h)[0])


def draw_cover(
    doc: TextPdf, results: Sequence[CityResult], plan: PagePlan, frame: PageFrame
) -> int:
    """The cover (title, date, ILUSTRATIF, sources, contents) and any more contents pages.

    Parameters
    ----------
    doc : TextPdf
    results : sequence of CityResult
    plan : PagePlan
    frame : PageFrame

    Returns
    -------
    int
        Pages added.
    """
    lang, lay = frame.lang, frame.options.layout
    page = doc.page(lay.width, lay.height)
    top, x = lay.height - lay.margin, lay.margin + 2.0
    width = lay.width - 2 * lay.margin - 4.0
    for y, words, role in (
        (14.0, text("atlas_title", lang), "cover_title"),
        (25.0, frame.title(), "cover_subtitle"),
    ):
        st = PRINT_TEXT[role]
        page.text(x, top - y, words, st, size=fit_size(words, st, width, smallest=0.5))
    st = PRINT_TEXT["cover"]
    line = text_height(st.size) * MM_PER_PT * 1.3
    facts = [
        frame.date,
        text("n_cities", lang, n=len(results)),
        text("atlas_made", lang, x=__version__),
    ]
    for i, fact in enumerate(facts):
        page.text(x, top - 35.0 - i * line, fact, st)
    y = top - 35.0 - len(facts) * line
    stamp = frame.stamp()
    if stamp:
        draw_stamp(page, x, y - 1.0, stamp, width=width, ha="left")
        y -= line * 1.6
    page.text(x, y - 2.0, text("sources", lang), PRINT_TEXT["legend_title"])
    sources = "; ".join(frame.options.sources) or "–"
    for i, s in enumerate(wrap(sources, width / MM_PER_PT, st.size)[:3]):
        page.text(x, y - 2.0 - (i + 1) * line, s, st)
    contents = _contents(results, plan, lang)
    columns = _cover_columns(lay)
    per = len(table_pages(10_000, lay, height=columns[0].h)[0])
    title = text("atlas_contents", lang)
    page.text(columns[0].x, columns[0].top + 2.0, title, PRINT_TEXT["table_title"])
    fit = fit_table(contents, columns[0].w)
    for i, box in enumerate(columns):
        rows = range(i * per, min((i + 1) * per, len(contents.rows)))
        if len(rows):
            draw_table(page, box, contents, rows, fit=fit, with_total=False)
    cap = per * len(columns)
    frame.footer(page, 1)
    rest = Table(contents.heads, contents.rows[cap:], contents.numeric)
    if not rest.rows:
        return 1
    return 1 + draw_table_pages(doc, frame, rest, heading=title, title=title, first_page=2)


# --- page numbers -------------------------------------------------------------------------


@dataclass(frozen=True)
class PagePlan:
    """The atlas's page numbers, known before any page is drawn.

    Parameters
    ----------
    overview : int
        The overview map's page.
    first : dict of str to int
        ``CityResult.kode`` -> the page of the city's map sheet.
    total : int
        Pages in the atlas.
    """

    overview: int
    first: dict[str, int] = field(default_factory=dict)
    total: int = 0


def page_plan(results: Sequence[CityResult], lay: Layout) -> PagePlan:
    """Number the pages: cover and contents, overview and summary, then each city's pages.

    Parameters
    ----------
    results : sequence of CityResult
    lay : Layout

    Returns
    -------
    PagePlan

    Examples
    --------
    >>> from kotaku_map.results import example_result
    >>> page_plan([example_result()], layout())
    PagePlan(overview=2, first={'33.74': 4}, total=5)
    """
    n_entries = 1 + len(results)
    cap = _cover_capacity(lay)
    cover = 1 + (len(table_pages(n_entries - cap, lay)) if n_entries > cap else 0)
    page = cover + 2 + len(table_pages(len(results), lay)) - 1
    first = {}
    for r in results:
        first[r.kode] = page + 1
        page += 1 + len(table_pages(len(r.kelurahan), lay))
    return PagePlan(cover + 1, first, page)
