"""Command line: ``kotaku-map build [CONFIG]``, ``atlas [CONFIG]`` and ``demo [FOLDER]``.

A thin layer over the public API. Errors a user can act on
(:class:`~kotaku_map.errors.KotakuMapError`) print one line and exit with status 2.
Ctrl-C and SIGTERM stop a build the same way: one line, exit 130 or 143, no traceback,
the previous outputs whole.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ._version import __version__
from .errors import KotakuMapError

DEMO_FOLDER = Path("layers") / "demo"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kotaku-map",
        description="Peta keterpaduan program penanganan kumuh (KOTAKU: NSUP, NUSP-2, APBD).",
    )
    p.add_argument("--version", action="version", version=f"kotaku-map {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build maps and tables from a config (default: the demo)")
    b.add_argument("config", nargs="?", help="project config (TOML); default: the bundled demo")
    b.add_argument("-o", "--output", help="output folder (default: the config's, 'output')")
    b.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    b.add_argument("-v", "--verbose", action="store_true", help="per-city figures and timing")
    b.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        help="worker processes, 1 to twice the cores (default: all cores for big builds)",
    )
    b.add_argument(
        "--force",
        action="store_true",
        help="replace an output folder that kotaku-map did not make, and all in it",
    )
    a = sub.add_parser(
        "atlas", help="write the printed atlas (atlas.pdf, a PNG per city) from a config"
    )
    a.add_argument("config", nargs="?", help="project config (TOML); default: the bundled demo")
    a.add_argument("-o", "--output", help="output folder (default: the config's, 'output')")
    a.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    a.add_argument(
        "-j", "--jobs", type=int, default=None, help="worker processes, 1 to twice the cores"
    )
    a.add_argument("--paper", choices=["A4", "A3"], help="paper (default: the config's, A4)")
    a.add_argument(
        "--orientation",
        choices=["landscape", "portrait"],
        help="orientation (default: the config's, landscape)",
    )
    a.add_argument("--dpi", type=_dpi, help="resolution of the PNGs (default: the config's, 150)")
    a.add_argument(
        "--force",
        action="store_true",
        help="write into an output folder that kotaku-map did not make, and all in it",
    )
    _banding_parser(sub)
    d = sub.add_parser("demo", help="write the fictional demo layers")
    d.add_argument("folder", nargs="?", default=str(DEMO_FOLDER), help="default: layers/demo")
    return p


def _banding_parser(sub: argparse._SubParsersAction) -> None:
    """``kotaku-map banding OLD NEW``: its arguments."""
    c = sub.add_parser(
        "banding", help="what changed between two builds (output folders): tables and maps"
    )
    c.add_argument("old", help="the earlier build's output folder (with manifest.json)")
    c.add_argument("new", help="the later build's output folder")
    c.add_argument("-o", "--output", default="banding", help="output folder (default: banding)")
    c.add_argument("--label", help="the earlier forum, as the summary names it (default: its date)")
    c.add_argument("--lang", choices=["id", "en"], default="id", help="language (default: id)")
    c.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    c.add_argument(
        "--force",
        action="store_true",
        help="replace an output folder that kotaku-map did not make, and all in it",
    )


def _dpi(value: str) -> int:
    """``--dpi``: a whole number in the config's range."""
    from .config_parse import ATLAS_DPI_RANGE

    low, high = ATLAS_DPI_RANGE
    try:
        dpi = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if not low <= dpi <= high:
        raise argparse.ArgumentTypeError(f"expected {low} to {high}, got {dpi}")
    return dpi


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 2 after a :class:`~kotaku_map.errors.KotakuMapError` (one line on
        stderr, no traceback), 130 when interrupted (Ctrl-C), 143 when terminated
        (SIGTERM).
    """
    args = _parser().parse_args(argv)
    try:
        with _sigterm_interrupts():
            if args.command == "demo":
                from .demo import make_demo

                cfg = make_demo(args.folder)
                print(f"demo ditulis / written: {cfg}")
                return 0
            if args.command == "atlas":
                return _atlas(args)
            if args.command == "banding":
                return _banding(args)
            return _build(args)
    except KotakuMapError as exc:
        print(f"kotaku-map: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except Terminated:
        print("kotaku-map: terminated; previous outputs left as they were", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("kotaku-map: interrupted; previous outputs left as they were", file=sys.stderr)
        return 130


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C's ``KeyboardInterrupt`` so that the same cleanup runs."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """While the command runs, SIGTERM raises :class:`Terminated` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _one_line(exc: BaseException) -> str:
    """The error's message on one line (a path or a name may hold a line break)."""
    return " ".join(str(exc).split("\n"))


def _config_path(args: argparse.Namespace) -> str | Path:
    """The config given, or the demo's (written first if it is not there)."""
    if args.config is not None:
        return str(args.config)
    config = DEMO_FOLDER / "kotaku.toml"
    if not config.exists():
        from .demo import make_demo

        config = make_demo(DEMO_FOLDER)
        if not args.quiet:
            print(f"demo ditulis / written: {config}")
    return config


def _atlas(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from .build import build
    from .config import load_config

    cfg = load_config(_config_path(args))
    overrides = {k: getattr(args, k) for k in ("paper", "orientation", "dpi")}
    overrides = {k: v for k, v in overrides.items() if v is not None}
    cfg = replace(cfg, output=replace(cfg.output, **overrides))
    t0 = time.perf_counter()
    result = build(
        cfg, output_dir=args.output, progress=not args.quiet, workers=args.jobs, write=False
    )
    paths = result.write_atlas(progress=not args.quiet, workers=args.jobs, force=args.force)
    if not args.quiet:
        size = paths[0].stat().st_size / 1e6
        print(
            f"{len(result.cities)} kab/kota, {paths[0]} ({size:.1f} MB), "
            f"{len(paths) - 1} PNG; {time.perf_counter() - t0:.1f} s"
        )
    return 0


def _banding(args: argparse.Namespace) -> int:
    from .banding import compare
    from .banding_write import write_banding

    comparison = compare(args.old, args.new, label=args.label)
    write_banding(comparison, args.output, force=args.force, lang=args.lang)
    for note in comparison.notes(args.lang):
        print(f"kotaku-map: catatan / note: {note}", file=sys.stderr)
    if not args.quiet:
        for city, sentence in comparison.sentences(args.lang).items():
            print(f"{city}: {sentence}")
        print(f"keluaran / outputs: {Path(args.output).absolute()}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .build import build

    config = _config_path(args)
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = build(
            config,
            output_dir=args.output,
            progress=not args.quiet,
            workers=args.jobs,
            force=args.force,
        )
    for w in caught:
        if issubclass(w.category, UserWarning) and "kotaku_map" in str(w.filename):
            print(f"kotaku-map: warning: {w.message}", file=sys.stderr)
    seconds = time.perf_counter() - t0
    if args.quiet:
        return 0
    summary = result.summary
    cols = ["kabkota", "jumlah_kelurahan", "kumuh_ha", "tumpang_tindih_ha", "celah_ha", "sliver_ha"]
    if args.verbose:  # per city: the figures and the seconds each step took
        table = summary[cols].copy()
        for step, col in (("analisis", "analisis_s"), ("tulis", "tulis_s")):
            table[col] = [r.seconds.get(step, float("nan")) for r in result.cities]
        print(table.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    elif len(summary) <= 20:
        print(summary[cols].to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    rows = result.manifest["baris"]
    problems = len(result.inputs.problems)
    print(
        f"{len(result.cities)} kab/kota, {sum(v['baris_dibaca'] for v in rows.values())} "
        f"baris dibaca, {problems} masalah (masalah.csv); {seconds:.1f} s"
    )
    print(f"keluaran / outputs: {result.out_dir}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
