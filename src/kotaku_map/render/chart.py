"""The progress chart: slum hectares per level and year, as an inline SVG for the map."""

from __future__ import annotations

import base64
import io

import numpy as np
import pandas as pd

from kotaku_map import schema as S
from kotaku_map.progress import level_column

from .labels import text, value_label
from .style import PROGRESS_LEVEL_COLORS

__all__ = ["progress_chart"]


def _number(value: float, lang: str) -> str:
    out = f"{value:,.1f}"
    if lang != "en":  # 1.234,5 in Indonesian
        out = out.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return out


def progress_chart(summary: pd.DataFrame, *, title: str = "", lang: str = "id") -> str:
    """The city's progress chart as an inline ``data:image/svg+xml`` URI (matplotlib).

    Stacked bars of hectares per level and year, in the colours and with the labels of
    the map's slum levels, with the slum hectares left (the distance to 0 ha) written
    above each bar. Deterministic (no date, fixed ids).

    Parameters
    ----------
    summary : DataFrame
        A city's :func:`kotaku_map.progress.progress_summary`.
    title : str
    lang : {"id", "en"}

    Returns
    -------
    str
        A ``data:image/svg+xml;base64,...`` URI.

    Examples
    --------
    >>> s = pd.DataFrame({"tahun": [2019, 2020], "ha_kumuh_berat": [0.0, 0.0],
    ...     "ha_kumuh_sedang": [2.0, 0.0], "ha_kumuh_ringan": [3.0, 1.0],
    ...     "ha_tidak_kumuh": [0.0, 4.0], "ha_tidak_diketahui": [0.0, 0.0],
    ...     "kumuh_ha": [5.0, 1.0]})
    >>> progress_chart(s).startswith("data:image/svg+xml;base64,")
    True
    """
    import matplotlib
    from matplotlib.figure import Figure

    # drawn at about the size the map's panel shows it (440 px), so its text stays ~12 px on
    # screen; the panel's chart also opens full-screen for a projector
    rc = {"svg.hashsalt": "kotaku_map", "svg.fonttype": "path", "font.size": 13}
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(4.8, 3.9), dpi=100)
        ax = fig.add_subplot()
        years = [str(int(y)) for y in summary["tahun"]]
        x = np.arange(len(years))
        bottom = np.zeros(len(years))
        for level, color in PROGRESS_LEVEL_COLORS.items():
            col = level_column(level)
            if col not in summary or not (summary[col] > 0).any():
                continue
            v = summary[col].to_numpy(dtype=float)
            ax.bar(
                x,
                v,
                bottom=bottom,
                color=color,
                edgecolor="#333333",
                linewidth=0.6,
                label=value_label(level, lang),
            )
            bottom += v
        for xi, total, left in zip(x, bottom, summary[S.KUMUH_HA], strict=True):
            ax.text(
                float(xi), float(total), _number(left, lang), ha="center", va="bottom", fontsize=12
            )
        ax.set_xticks(x, years)
        ax.set_xlabel(text("chart_year", lang))
        ax.set_ylabel(text("chart_area", lang))
        ax.set_ylim(0, max(float(bottom.max()) if len(bottom) else 1.0, 1.0) * 1.15)
        ax.spines[["top", "right"]].set_visible(False)
        if title:
            ax.set_title(f"{title}: {text('chart_left', lang)} (ha) ↑", fontsize=13)
        ax.legend(
            fontsize=12,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.2),
            ncol=2,
            frameon=False,
        )
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "kotaku_map"})
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
