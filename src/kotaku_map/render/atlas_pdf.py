"""Writing the atlas: ``atlas.pdf`` and a PNG per map sheet, cities drawn in workers.

The work is split into jobs for the build's worker processes
(:func:`kotaku_map.jobs.run_jobs`): one writes every page of text (cover and contents, the
summary table, the kelurahan tables: :mod:`~kotaku_map.render.textpdf`, one font subset
for them all), the others draw the map sheets, a few cities each (:data:`PART_KELURAHAN`),
into one matplotlib PDF and a PNG per sheet. The parent then draws the overview (it needs
the cities' outlines), joins the pages in order with pypdf, adds bookmarks (overview, each
city and its table) and the document's metadata (title, the build's date, kotaku_map's
version).
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
from kotaku_map.files import city_slugs
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
from .table import table_pages
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


#: the map sheets are drawn in parts of about this many kelurahan: a part is one matplotlib
#: PDF with its own font subsets (subsetting costs ~0.3 s a font), and parts go to the workers
PART_KELURAHAN = 1500
#: the pages of text of a kelurahan cost about this share of its map sheet's (for scheduling)
TEXT_COST = 0.15


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


def _draw_job(kind: str, **params: Any) -> Any:
    """One job of the atlas (:func:`~kotaku_map.jobs.run_jobs`): its text, or some sheets."""
    return _draw_text(**params) if kind == "text" else _draw_sheets(**params)


def _draw_text(
    results: Sequence[CityResult], options: AtlasOptions, plan: PagePlan, date: _dt.date
) -> bytes:
    """Every page of text, in order: cover and contents, summary table, the cities' tables."""
    frame = PageFrame.make(options, date, plan.total)
    lang = options.lang
    doc = TextPdf()
    draw_cover(doc, results, plan, frame)
    draw_table_pages(
        doc,
        frame,
        summary_table_data(results, lang),
        heading=text("atlas_overview", lang),
        title=text("summary_table", lang),
        first_page=plan.overview + 1,
    )
    for r in results:
        draw_table_pages(
            doc,
            frame,
            kelurahan_table(r, lang),
            heading=str(r.nama),
            title=text("kelurahan_table", lang),
            first_page=plan.first[r.kode] + 1,
        )
    return doc.to_bytes()


@dataclass(frozen=True)
class _Sheets:
    """What a worker sends back: its cities' map sheets as one PDF, and their outlines."""

    pdf: bytes
    outlines: list[tuple[Any, Any]]


def _draw_sheets(
    results: Sequence[CityResult],
    options: AtlasOptions,
    plan: PagePlan,
    date: _dt.date,
    pngs: Sequence[Path],
) -> _Sheets:
    """Some cities' map sheets, into one PDF and a PNG each."""
    sheets, outlines = [], []
    for result, png in zip(results, pngs, strict=True):
        shapes = sheet_shapes(result, options)
        sheet = city_sheet(
            result,
            options=options,
            date=date,
            page=plan.first[result.kode],
            total_pages=plan.total,
            shapes=shapes,
        )
        _save_png(sheet, png, options.dpi)
        sheets.append(sheet)
        outlines.append(_outline(result, shapes))
    return _Sheets(figures_pdf(sheets), outlines)


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


def _jobs(
    results: Sequence[CityResult],
    options: AtlasOptions,
    plan: PagePlan,
    date: _dt.date,
    pngs: Sequence[Path],
) -> tuple[list[dict[str, Any]], list[float]]:
    """The pages of text as one job, the map sheets in parts; and each job's size."""
    n = sum(len(r.kelurahan) for r in results)
    jobs: list[dict[str, Any]] = [
        {"kind": "text", "results": results, "options": options, "plan": plan, "date": date}
    ]
    sizes = [TEXT_COST * n]
    for group in _parts(results):
        jobs.append(
            {
                "kind": "sheets",
                "results": [results[i] for i in group],
                "options": options,
                "plan": plan,
                "date": date,
                "pngs": [pngs[i] for i in group],
            }
        )
        sizes.append(float(sum(len(results[i].kelurahan) for i in group)))
    return jobs, sizes


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
        Show a progress bar over the jobs.
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
    options = options or AtlasOptions()
    folder = Path(folder)
    (folder / PNG_FOLDER).mkdir(parents=True, exist_ok=True)
    when = when or build_time()
    names = names or city_slugs(results)
    plan = page_plan(results, options.layout)
    pngs = [folder / PNG_FOLDER / f"{names[r.kode]}.png" for r in results]
    jobs, sizes = _jobs(results, options, plan, when.date(), pngs)
    n_workers = auto_workers(
        workers, kelurahan=sum(len(r.kelurahan) for r in results), cities=len(jobs)
    )
    done = run_jobs(
        _draw_job, jobs, workers=n_workers, progress=progress, desc="atlas", sizes=sizes
    )
    text_pdf, parts = done[0], done[1:]
    flat = [o for part in parts for o in part.outlines]
    outlines = {r.kode: o for r, o in zip(results, flat, strict=True)}
    overview = overview_sheet(
        results,
        outlines,
        options=options,
        date=when.date(),
        page=plan.overview,
        total_pages=plan.total,
    )
    _save_png(overview, folder / PNG_FOLDER / OVERVIEW_PNG, options.dpi)
    sources = [text_pdf, figures_pdf([overview])] + [part.pdf for part in parts]
    join_pdfs(
        sources,
        _page_order(results, plan, options, [len(part.outlines) for part in parts]),
        folder / ATLAS_PDF,
        metadata=_metadata(options, when, len(results)),
        bookmarks=_bookmarks(results, plan, options.lang),
    )
    return [folder / ATLAS_PDF, folder / PNG_FOLDER / OVERVIEW_PNG] + pngs


def _page_order(
    results: Sequence[CityResult], plan: PagePlan, options: AtlasOptions, part_sizes: list[int]
) -> list[tuple[int, int]]:
    """Page by page: (which PDF, which of its pages).

    Source 0 is the pages of text, 1 the overview sheet, then the parts of map sheets.
    """
    lay = options.layout
    cover = plan.overview - 1
    order = [(0, i) for i in range(cover)] + [(1, 0)]
    at = cover + len(table_pages(len(results), lay))  # the text's next page
    order += [(0, i) for i in range(cover, at)]
    sheet = [(2 + k, j) for k, n in enumerate(part_sizes) for j in range(n)]
    for r, place in zip(results, sheet, strict=True):
        order.append(place)
        n = len(table_pages(len(r.kelurahan), lay))
        order += [(0, at + i) for i in range(n)]
        at += n
    if len(order) != plan.total:  # pragma: no cover - the plan and the pages disagree
        raise RuntimeError(f"the atlas has {len(order)} pages, planned {plan.total}")
    return order
