"""Writing the atlas: ``atlas.pdf`` and a PNG per map sheet, cities drawn in workers.

Cities are drawn in parts (a few cities each, :data:`PART_KELURAHAN`), in worker processes
where the build uses them (:func:`kotaku_map.jobs.run_jobs`): a part's map sheets into one
PDF (matplotlib), its kelurahan tables into another (:mod:`~kotaku_map.render.textpdf`),
and each map sheet as a PNG. The parent draws the cover, the overview and the summary
table, then joins the pages in order with pypdf, adds bookmarks (overview, each city and
its table) and the document's metadata (title, the build's date, kotaku_map's version).
Page numbers are planned before any page is drawn
(:func:`~kotaku_map.render.atlas.page_plan`), so a part needs nothing from the others; the
parts depend on the cities only, so the bytes do not depend on the number of workers.

Deterministic: the dates are the build's (:func:`kotaku_map.clock.build_time`), the fonts
matplotlib's own (subset the same way every time), and nothing else varies.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kotaku_map._version import __version__
from kotaku_map.clock import build_time
from kotaku_map.jobs import auto_workers, run_jobs
from kotaku_map.results import CityResult

from .atlas import (
    AtlasOptions,
    PageFrame,
    PagePlan,
    draw_cover,
    draw_table_pages,
    kelurahan_table,
    page_plan,
    summary_table_data,
)
from .city_sheet import city_sheet, sheet_shapes
from .draw import RC
from .labels import text
from .overview_sheet import overview_sheet
from .shapes import city_shape
from .textpdf import TextPdf

__all__ = ["figures_pdf", "join_pdfs", "pdf_date", "write_atlas"]

ATLAS_PDF = "atlas.pdf"
PNG_FOLDER = "atlas"
OVERVIEW_PNG = "0000-ringkasan.png"


def pdf_date(when: _dt.datetime) -> str:
    """A time as a PDF date string (UTC).

    Parameters
    ----------
    when : datetime.datetime
        Timezone-aware, or UTC.

    Returns
    -------
    str

    Examples
    --------
    >>> import datetime
    >>> pdf_date(datetime.datetime(2017, 2, 3, tzinfo=datetime.timezone.utc))
    "D:20170203000000+00'00'"
    """
    utc = when.astimezone(_dt.timezone.utc) if when.tzinfo else when
    return utc.strftime("D:%Y%m%d%H%M%S+00'00'")


def figures_pdf(figures: Sequence[Any]) -> bytes:
    """Figures as the pages of one PDF: no date, no producer, fonts embedded (TrueType).

    Parameters
    ----------
    figures : sequence of matplotlib.figure.Figure

    Returns
    -------
    bytes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> figures_pdf([Figure(), Figure()])[:5]
    b'%PDF-'
    """
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    buf = io.BytesIO()
    keep_out = {"Creator": None, "Producer": None, "CreationDate": None}
    with matplotlib.rc_context(RC), PdfPages(buf, metadata=keep_out) as pdf:
        for fig in figures:
            pdf.savefig(fig)
    return buf.getvalue()


def join_pdfs(
    sources: Sequence[bytes],
    order: Sequence[tuple[int, int]],
    path: Path,
    *,
    metadata: Mapping[str, str],
    bookmarks: Sequence[tuple[str, int, int | None]] = (),
) -> None:
    """Join pages of PDFs into one file, in the order given, with bookmarks and metadata.

    Parameters
    ----------
    sources : sequence of bytes
        The PDFs.
    order : sequence of (int, int)
        Each page of the result: the index of its PDF in ``sources`` and its page there.
        Fonts and images a PDF's pages share are written once.
    path : Path
        The file written.
    metadata : mapping
        Document information, PDF keys (``"/Title"``, ``"/CreationDate"``, ...).
    bookmarks : sequence of (str, int, int or None)
        Title, 0-based page and the index of the parent bookmark in this sequence.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(pdf)) for pdf in sources]
    for source, page in order:
        writer.add_page(readers[source].pages[page])
    made: list[Any] = []
    for title, page, parent in bookmarks:
        up = made[parent] if parent is not None else None
        made.append(writer.add_outline_item(title=title, page_number=page, parent=up))
    if bookmarks:
        writer.page_mode = "/UseOutlines"
    writer.add_metadata(dict(metadata))
    with open(path, "wb") as fh:
        writer.write(fh)


#: cities are drawn in parts of about this many kelurahan: each part is one matplotlib PDF
#: of map sheets and one of tables, each with its own font subsets (subsetting costs
#: ~0.2 s a font), and the parts go to the workers
PART_KELURAHAN = 1500


def _parts(results: Sequence[CityResult]) -> list[list[int]]:
    """Consecutive cities grouped into parts of at least ``PART_KELURAHAN`` kelurahan.

    The grouping depends on the cities alone, not on the number of workers, so that the
    PDF's bytes do not either.
    """
    parts: list[list[int]] = [[]]
    size = 0
    for i, r in enumerate(results):
        if size >= PART_KELURAHAN:
            parts.append([])
            size = 0
        parts[-1].append(i)
        size += max(len(r.kelurahan), 1)
    return [p for p in parts if p]


@dataclass(frozen=True)
class _Part:
    """What a worker sends back: its map sheets, its tables, and the cities' outlines."""

    sheets: bytes
    tables: bytes
    table_pages: list[int]
    outlines: list[tuple[Any, Any]]


def _draw_part(
    results: Sequence[CityResult],
    options: AtlasOptions,
    first_pages: Sequence[int],
    total_pages: int,
    date: _dt.date,
    pngs: Sequence[Path],
) -> _Part:
    """Draw some cities' pages (a job for :func:`~kotaku_map.jobs.run_jobs`)."""
    frame = PageFrame.make(options, date, total_pages)
    sheets, outlines, counts = [], [], []
    doc = TextPdf()
    for result, first, png in zip(results, first_pages, pngs, strict=True):
        shapes = sheet_shapes(result, options)
        sheet = city_sheet(
            result, options=options, date=date, page=first, total_pages=total_pages, shapes=shapes
        )
        _save_png(sheet, png, options.dpi)
        sheets.append(sheet)
        table = kelurahan_table(result, options.lang)
        counts.append(
            draw_table_pages(
                doc,
                frame,
                table,
                heading=str(result.nama),
                title=text("kelurahan_table", options.lang),
                first_page=first + 1,
            )
        )
        outlines.append(_outline(result, shapes))
    return _Part(figures_pdf(sheets), doc.to_bytes(), counts, outlines)


def _outline(result: CityResult, shapes: Any) -> tuple[Any, Any]:
    """The city's outline and a point inside it, EPSG:4326, for the overview."""
    if shapes is None or not len(shapes.outline):
        return None, None
    return city_shape(result, 50.0, outline=shapes.outline.geometry.iloc[0])


def _save_png(figure: Any, path: Path, dpi: int) -> None:
    import matplotlib

    with matplotlib.rc_context(RC):
        figure.savefig(path, format="png", dpi=dpi, metadata={"Software": None})


def _metadata(options: AtlasOptions, when: _dt.datetime, n_cities: int) -> dict[str, str]:
    lang = options.lang
    date = pdf_date(when)
    return {
        "/Title": options.title or text("atlas_title", lang),
        "/Subject": f"{text('atlas_title', lang)}: {text('n_cities', lang, n=n_cities)}",
        "/Author": "kotaku_map",
        "/Creator": f"kotaku_map {__version__}",
        "/Producer": f"kotaku_map {__version__} (matplotlib, pypdf)",
        "/Keywords": "KOTAKU; peta keterpaduan; NSUP; NUSP-2; kumuh",
        "/CreationDate": date,
        "/ModDate": date,
    }


def _bookmarks(
    results: Sequence[CityResult], plan: PagePlan, lang: str
) -> list[tuple[str, int, int | None]]:
    marks: list[tuple[str, int, int | None]] = [
        (text("atlas_contents", lang), 0, None),
        (text("atlas_overview", lang), plan.overview - 1, None),
        (text("summary_table", lang), plan.overview, 1),
    ]
    for r in results:
        first = plan.first[r.kode] - 1
        marks.append((str(r.nama), first, None))
        marks.append((text("kelurahan_table", lang), first + 1, len(marks) - 1))
    return marks


def _front(
    results: Sequence[CityResult],
    outlines: Mapping[str, tuple[Any, Any]],
    plan: PagePlan,
    options: AtlasOptions,
    date: _dt.date,
) -> tuple[bytes, bytes, int, Any]:
    """Cover and contents, overview sheet, summary table.

    Returns the PDF of the pages of text, the overview sheet's PDF, the number of cover and
    contents pages, and the overview's figure (for its PNG).
    """
    frame = PageFrame.make(options, date, plan.total)
    doc = TextPdf()
    cover = draw_cover(doc, results, plan, frame)
    overview = overview_sheet(
        results, outlines, options=options, date=date, page=plan.overview, total_pages=plan.total
    )
    draw_table_pages(
        doc,
        frame,
        summary_table_data(results, options.lang),
        heading=text("atlas_overview", options.lang),
        title=text("summary_table", options.lang),
        first_page=plan.overview + 1,
    )
    return doc.to_bytes(), figures_pdf([overview]), cover, overview


def write_atlas(
    results: Sequence[CityResult],
    folder: str | Path,
    *,
    options: AtlasOptions | None = None,
    names: Mapping[str, str] | None = None,
    workers: int | None = None,
    progress: bool = False,
    when: _dt.datetime | None = None,
) -> list[Path]:
    """Write ``atlas.pdf`` and ``atlas/<city>.png`` (one per map sheet) into ``folder``.

    Parameters
    ----------
    results : sequence of CityResult
        The cities, in the order of the atlas.
    folder : str or Path
        The output folder (created if missing).
    options : AtlasOptions, optional
        Paper, orientation, dpi, language, title, sources, ILUSTRATIF.
    names : mapping, optional
        ``CityResult.kode`` -> file name of the city's PNG without ``.png`` (default: the
        build's city folder names, :func:`kotaku_map.writers.city_slugs`).
    workers : int, optional
        Worker processes (see :mod:`kotaku_map.jobs`); the bytes do not depend on it.
    progress : bool
        Show a progress bar over the parts.
    when : datetime.datetime, optional
        The date printed and in the metadata (default: :func:`kotaku_map.clock.build_time`).

    Returns
    -------
    list of Path
        ``atlas.pdf``, then the PNGs.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kotaku_map.results import example_result
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = write_atlas([example_result()], d)
    ...     [p.relative_to(d).as_posix() for p in paths]
    ['atlas.pdf', 'atlas/0000-ringkasan.png', 'atlas/3374-kota-contoh.png']
    """
    from kotaku_map.writers import city_slugs

    options = options or AtlasOptions()
    folder = Path(folder)
    (folder / PNG_FOLDER).mkdir(parents=True, exist_ok=True)
    when = when or build_time()
    names = names or city_slugs(results)
    plan = page_plan(results, options.layout)
    pngs = [folder / PNG_FOLDER / f"{names[r.kode]}.png" for r in results]
    groups = _parts(results)
    jobs = [
        {
            "results": [results[i] for i in group],
            "options": options,
            "first_pages": [plan.first[results[i].kode] for i in group],
            "total_pages": plan.total,
            "date": when.date(),
            "pngs": [pngs[i] for i in group],
        }
        for group in groups
    ]
    sizes = [sum(len(results[i].kelurahan) for i in group) for group in groups]
    n_workers = auto_workers(workers, kelurahan=sum(sizes), cities=len(groups))
    parts = run_jobs(
        _draw_part, jobs, workers=n_workers, progress=progress, desc="atlas", sizes=sizes
    )
    flat = [o for part in parts for o in part.outlines]
    outlines = {r.kode: o for r, o in zip(results, flat, strict=True)}
    front_text, front_sheet, cover, overview = _front(results, outlines, plan, options, when.date())
    _save_png(overview, folder / PNG_FOLDER / OVERVIEW_PNG, options.dpi)
    sources, order = _page_order(front_text, front_sheet, cover, parts)
    if len(order) != plan.total:  # pragma: no cover - the plan and the pages disagree
        raise RuntimeError(f"the atlas has {len(order)} pages, planned {plan.total}")
    join_pdfs(
        sources,
        order,
        folder / ATLAS_PDF,
        metadata=_metadata(options, when, len(results)),
        bookmarks=_bookmarks(results, plan, options.lang),
    )
    return [folder / ATLAS_PDF, folder / PNG_FOLDER / OVERVIEW_PNG] + pngs


def _page_order(
    front_text: bytes, front_sheet: bytes, cover: int, parts: Sequence[_Part]
) -> tuple[list[bytes], list[tuple[int, int]]]:
    """The PDFs to join and, page by page, (which PDF, which of its pages)."""
    sources = [front_text, front_sheet]
    order = [(0, i) for i in range(cover)] + [(1, 0)]
    summary = _page_count(front_text) - cover
    order += [(0, cover + i) for i in range(summary)]
    for part in parts:
        sheets, tables = len(sources), len(sources) + 1
        sources += [part.sheets, part.tables]
        at = 0
        for j, n in enumerate(part.table_pages):
            order.append((sheets, j))
            order += [(tables, at + i) for i in range(n)]
            at += n
    return sources, order


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)
