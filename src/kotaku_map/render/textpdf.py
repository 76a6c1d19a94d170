"""Pages of text written straight into a PDF: the atlas's tables, contents and cover.

matplotlib lays out and writes every glyph of a text in Python, at about 50 µs a glyph; the
kelurahan tables of a province are close to a million glyphs. Pages that hold nothing but
text, rules, boxes and small swatches are therefore written here, through the same
:class:`~kotaku_map.render.canvas.Canvas` as the map sheets' header and footer: DejaVu Sans
(the typeface matplotlib ships and the map sheets are set in) embedded as a TrueType
subset (fontTools) with a ToUnicode map, so the text is real (searchable, copyable); widths
from the font's own metrics. Deterministic: no date; the subset keeps the font's own
timestamps and is named after the glyphs it holds.
"""

from __future__ import annotations

import functools
import hashlib
import io
import zlib
from typing import Any

import shapely

from .draw import MM_PER_PT, dash_pattern, font_file, hatch_lines, printable
from .print_style import PrintText, print_width
from .symbols import Symbol

__all__ = ["PdfPage", "TextPdf"]

_PT = 1.0 / MM_PER_PT  # points per mm


def _num(v: float) -> str:
    """A number for a PDF content stream: at most 3 decimals, no "-0"."""
    out = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


@functools.lru_cache(maxsize=8)
def _rgb(color: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(color)


def _color(color: str, op: str) -> str:
    r, g, b = _rgb(color)
    return f"{_num(r)} {_num(g)} {_num(b)} {op}"


class _Font:
    """One typeface of a document: its glyphs by character, widths, and the glyphs used."""

    def __init__(self, bold: bool) -> None:
        from fontTools.ttLib import TTFont

        self.data = font_file(bold)
        self.tt = TTFont(io.BytesIO(self.data), recalcTimestamp=False, lazy=True)
        self.upm = self.tt["head"].unitsPerEm
        self.cmap = self.tt.getBestCmap()
        self.hmtx = self.tt["hmtx"]
        self.glyphs: dict[str, tuple[int, int]] = {}  # char -> (glyph id, advance in units)
        self.used: dict[int, str] = {}  # glyph id -> a character it shows

    def glyph(self, char: str) -> tuple[int, int]:
        found = self.glyphs.get(char)
        if found is None:
            name = self.cmap.get(ord(char), ".notdef")
            found = (self.tt.getGlyphID(name), self.hmtx[name][0])
            self.glyphs[char] = found
        return found

    def encode(self, text: str) -> tuple[str, float]:
        """Hex glyph ids (Identity-H) and the width at 1 pt, in points."""
        hexes, width = [], 0
        for char in text:
            gid, adv = self.glyph(char)
            if gid and gid not in self.used:
                self.used[gid] = char
            hexes.append(f"{gid:04X}")
            width += adv
        return "".join(hexes), width / self.upm

    def subset(self) -> bytes:
        """The font cut down to the glyphs used (ids kept), as TrueType bytes."""
        from fontTools import subset
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(self.data), recalcTimestamp=False)
        options = subset.Options()
        options.retain_gids = True
        options.layout_features = []
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM", "MATH"]
        options.hinting = False
        options.notdef_outline = True
        options.glyph_names = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(gids=sorted({0, *self.used}))
        subsetter.subset(font)
        buf = io.BytesIO()
        font.save(buf)
        return buf.getvalue()

    def name(self) -> str:
        """The PostScript name with a subset tag made from the glyphs used."""
        digest = hashlib.sha256(",".join(map(str, sorted(self.used))).encode()).digest()
        tag = "".join(chr(65 + b % 26) for b in digest[:6])
        return f"{tag}+{self.tt['name'].getDebugName(6)}"


class PdfPage:
    """One page of a :class:`TextPdf`: a :class:`~kotaku_map.render.canvas.Canvas` in mm.

    Made by :meth:`TextPdf.page`; its drawing operators are kept until the document is
    written (:meth:`TextPdf.to_bytes`).

    Parameters
    ----------
    doc : TextPdf
        The document it belongs to (its fonts and opacities).
    width, height : float
        The page, mm.
    """

    def __init__(self, doc: TextPdf, width: float, height: float) -> None:
        self.doc = doc
        self.width, self.height = width, height
        self.ops: list[str] = []

    def text(
        self,
        x: float,
        y: float,
        text: str,
        style: PrintText,
        *,
        size: float | None = None,
        ha: str = "left",
    ) -> None:
        """Set ``text`` with its baseline at ``y``; ``ha`` "left", "right" or "center".

        Parameters
        ----------
        x, y : float
            Where the text starts (``ha``), mm; ``y`` is its baseline.
        text : str
            The text (set in capitals where ``style`` says).
        style : PrintText
            Its size, weight and colour.
        size : float, optional
            Overrides the style's size, pt (a text shrunk to fit).
        ha : {"left", "right", "center"}
            Which end of the text is at ``x``.
        """
        size = style.size if size is None else size
        font = self.doc.font(style.bold)
        glyphs, width = font.encode(
            printable(text.upper() if style.upper else text, bold=style.bold)
        )
        x_pt = x * _PT - (
            width * size if ha == "right" else width * size / 2 if ha == "center" else 0
        )
        self.ops.append(
            f"BT /F{int(style.bold)} {_num(size)} Tf {_color(style.color, 'rg')} "
            f"{_num(x_pt)} {_num(y * _PT)} Td <{glyphs}> Tj ET"
        )

    def line(self, x0: float, y0: float, x1: float, y1: float, *, color: str, width: float) -> None:
        """A straight line, ``width`` in points.

        Parameters
        ----------
        x0, y0, x1, y1 : float
            Its ends, mm.
        color : str
            Its colour.
        width : float
            Its width, pt.
        """
        self.ops.append(
            f"{_color(color, 'RG')} {_num(width)} w {_num(x0 * _PT)} {_num(y0 * _PT)} m "
            f"{_num(x1 * _PT)} {_num(y1 * _PT)} l S"
        )

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        *,
        fill: str | None = None,
        stroke: str | None = None,
        width: float = 0.5,
    ) -> None:
        """A rectangle, filled and/or outlined.

        Parameters
        ----------
        x0, y0, x1, y1 : float
            Two opposite corners, mm.
        fill : str, optional
            The fill colour (``None``: not filled).
        stroke : str, optional
            The outline's colour (``None``: no outline).
        width : float
            The outline's width, pt.
        """
        box = (
            f"{_num(x0 * _PT)} {_num(y0 * _PT)} {_num((x1 - x0) * _PT)} {_num((y1 - y0) * _PT)} re"
        )
        if fill:
            self.ops.append(f"{_color(fill, 'rg')} {box} f")
        if stroke:
            self.ops.append(f"{_color(stroke, 'RG')} {_num(width)} w [] 0 d {box} S")

    def swatch(self, x0: float, y0: float, x1: float, y1: float, symbol: Symbol) -> None:
        """A rectangle drawn as ``symbol`` says: fill or hatch, then its outline.

        Parameters
        ----------
        x0, y0, x1, y1 : float
            Two opposite corners, mm.
        symbol : Symbol
            Its fill or hatch and its outline, as the style gives them.
        """
        box = (
            f"{_num(x0 * _PT)} {_num(y0 * _PT)} {_num((x1 - x0) * _PT)} {_num((y1 - y0) * _PT)} re"
        )
        hatch = symbol.hatch
        fill, opacity = (
            (hatch.background, hatch.background_opacity)
            if hatch
            else (symbol.fill, symbol.fill_opacity)
        )
        ops = ["q"]
        if fill is not None and opacity > 0:
            ops.append(f"{self.doc.alpha(opacity)} gs {_color(fill, 'rg')} {box} f")
        if hatch is not None:
            lines = hatch_lines(
                [shapely.box(x0 * _PT, y0 * _PT, x1 * _PT, y1 * _PT)], hatch, unit_per_pt=1.0
            )
            path = " ".join(_polyline(ln) for ln in lines)
            ops.append(
                f"q {box} W n /A100 gs {_color(hatch.color, 'RG')} "
                f"{_num(print_width(hatch.width))} w 0 J {path} S Q"
            )
        if symbol.stroke is not None and symbol.stroke_width > 0:
            dash = dash_pattern(symbol.dash)
            pattern = "" if dash == "solid" else " ".join(_num(d) for d in dash[1])
            ops.append(
                f"{self.doc.alpha(symbol.stroke_opacity)} gs {_color(symbol.stroke, 'RG')} "
                f"{_num(min(print_width(symbol.stroke_width), 0.6))} w [{pattern}] 0 d {box} S"
            )
        ops.append("Q")
        self.ops.append(" ".join(ops))


def _polyline(line: Any) -> str:
    xy = shapely.get_coordinates(line)
    first = f"{_num(xy[0, 0])} {_num(xy[0, 1])} m"
    return " ".join([first] + [f"{_num(x)} {_num(y)} l" for x, y in xy[1:]])


class TextPdf:
    """A PDF of pages of text, rules and swatches (see the module's description).

    Examples
    --------
    >>> from kotaku_map.render.print_style import PRINT_TEXT
    >>> doc = TextPdf()
    >>> page = doc.page(210, 297)
    >>> page.text(20, 270, "Kelurahan Panjang Wetan", PRINT_TEXT["table"])
    >>> pdf = doc.to_bytes()
    >>> pdf[:8], pdf == doc.to_bytes()
    (b'%PDF-1.7', True)
    """

    def __init__(self) -> None:
        self.pages: list[PdfPage] = []
        self._fonts: dict[bool, _Font] = {}
        self._alphas: dict[str, float] = {"A100": 1.0}

    def page(self, width: float, height: float) -> PdfPage:
        """A new page, ``width`` x ``height`` mm.

        Parameters
        ----------
        width, height : float
            The page, mm.

        Returns
        -------
        PdfPage
            The page, added to the document after the others.
        """
        page = PdfPage(self, width, height)
        self.pages.append(page)
        return page

    def font(self, bold: bool) -> _Font:
        """The regular or bold typeface (loaded once).

        Parameters
        ----------
        bold : bool
            The bold face, else the regular one.

        Returns
        -------
        object
            The typeface: its glyphs as the pages use them, subset when written.
        """
        if bold not in self._fonts:
            self._fonts[bold] = _Font(bold)
        return self._fonts[bold]

    def alpha(self, opacity: float) -> str:
        """The name of a graphics state with this opacity (``/A60 gs``).

        Parameters
        ----------
        opacity : float
            0..1 (kept to the hundredth).

        Returns
        -------
        str
            The name, with its slash (``"/A60"``).
        """
        name = f"A{round(float(opacity) * 100):d}"
        self._alphas[name] = round(float(opacity), 2)
        return f"/{name}"

    def to_bytes(self) -> bytes:
        """The document as PDF bytes.

        Returns
        -------
        bytes
            A PDF 1.7 file, the same bytes for the same pages.
        """
        return _Writer(self).write()


class _Writer:
    """Numbers the objects of a :class:`TextPdf` and writes them, xref and trailer."""

    def __init__(self, doc: TextPdf) -> None:
        self.doc = doc
        self.objects: list[bytes] = []

    def add(self, body: bytes | str) -> int:
        self.objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(self.objects)

    def reserve(self) -> int:
        return self.add(b"")

    def set(self, number: int, body: bytes | str) -> None:
        self.objects[number - 1] = body.encode("latin-1") if isinstance(body, str) else body

    def stream(self, data: bytes, extra: str = "") -> int:
        packed = zlib.compress(data, 6)
        head = f"<< /Length {len(packed)} /Filter /FlateDecode{extra} >>\nstream\n"
        return self.add(head.encode("latin-1") + packed + b"\nendstream")

    def write(self) -> bytes:
        catalog, pages = self.reserve(), self.reserve()
        resources = self.reserve()
        kids = []
        for page in self.doc.pages:
            content = self.stream(" \n".join(page.ops).encode("latin-1"))
            kids.append(
                self.add(
                    f"<< /Type /Page /Parent {pages} 0 R "
                    f"/MediaBox [0 0 {_num(page.width * _PT)} {_num(page.height * _PT)}] "
                    f"/Resources {resources} 0 R /Contents {content} 0 R >>"
                )
            )
        fonts = " ".join(
            f"/F{int(bold)} {self.font(f)} 0 R" for bold, f in sorted(self.doc._fonts.items())
        )
        states = " ".join(
            f"/{k} << /ca {_num(v)} /CA {_num(v)} >>" for k, v in sorted(self.doc._alphas.items())
        )
        self.set(resources, f"<< /Font << {fonts} >> /ExtGState << {states} >> >>")
        self.set(
            pages,
            f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>",
        )
        self.set(catalog, f"<< /Type /Catalog /Pages {pages} 0 R >>")
        return self.serialise(catalog)

    def font(self, font: _Font) -> int:
        """The five objects of a Type 0 font with an embedded TrueType subset."""
        tt = font.tt
        scale = 1000.0 / font.upm
        head, hhea = tt["head"], tt["hhea"]
        data = font.subset()
        file = self.stream(data, f" /Length1 {len(data)}")
        bbox = " ".join(_num(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax))
        cap = getattr(tt["OS/2"], "sCapHeight", hhea.ascent) * scale
        descriptor = self.add(
            f"<< /Type /FontDescriptor /FontName /{font.name()} /Flags 32 /FontBBox [{bbox}] "
            f"/ItalicAngle 0 /Ascent {_num(hhea.ascent * scale)} "
            f"/Descent {_num(hhea.descent * scale)} /CapHeight {_num(cap)} /StemV 80 "
            f"/FontFile2 {file} 0 R >>"
        )
        widths = " ".join(
            f"{gid} [{_num(font.hmtx[tt.getGlyphName(gid)][0] * scale)}]"
            for gid in sorted(font.used)
        )
        cid = self.add(
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{font.name()} "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/FontDescriptor {descriptor} 0 R /W [{widths}] /CIDToGIDMap /Identity >>"
        )
        to_unicode = self.stream(_to_unicode(font.used).encode("latin-1"))
        return self.add(
            f"<< /Type /Font /Subtype /Type0 /BaseFont /{font.name()} /Encoding /Identity-H "
            f"/DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>"
        )

    def serialise(self, root: int) -> bytes:
        out = io.BytesIO()
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, body in enumerate(self.objects, start=1):
            offsets.append(out.tell())
            out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
        xref = out.tell()
        out.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
        for off in offsets:
            out.write(f"{off:010d} 00000 n \n".encode())
        trailer = f"trailer\n<< /Size {len(offsets) + 1} /Root {root} 0 R >>\n"
        out.write(f"{trailer}startxref\n{xref}\n%%EOF\n".encode())
        return out.getvalue()


def _to_unicode(used: dict[int, str]) -> str:
    """A ToUnicode CMap: each glyph id back to the character it shows."""
    items = sorted(used.items())
    blocks = []
    for i in range(0, len(items), 100):
        chunk = items[i : i + 100]
        pairs = "\n".join(
            f"<{gid:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for gid, ch in chunk
        )
        blocks.append(f"{len(chunk)} beginbfchar\n{pairs}\nendbfchar")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
