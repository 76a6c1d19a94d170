"""kotaku_map benchmark: one command, one table (see benchmarks/README.md).

    python benchmarks/run.py                    # province + peer, national, scaling
    python benchmarks/run.py --only province    # kotaku_map and the peer on Jawa Tengah
    python benchmarks/run.py --only national    # ~85,600 desa in 514 kab/kota
    python benchmarks/run.py --only scaling     # ~1.1k, ~8.6k, ~85.6k desa
    python benchmarks/run.py --only atlas       # the printed atlas of Jawa Tengah
    python benchmarks/run.py --only sync        # Kota Pekalongan, real data, [sync]
    python benchmarks/run.py --quick            # smoke: peer + kotaku_map on ~1.1k desa, sync

Every measured run is a subprocess: wall time (perf_counter around it), CPU seconds (user +
system of the process and every worker it waited for, ``os.wait4``), peak RSS (the child's
``ru_maxrss``), the total size of the ``*.html`` it wrote and of the atlas (``atlas.pdf``), if
it wrote one. kotaku_map runs from this checkout's ``src`` (put first on ``PYTHONPATH``), not
from wherever the package happens to be installed.
Inputs are generated on first run into ``benchmarks/data/``; results go to
``benchmarks/results/`` (both git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import inputs as gen  # noqa: E402  (benchmarks/inputs.py)

SRC = HERE.parent / "src"  # the kotaku_map that is measured: this checkout's
GEN_VERSION = 1  # bump when inputs.py changes what it generates
TOLERANCE = 1e-4  # results equal within 0.01 %
QUICK_KABKOTA = 4  # the first 4 kab/kota of the province: ~1.1k desa


# --- inputs -------------------------------------------------------------------------------


def _cached(folder: Path) -> dict | None:
    meta = folder / "inputs.json"
    if not meta.is_file():
        return None
    info = json.loads(meta.read_text())
    if info.get("gen_version") != GEN_VERSION or not Path(info["config"]).is_file():
        return None
    if not Path(info["boundaries"]).is_file():
        return None
    return info


def ensure_inputs(name: str, data_dir: Path) -> dict:
    """Generate (once) and describe the input folder ``name``: province, 1k or national."""
    folder = data_dir / name
    info = _cached(folder)
    if info is not None:
        return info
    t0 = time.perf_counter()
    print(f"[inputs] generating {folder} ...", flush=True)
    province = gen.read_province()
    if name == "province":
        info = gen.write_inputs(
            folder,
            province,
            title="Benchmark: Jawa Tengah (ilustratif)",
            boundaries=gen.PROVINCE_GPKG,
            layer=gen.PROVINCE_LAYER,
        )
    elif name == "1k":
        first = sorted(province["kode_kab"].unique())[:QUICK_KABKOTA]
        sub = province[province["kode_kab"].isin(first)].reset_index(drop=True)
        info = gen.write_inputs(folder, sub, title="Benchmark: 4 kab/kota (ilustratif)")
    elif name == "national":
        info = gen.write_inputs(
            folder, gen.national_desa(province), title="Benchmark: nasional (fiktif, ilustratif)"
        )
    elif name == "dense":
        city = province[province["kode_kab"] == gen.DENSE_KABKOTA].reset_index(drop=True)
        info = gen.write_inputs(
            folder, gen.densify(city), title="Benchmark: Kota Semarang, batas rapat (ilustratif)"
        )
    else:  # pragma: no cover
        raise ValueError(name)
    info["gen_version"] = GEN_VERSION
    info["seconds_to_generate"] = round(time.perf_counter() - t0, 1)
    (folder / "inputs.json").write_text(json.dumps(info, indent=1))
    print(
        f"[inputs] {name}: {info['desa']:,} desa, {info['kabkota']} kab/kota, "
        f"{info['nsup_polygons']:,} NSUP polygons, {info['nusp2_desa']:,} NUSP-2 desa, "
        f"{info['slum_polygons']:,} slum polygons ({info['seconds_to_generate']} s)",
        flush=True,
    )
    return info


# --- measuring ----------------------------------------------------------------------------


def _group_pids(pgid: int) -> list[int]:
    """Every process in process group ``pgid`` (the run and any workers it started)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and int(fields[2]) == pgid:
            pids.append(int(entry))
    return pids


def _pss_mb(pid: int) -> float:
    """Proportional set size of a process (shared pages split between sharers), MiB."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(cmd: list[str], log: Path, *, timeout_s: float, max_rss_mb: float) -> dict:
    """Run ``cmd``; wall and CPU seconds, peak memory (MB) and how it ended; stop past limits.

    ``cpu_s``: user + system seconds of the process and of every descendant it waited for
    (``os.wait4``'s rusage; kotaku_map's forked workers are joined, so they count).

    ``peak_rss_mb``: the largest single process (``ru_maxrss`` from ``os.wait4``: the
    process or the largest of its waited-for descendants). ``peak_tree_mb``: the peak of
    the summed PSS of every process in the run's process group (worker processes count;
    shared pages once). The memory limit applies to the tree.

    Reading a process's PSS makes the kernel walk its page tables: 13-40 ms for a 1.5 GB
    worker, which on 2 cores polled every 0.2 s slowed the national run by 15 %. So PSS is
    polled at most every second and so that reading it costs under 1 % of the wall time
    (the interval is 100 times the last reading's cost); exit and time limits are checked
    every 0.2 s.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    peak_tree, max_procs = 0.0, 0
    next_poll, tree = 0.0, 0.0
    with open(log, "w") as fh:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        stopped = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.perf_counter() - t0
            if elapsed >= next_poll:
                pids = _group_pids(proc.pid)
                tree = sum(_pss_mb(q) for q in pids)
                cost = time.perf_counter() - t0 - elapsed
                next_poll = elapsed + max(1.0, 100 * cost)
                peak_tree, max_procs = max(peak_tree, tree), max(max_procs, len(pids))
            if elapsed > timeout_s:
                stopped = f"stopped after {elapsed:.0f} s (limit {timeout_s:.0f} s)"
            elif tree > max_rss_mb:
                stopped = f"stopped at {tree:,.0f} MB (limit {max_rss_mb:,.0f} MB)"
            if stopped:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.2)
        wall = time.perf_counter() - t0
    try:  # leftover workers (a forkserver outlives its parent briefly)
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "peak_tree_mb": max(peak_tree, usage.ru_maxrss / 1024),
        "max_processes": max_procs,
        "rc": proc.returncode,
        "stopped": stopped,
        "log": str(log),
    }


def html_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*.html")) / 1e6 if folder.exists() else 0.0


def pdf_mb(folder: Path) -> float:
    pdf = folder / "atlas.pdf"
    return pdf.stat().st_size / 1e6 if pdf.is_file() else 0.0


def kotaku_cmd(
    config: str, out: Path, *, quiet: bool = True, command: str = "build", jobs: int | None = None
) -> list[str]:
    """``kotaku-map build`` (every output) or ``kotaku-map atlas`` (the printed atlas only).

    Started as ``python -m kotaku_map.cli`` with this checkout's ``src`` first on
    ``PYTHONPATH`` (see :func:`main`), so the code measured is the code beside this script.
    """
    base = [sys.executable, "-m", "kotaku_map.cli"]
    extra = (["-q"] if quiet else []) + (["-j", str(jobs)] if jobs else [])
    return base + [command, config, "-o", str(out)] + extra


def peer_cmd(info: dict, folder: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        str(HERE / "peer.py"),
        "--desa",
        info["boundaries"],
        "--layer",
        info["layer"],
        "--nsup",
        str(folder / "nsup.gpkg"),
        "--nusp2",
        str(folder / "nusp2.csv"),
        "--slum",
        str(folder / "kumuh.gpkg"),
        "--out",
        str(out),
    ]


def _last_progress(log: Path) -> str:
    """The last progress line of a log (tqdm writes carriage returns)."""
    try:
        text = log.read_text(errors="replace").replace("\r", "\n")
    except OSError:
        return ""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else ""


# --- result equality ----------------------------------------------------------------------


def compare(kotaku_out: Path, peer_out: Path) -> dict:
    """Per-city overlap and gap hectares of kotaku_map vs the peer: max relative difference."""
    import pandas as pd

    k = pd.read_csv(kotaku_out / "ringkasan_kabkota.csv", dtype={"kode_kabkota": str})
    p = pd.read_csv(peer_out / "ringkasan_kabkota.csv", dtype={"kode_kabkota": str})
    k["overlap"] = k["tumpang_tindih_ha"] + k["sliver_tumpang_tindih_ha"]
    k["gap"] = k["celah_ha"] + k["sliver_celah_ha"]
    m = k[["kode_kabkota", "overlap", "gap"]].merge(
        p, on="kode_kabkota", how="outer", indicator=True
    )
    out: dict = {
        "cities_kotaku": int(len(k)),
        "cities_peer": int(len(p)),
        "cities_both": int((m["_merge"] == "both").sum()),
        "tolerance": TOLERANCE,
    }
    both = m[m["_merge"] == "both"]
    for q, kc, pc, pd_col in (
        ("overlap_ha", "overlap", "tumpang_tindih_ha", "tumpang_tindih_ha_jumlah_desa"),
        ("gap_ha", "gap", "celah_ha", "celah_ha_jumlah_desa"),
    ):
        kv, pv = both[kc].to_numpy(float), both[pc].to_numpy(float)
        denom = pv.copy()
        denom[denom == 0] = 1.0
        rel = abs(kv - pv) / denom
        rel[(kv == 0) & (pv == 0)] = 0.0
        i = int(rel.argmax()) if len(rel) else 0
        seam = abs(both[pd_col].to_numpy(float) - kv) / denom
        out[q] = {
            "kotaku_total": float(kv.sum()),
            "peer_total": float(pv.sum()),
            "max_rel_diff": float(rel.max()) if len(rel) else 0.0,
            "max_abs_diff_ha": float(abs(kv - pv).max()) if len(rel) else 0.0,
            "worst_city": str(both["kode_kabkota"].iloc[i]) if len(rel) else "",
            "total_rel_diff": float(abs(kv.sum() - pv.sum()) / (pv.sum() or 1.0)),
            "within_tolerance": bool((rel <= TOLERANCE).all()),
            "peer_sum_of_desa_max_rel_diff": float(seam.max()) if len(seam) else 0.0,
        }
    return out


# --- ratios -------------------------------------------------------------------------------

#: issue 18's targets, per input and ratio: the peer's wall time over kotaku_map's (at
#: least), kotaku_map's HTML size over the peer's explore() maps (at most)
TARGETS = {
    ("province", "speedup"): 3.5,
    ("province", "speedup_j1"): 2.0,
    ("dense", "html_ratio"): 0.2,
}
NATIONAL_LIMITS = {"wall_s": 60.0, "peak_tree_mb": 2.2 * 1024}


def ratios(peer: dict, kot: dict, one: dict | None = None) -> dict:
    """Same-run ratios: the peer's wall and CPU seconds over kotaku_map's, HTML sizes."""

    def over(a: float, b: float) -> float | None:
        return a / b if b else None

    out = {
        "speedup": over(peer["wall_s"], kot["wall_s"]),
        "cpu_ratio": over(peer["cpu_s"], kot["cpu_s"]),
        "html_ratio": over(kot["html_mb"], peer["html_mb"]),
    }
    if one is not None:
        out["speedup_j1"] = over(peer["wall_s"], one["wall_s"])
        out["cpu_ratio_j1"] = over(peer["cpu_s"], one["cpu_s"])
    return out


def median_ratios(rounds: list[dict]) -> dict:
    """Each ratio's median over rounds of the same rows (one round: its ratios as they are).

    >>> median_ratios([{"speedup": 1.0}, {"speedup": 3.0}, {"speedup": 2.5}])["speedup"]
    2.5
    """
    if len(rounds) == 1:
        return rounds[0]
    out: dict = {}
    for key in rounds[0]:
        values = sorted(r[key] for r in rounds if r.get(key) is not None)
        out[key] = statistics.median(values) if values else None
    out["rounds"] = rounds
    return out


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "?"


# --- scaling ------------------------------------------------------------------------------


def fit_exponent(points: list[tuple[int, float]]) -> dict:
    """Least-squares slope of log(time) vs log(n), and the slope n log n has over the range."""
    import numpy as np

    pts = sorted(p for p in points if p[1] and p[1] > 0)
    if len(pts) < 2:
        return {}
    n = np.array([p[0] for p in pts], float)
    t = np.array([p[1] for p in pts], float)
    slope = float(np.polyfit(np.log(n), np.log(t), 1)[0])
    nlogn = float(np.polyfit(np.log(n), np.log(n * np.log(n)), 1)[0])
    pairwise = {
        f"{int(a)}->{int(b)}": float(math.log(tb / ta) / math.log(b / a))
        for (a, ta), (b, tb) in zip(pts, pts[1:], strict=False)
    }
    return {
        "exponent": slope,
        "n_log_n_exponent_over_range": nlogn,
        "pairwise": pairwise,
        "no_faster_than_n_log_n": slope <= nlogn + 0.05,
    }


# --- the runs -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="kotaku_map benchmark (see benchmarks/README.md)")
    p.add_argument("--only", choices=["province", "national", "scaling", "atlas", "dense", "sync"])
    p.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke run: peer + kotaku_map on the first {QUICK_KABKOTA} kab/kota, and the "
        "sync row (Kota Pekalongan, real data)",
    )
    p.add_argument("--data-dir", type=Path, default=HERE / "data")
    p.add_argument("--results-dir", type=Path, default=HERE / "results")
    p.add_argument(
        "--timeout",
        type=float,
        default=900.0,
        help="stop a run after this many seconds (default 900)",
    )
    p.add_argument(
        "--max-rss-gb",
        type=float,
        default=8.0,
        help="stop a run above this resident memory (default 8 GB)",
    )
    p.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run the province's peer, kotaku_map and -j 1 rows this many times, in turn, "
        "and report the median of each ratio (a shared machine's speed moves by the minute)",
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="afterwards, profile kotaku_map on the province with pyinstrument",
    )
    a = p.parse_args(argv)
    gen.require_shared()
    # every subprocess (kotaku_map, its workers, the profiler) imports this checkout's code
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(SRC)] + [q for q in os.environ.get("PYTHONPATH", "").split(os.pathsep) if q]
    )
    sys.path.insert(0, str(SRC))
    res = a.results_dir
    outs = res / "out"
    res.mkdir(parents=True, exist_ok=True)
    limits = {"timeout_s": a.timeout, "max_rss_mb": a.max_rss_gb * 1024}
    rows: list[dict] = []
    report: dict = {"rows": rows}

    def run(
        row: str,
        kind: str,
        info: dict,
        folder: Path,
        *,
        quiet: bool = True,
        jobs: int | None = None,
    ) -> dict:
        out = outs / row
        shutil.rmtree(out, ignore_errors=True)
        if kind == "peer":
            cmd = peer_cmd(info, folder, out)
        else:
            command = "atlas" if kind == "atlas" else "build"
            cmd = kotaku_cmd(info["config"], out, quiet=quiet, command=command, jobs=jobs)
        print(f"[run] {row}: {info['desa']:,} desa, {info['kabkota']} kab/kota ...", flush=True)
        load = _load()
        r = measure(cmd, outs / f"{row}.log", **limits)
        r.update(
            {
                "load_before": load,
                "row": row,
                "tool": kind,
                "desa": info["desa"],
                "kabkota": info["kabkota"],
                "html_mb": html_mb(out),
                "pdf_mb": pdf_mb(out),
                "out": str(out),
                "html_files": len(list(out.rglob("*.html"))) if out.exists() else 0,
                "png_files": len(list(out.rglob("*.png"))) if out.exists() else 0,
            }
        )
        if r["stopped"]:
            r["where"] = _last_progress(Path(r["log"]))
        elif r["rc"] != 0:
            tail = Path(r["log"]).read_text(errors="replace").strip().splitlines()[-5:]
            r["error"] = " | ".join(tail)
        rows.append(r)
        status = r["stopped"] or (f"FAILED rc={r['rc']}" if r["rc"] else "ok")
        print(
            f"[run] {row}: {r['wall_s']:.1f} s ({r['cpu_s']:.1f} CPU s), "
            f"{r['peak_rss_mb']:,.0f} MB "
            f"(tree {r['peak_tree_mb']:,.0f} MB, {r['max_processes']} proc), "
            f"{r['html_mb']:.1f} MB html, {r['pdf_mb']:.1f} MB pdf ({status})",
            flush=True,
        )
        return r

    def equality(name: str, kot: dict, peer: dict) -> None:
        if kot["rc"] == 0 and peer["rc"] == 0 and not (kot["stopped"] or peer["stopped"]):
            report.setdefault("equality", {})[name] = compare(Path(kot["out"]), Path(peer["out"]))

    def sync_row() -> dict:
        """A real city with its SK workbook: reading and ``[sync]`` (Kota Pekalongan)."""
        folder = a.data_dir / "sync"
        return run(
            "kotaku-pekalongan-sync", "kotaku", gen.write_sync_project(folder), folder, jobs=1
        )

    scaling: list[tuple[int, float]] = []
    if a.quick:
        info = ensure_inputs("1k", a.data_dir)
        folder = a.data_dir / "1k"
        peer = run("peer-1k", "peer", info, folder)
        kot = run("kotaku-1k", "kotaku", info, folder)
        equality("1k", kot, peer)
        run("kotaku-1k-atlas", "atlas", info, folder)
        sync_row()
    else:
        todo = {a.only} if a.only else {"province", "national", "scaling", "atlas", "dense", "sync"}
        if "scaling" in todo:
            info = ensure_inputs("1k", a.data_dir)
            r = run("kotaku-scaling-1k", "kotaku", info, a.data_dir / "1k")
            scaling.append((info["desa"], r["wall_s"] if r["rc"] == 0 else None))
        if todo & {"province", "scaling"}:
            info = ensure_inputs("province", a.data_dir)
            folder = a.data_dir / "province"
            if "province" in todo:
                rounds = []
                for k in range(max(1, a.repeat)):
                    tag = f"-r{k + 1}" if k else ""  # the first round's rows keep their names
                    peer = run(f"peer-province{tag}", "peer", info, folder)
                    kot = run(f"kotaku-province{tag}", "kotaku", info, folder)
                    one = run(f"kotaku-province-j1{tag}", "kotaku", info, folder, jobs=1)
                    if not k:
                        equality("province", kot, peer)
                        equality("province-j1", one, peer)
                        first = kot
                    rounds.append(ratios(peer, kot, one))
                report.setdefault("ratios", {})["province"] = median_ratios(rounds)
                kot = first
            else:
                kot = run("kotaku-province", "kotaku", info, folder)
            scaling.append((info["desa"], kot["wall_s"] if kot["rc"] == 0 else None))
        if "dense" in todo:
            info = ensure_inputs("dense", a.data_dir)
            folder = a.data_dir / "dense"
            peer = run("peer-dense", "peer", info, folder)
            kot = run("kotaku-dense", "kotaku", info, folder)
            equality("dense", kot, peer)
            report.setdefault("ratios", {})["dense"] = ratios(peer, kot)
        if "sync" in todo:
            sync_row()
        if "atlas" in todo:
            info = ensure_inputs("province", a.data_dir)
            run("kotaku-province-atlas", "atlas", info, a.data_dir / "province")
        if todo & {"national", "scaling"}:
            info = ensure_inputs("national", a.data_dir)
            # not quiet: the log shows the progress bars, so a stopped run says where it was
            kot = run("kotaku-national", "kotaku", info, a.data_dir / "national", quiet=False)
            ok = kot["rc"] == 0 and not kot["stopped"]
            scaling.append((info["desa"], kot["wall_s"] if ok else None))
        if "scaling" in todo:
            report["scaling"] = {
                "points": [{"desa": n, "wall_s": t} for n, t in scaling],
                **fit_exponent([s for s in scaling if s[1]]),
            }

    if a.profile:
        profile(a, report)
    report["environment"] = environment()
    report["inputs"] = {
        n: json.loads((a.data_dir / n / "inputs.json").read_text())
        for n in ("1k", "province", "national", "dense")
        if (a.data_dir / n / "inputs.json").is_file()
    }
    report["results_dir"] = str(res)
    write_results(report, res)
    print_report(report)
    failed = [r for r in rows if r["rc"] != 0 and not r["stopped"]]
    unequal = [
        k
        for k, v in report.get("equality", {}).items()
        if not (v["overlap_ha"]["within_tolerance"] and v["gap_ha"]["within_tolerance"])
    ]
    return 1 if failed or unequal else 0


def profile(a: argparse.Namespace, report: dict) -> None:
    """Profile kotaku_map on the province (pyinstrument, if installed): text + HTML reports."""
    if (
        shutil.which("pyinstrument") is None
        and not Path(sys.executable).with_name("pyinstrument").exists()
    ):
        print("[profile] pyinstrument is not installed: pip install pyinstrument", flush=True)
        return
    info = ensure_inputs("province", a.data_dir)
    out = a.results_dir / "out" / "profile-province"
    shutil.rmtree(out, ignore_errors=True)
    text = a.results_dir / "profile-province.txt"
    cmd = [
        sys.executable,
        "-m",
        "pyinstrument",
        "-r",
        "text",
        "-o",
        str(text),
        "--show-all",
        "-m",
        "kotaku_map.cli",
        "build",
        info["config"],
        "-o",
        str(out),
        "-q",
        "-j",
        "1",
    ]  # in one process: a profiler sees only its own process
    print("[profile] kotaku_map on the province under pyinstrument ...", flush=True)
    subprocess.run(cmd, check=False)
    report["profile"] = str(text)


def environment() -> dict:
    import geopandas
    import shapely

    try:
        import kotaku_map

        version = kotaku_map.__version__
    except Exception:  # pragma: no cover
        version = "?"
    try:
        commit = subprocess.run(
            ["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "when": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "python": platform.python_version(),
        "kotaku_map": version,
        "commit": commit,
        "geopandas": geopandas.__version__,
        "shapely": shapely.__version__,
        "geos": ".".join(map(str, shapely.geos_version)),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }


COLUMNS = [
    "row",
    "desa",
    "kabkota",
    "wall_s",
    "cpu_s",
    "load_before",
    "peak_rss_mb",
    "peak_tree_mb",
    "max_processes",
    "html_mb",
    "html_files",
    "pdf_mb",
    "png_files",
    "rc",
    "stopped",
]


def write_results(report: dict, res: Path) -> None:
    import pandas as pd

    table = pd.DataFrame(report["rows"], columns=COLUMNS + ["where", "error", "log", "out"])
    table.to_csv(res / "benchmark.csv", index=False)
    (res / "benchmark.json").write_text(json.dumps(report, indent=1, default=str))


def print_report(report: dict) -> None:
    print()
    print(
        f"{'row':<22} {'desa':>7} {'kab/kota':>8} {'wall s':>8} {'CPU s':>7} {'peak RSS MB':>12} "
        f"{'tree MB':>8} {'procs':>5} {'HTML MB':>8} {'PDF MB':>7}  status"
    )
    for r in report["rows"]:
        status = r["stopped"] or (f"FAILED rc={r['rc']}" if r["rc"] else "ok")
        print(
            f"{r['row']:<22} {r['desa']:>7,} {r['kabkota']:>8} {r['wall_s']:>8.1f} "
            f"{r['cpu_s']:>7.1f} "
            f"{r['peak_rss_mb']:>12,.0f} {r['peak_tree_mb']:>8,.0f} {r['max_processes']:>5} "
            f"{r['html_mb']:>8.1f} {r.get('pdf_mb', 0.0):>7.1f}  {status}"
        )
        if r.get("where"):
            print(f"{'':<22} last progress: {r['where']}")
    for name, eq in report.get("equality", {}).items():
        print(
            f"\nresult equality ({name}, {eq['cities_both']} kab/kota in both; "
            f"tolerance {eq['tolerance']:.2%}):"
        )
        for q in ("overlap_ha", "gap_ha"):
            e = eq[q]
            print(
                f"  {q:<11} kotaku {e['kotaku_total']:>12,.3f} ha  "
                f"peer {e['peer_total']:>12,.3f} ha  max rel diff per city "
                f"{e['max_rel_diff']:.2e} ({e['worst_city']}), "
                f"total {e['total_rel_diff']:.2e}  "
                f"{'OK' if e['within_tolerance'] else 'NOT EQUAL'}"
            )
    print_ratios(report)
    sc = report.get("scaling")
    if sc and "exponent" in sc:
        pts = ", ".join(
            f"{p['desa']:,} desa {p['wall_s']:.1f} s" for p in sc["points"] if p["wall_s"]
        )
        print(f"\nscaling: {pts}")
        print(
            f"  fitted exponent of wall time vs desa (log-log): {sc['exponent']:.2f} "
            f"(n log n over this range: {sc['n_log_n_exponent_over_range']:.2f}); pairwise "
            + ", ".join(f"{k}: {v:.2f}" for k, v in sc["pairwise"].items())
        )
    res = report.get("results_dir", "benchmarks/results")
    print(f"\nresults: {res}/benchmark.csv and benchmark.json")


def print_ratios(report: dict) -> None:
    """The same-run ratios against issue 18's targets, and the national row's limits."""

    def fmt(v: float | None) -> str:
        return f"{v:.2f}" if v is not None else "-"

    for name, r in report.get("ratios", {}).items():
        n = len(r.get("rounds", [])) or 1
        how = f"median of {n} rounds" if n > 1 else "same run"
        print(f"\nratios ({name}, {how}; load average before each row in the CSV):")
        for key, label in (
            ("speedup", "peer wall / kotaku_map wall (default workers)"),
            ("cpu_ratio", "peer CPU / kotaku_map CPU (default workers)"),
            ("speedup_j1", "peer wall / kotaku_map wall (-j 1)"),
            ("cpu_ratio_j1", "peer CPU / kotaku_map CPU (-j 1)"),
            ("html_ratio", "kotaku_map HTML / peer's explore() HTML"),
        ):
            if key not in r:
                continue
            target = TARGETS.get((name, key))
            verdict = ""
            if target is not None and r[key] is not None:
                at_most = key.startswith("html")
                ok = r[key] <= target if at_most else r[key] >= target
                verdict = f"  target {'<=' if at_most else '>='} {target}: " + (
                    "OK" if ok else "NOT MET"
                )
            print(f"  {label:<48} {fmt(r[key]):>6}{verdict}")
    for r in report["rows"]:
        if r["row"] == "kotaku-national" and r["rc"] == 0:
            ok = all(r[k] <= v for k, v in NATIONAL_LIMITS.items())
            print(
                f"\nnational: {r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} CPU s, tree "
                f"{r['peak_tree_mb']:,.0f} MB (limits {NATIONAL_LIMITS['wall_s']:.0f} s, "
                f"{NATIONAL_LIMITS['peak_tree_mb']:,.0f} MB): {'OK' if ok else 'NOT MET'}"
            )


if __name__ == "__main__":
    raise SystemExit(main())
