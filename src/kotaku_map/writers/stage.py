"""The output folder: it belongs to the build, and a build replaces it whole.

An output folder holds exactly one build. :func:`claim_output` first checks that the folder
may be written (:func:`check_output_folder` refuses an input's folder, a filesystem root,
the home folder, a file, and a folder kotaku-map did not make unless ``force``), takes a
lock next to it so that a second build into the same folder fails at once, and removes what
interrupted builds left next to it. :func:`staged_output` has the build write into a staging
folder next to the output; only when every file is there does :func:`replace_folder` put it
in place. On Linux one ``renameat2(RENAME_EXCHANGE)`` swaps the two folders atomically: at
every instant the output folder is the complete old build or the complete new one, and the
old build is deleted afterwards. Where that call is missing (another system, or a file
system without it) two renames do the same, with one instant in which the folder is absent;
the old build is then whole in ``.<name>.old-*`` and the next build puts it back.

Next to an output folder ``<name>`` a build keeps:

* ``.<name>.partial-*``: the build being written (or what a killed build left);
* ``.<name>.old-*``: the previous build while it is deleted (two-rename fallback);
* ``.<name>.lock``: the lock, while a build runs.

Inside it, the file ``.kotaku-map`` says "this folder was made by kotaku-map".
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kotaku_map.errors import OutputError
from kotaku_map.files import city_slugs, safe_name

__all__ = [
    "MARKER",
    "check_output_folder",
    "city_slugs",
    "claim_output",
    "exchange_folders",
    "replace_folder",
    "safe_name",
    "staged_output",
]

#: the file that marks a folder as made by kotaku-map (written into every build)
MARKER = ".kotaku-map"
MARKER_TEXT = (
    "This folder was made by kotaku-map (peta keterpaduan). Every build replaces it whole:\n"
    "keep no files of your own here.\n"
    "Folder ini dibuat oleh kotaku-map. Setiap build menggantinya seluruhnya:\n"
    "jangan menyimpan berkas lain di sini.\n"
)


def check_output_folder(
    out_dir: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    force: bool = False,
) -> Path:
    """Refuse an output folder that a build must not replace; return it, resolved.

    A build replaces its output folder whole, so the folder must be one of its own.

    Parameters
    ----------
    out_dir : path-like
        The output folder (it need not exist).
    inputs : iterable of path-like
        The build's input files (and its config): the folder must not be or hold one.
    force : bool
        Replace a non-empty folder that kotaku-map did not make (that holds no
        :data:`MARKER`). The other refusals stand.

    Returns
    -------
    Path
        The folder, absolute, symbolic links resolved.

    Raises
    ------
    kotaku_map.errors.OutputError
        If the folder is empty text, a filesystem root, the home folder, an input or a
        folder that holds one, something other than a folder, or (without ``force``) a
        non-empty folder without :data:`MARKER`.

    Examples
    --------
    >>> check_output_folder("/")
    Traceback (most recent call last):
    ...
    kotaku_map.errors.OutputError: /: is the root of a file system; ...
    """
    text = os.fspath(out_dir)
    if not str(text).strip():
        raise OutputError("the output folder is empty (''); name a folder, e.g. -o output")
    out = Path(os.path.realpath(text))
    own = "a build replaces its output folder whole: give it a folder of its own"
    if out.parent == out:
        raise OutputError(f"{out}: is the root of a file system; {own}, e.g. -o output")
    if out == Path(os.path.realpath(os.path.expanduser("~"))):
        raise OutputError(f"{out}: is the home folder; {own}, e.g. -o {out / 'output'}")
    for p in inputs:
        given = Path(os.path.realpath(os.fspath(p)))
        if out == given:
            raise OutputError(f"{out}: is the input {p}; {own}, e.g. -o {out.parent / 'output'}")
        if out in given.parents:
            raise OutputError(f"{out}: holds the input {p}; {own}, e.g. -o {out / 'output'}")
    if os.path.lexists(out) and not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder; name a folder for the outputs")
    try:
        foreign = out.is_dir() and any(out.iterdir()) and not _made_by_kotaku_map(out)
    except OSError as exc:
        raise OutputError(f"{out}: cannot be read ({exc.strerror or exc})") from None
    if foreign and not force:
        raise OutputError(
            f"{out}: holds files that kotaku-map did not write (no {MARKER} file); {own}: "
            "a new or empty one, or give --force to replace this one and everything in it"
        )
    return out


def _made_by_kotaku_map(folder: Path) -> bool:
    """The folder holds the marker, or is a build of an earlier version (its manifest)."""
    if (folder / MARKER).is_file():
        return True
    try:  # builds before the marker: manifest.json that lists its outputs
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and "kotaku_map" in manifest and "keluaran" in manifest


_HELD: dict[Path, int] = {}  # the output folders this process has claimed


@contextmanager
def claim_output(
    out_dir: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    force: bool = False,
) -> Iterator[Path]:
    """Check an output folder, lock it for this build, and clean what killed builds left.

    The lock is a file ``.<name>.lock`` next to the folder, held with ``flock`` (released
    by the system even when the process is killed). A second build into the same folder
    fails at once; the same process may claim a folder it holds again (``build`` claims
    it before the analysis, ``write_outputs`` when it writes). Staging folders of earlier,
    interrupted builds are deleted; a previous build that the two-rename fallback had
    moved aside is put back.

    Parameters
    ----------
    out_dir : path-like
        The output folder.
    inputs : iterable of path-like
        The build's input files (see :func:`check_output_folder`).
    force : bool
        Replace a non-empty folder that kotaku-map did not make.

    Yields
    ------
    Path
        The output folder, resolved.

    Raises
    ------
    kotaku_map.errors.OutputError
        If :func:`check_output_folder` refuses the folder, its parent cannot be written,
        or another build holds the lock.
    """
    out = check_output_folder(out_dir, inputs=inputs, force=force)
    if out in _HELD:
        _HELD[out] += 1
        try:
            yield out
        finally:
            _HELD[out] -= 1
        return
    made = _make_parents(out.parent)
    fd = _lock(out)
    _HELD[out] = 1
    try:
        _clean_leftovers(out)
        yield out
    finally:
        del _HELD[out]
        _unlock(out, fd)
        for folder in reversed(made):  # parents made for a build that wrote nothing
            try:
                folder.rmdir()
            except OSError:
                break


@contextmanager
def staged_output(
    out_dir: str | os.PathLike[str],
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    force: bool = False,
) -> Iterator[Path]:
    """Stage a build's files; replace ``out_dir`` by them only when the block succeeds.

    The output folder then holds exactly this build (and :data:`MARKER`): files and city
    folders of an earlier build are gone. On an exception the staging folder is removed
    and ``out_dir`` is untouched.

    Parameters
    ----------
    out_dir : path-like
        The output folder (made if missing, with its parents).
    inputs : iterable of path-like
        The build's input files, which the folder must not hold.
    force : bool
        Replace a non-empty folder that kotaku-map did not make.

    Yields
    ------
    Path
        The staging folder to write into.

    Raises
    ------
    kotaku_map.errors.OutputError
        If the folder is refused (see :func:`claim_output`) or cannot be replaced.
    """
    with claim_output(out_dir, inputs=inputs, force=force) as out:
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
        try:
            (stage / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            yield stage
        except BaseException:
            _remove_build(stage)
            raise
        try:
            replace_folder(stage, out)
        except OSError as exc:
            _remove_build(stage)
            raise OutputError(
                f"{out}: cannot be replaced ({exc.strerror or exc}); the previous outputs "
                "are left as they were"
            ) from None


def replace_folder(new: str | os.PathLike[str], out: str | os.PathLike[str]) -> None:
    """Put the folder ``new`` in the place of ``out``, whole, then delete what was there.

    At every instant ``out`` is the old folder or the new one, complete: the two are
    swapped by :func:`exchange_folders`. Without it, ``out`` is renamed aside and ``new``
    renamed into its place (for an instant ``out`` is absent; the old folder is whole
    under ``.<name>.old-*``). Ctrl-C and SIGTERM wait until the swap is done.

    Parameters
    ----------
    new : path-like
        The complete new folder, on the file system of ``out``'s parent.
    out : path-like
        The folder to replace (need not exist).

    Raises
    ------
    OSError
        If the folders cannot be swapped or renamed (``out`` is then as it was).
    """
    new, out = Path(new), Path(out)
    with _signals_held():
        if not os.path.lexists(out):
            os.rename(new, out)
            _sync_folder(out.parent)
            return
        old = new
        if not exchange_folders(new, out):
            old = out.parent / f".{out.name}.old-{os.getpid()}-{os.urandom(4).hex()}"
            os.rename(out, old)
            try:
                os.rename(new, out)
            except BaseException:
                os.rename(old, out)
                raise
        _sync_folder(out.parent)
    _remove_build(old)


#: renameat2(2) flags and the "current folder" file descriptor (linux/fs.h, fcntl.h)
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange_folders(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Swap two folders atomically with Linux's ``renameat2(RENAME_EXCHANGE)``.

    Parameters
    ----------
    a, b : path-like
        Two existing folders on the same file system.

    Returns
    -------
    bool
        True when swapped; False where the call is missing (not Linux, an old C
        library or kernel) or the file system does not support it: then nothing changed.

    Raises
    ------
    OSError
        On any other failure (permissions, a mount point, different file systems).
    """
    func = _renameat2()
    if func is None:
        return False
    if func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), os.fspath(b))


_RENAMEAT2: list = []  # the C function, looked up once ([None] where there is none)


def _renameat2() -> Callable[..., int] | None:
    if not _RENAMEAT2:
        func = None
        if sys.platform.startswith("linux"):
            try:
                func = ctypes.CDLL(None, use_errno=True).renameat2
            except (OSError, AttributeError):  # no C library to load, or glibc < 2.28
                func = None
        if func is not None:
            func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
            func.argtypes += [ctypes.c_uint]
            func.restype = ctypes.c_int
        _RENAMEAT2.append(func)
    return _RENAMEAT2[0]


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back (this thread) until the block is done."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to disk, where the system allows."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_build(folder: Path) -> None:
    """Delete a build's folder, its marker last (what is left of it stays known as one)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name == MARKER:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            try:
                os.unlink(entry.path)
            except OSError:
                pass
    try:
        (folder / MARKER).unlink(missing_ok=True)
        os.rmdir(folder)
    except OSError:
        pass  # left for the next build to clean


def _leftovers(out: Path, kind: str) -> list[Path]:
    """Folders ``.<name>.<kind>-*`` next to ``out``, oldest first."""
    prefix = f".{out.name}.{kind}-"
    try:
        found = [
            Path(e.path)
            for e in os.scandir(out.parent)
            if e.name.startswith(prefix) and e.is_dir(follow_symlinks=False)
        ]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.stat().st_mtime_ns)


def _clean_leftovers(out: Path) -> None:
    """Put back a build moved aside by a killed two-rename swap; delete staging folders."""
    old = [p for p in _leftovers(out, "old") if (p / MARKER).is_file()]
    if old and not os.path.lexists(out):
        try:
            os.rename(old[-1], out)
        except OSError:  # keep it where it is: it may be the only copy of the last build
            return
    for folder in _leftovers(out, "partial") + _leftovers(out, "old"):
        _remove_build(folder)


def _make_parents(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents; return those made, outermost first."""
    missing = []
    p = folder
    while not os.path.lexists(p) and p.parent != p:
        missing.append(p)
        p = p.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot make the folder ({exc.strerror or exc})") from None
    return missing[::-1]


def _lock(out: Path) -> int | None:
    """Take the lock ``.<name>.lock`` next to ``out``, or fail at once; its descriptor."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock (docs/keluaran.md)
        return None
    path = out.parent / f".{out.name}.lock"
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise OutputError(
                f"{out.parent}: cannot write next to the output folder ({exc.strerror or exc})"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            os.close(fd)
            who = f" (process {holder})" if holder.isdigit() else ""
            raise OutputError(
                f"{out}: another kotaku-map build{who} is writing into this folder "
                f"(lock {path}); wait until it ends, or write elsewhere with -o"
            ) from None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:  # else the build that held it removed the file: take the new one
            break
        os.close(fd)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def _unlock(out: Path, fd: int | None) -> None:
    """Remove the lock file, then release the lock."""
    if fd is None:
        return
    try:
        os.unlink(out.parent / f".{out.name}.lock")
    except OSError:
        pass
    os.close(fd)
