"""Walking an input folder so that every entry is accounted for, and nothing outside it is read.

Each entry under the folder is a file to read, or a `Skipped` (an archive, a file of a type
narrascope does not read, a hidden file or folder, a special file such as a FIFO that would block
the reader, a symbolic link) or a `Failure` (a broken link, a link loop, a folder that cannot be
listed), each with its reason. Symbolic links are never followed: one leaving the folder could
expose any file the user can read (`link -> /etc/passwd`), and one inside it would read a file
twice or loop; each is reported with its target.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from .items import Failure, Skipped
from .compressed import archive_of
from .names import printable


def walk(root: Path, format_of: Callable[[Path], str | None], wanted: str | None) -> Iterator[Path | Skipped | Failure]:
    """Files under `root` to read, depth first in name order (a folder's files, then its
    subfolders), and every other entry as `Skipped` or `Failure`. `wanted` keeps one format."""
    yield from _folder(root, os.path.realpath(root), format_of, wanted)


def _folder(
    folder: Path, real_root: str, format_of: Callable[[Path], str | None], wanted: str | None
) -> Iterator[Path | Skipped | Failure]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        name = printable(str(folder))
        yield Failure(name, f"{name}: cannot list the folder ({exc.strerror or exc})")
        return
    subfolders = []
    for entry in entries:
        path = Path(entry.path)
        verdict = _entry(entry, path, real_root, format_of, wanted)
        if verdict == "folder":
            subfolders.append(path)
        elif verdict is None:
            yield path
        else:
            yield verdict
    for path in subfolders:
        yield from _folder(path, real_root, format_of, wanted)


def _entry(
    entry: os.DirEntry[str], path: Path, real_root: str, format_of: Callable[[Path], str | None], wanted: str | None
) -> Skipped | Failure | str | None:
    """None for a file to read, "folder" for a folder to walk, else why the entry is not read."""
    name = printable(str(path))
    try:
        is_link = entry.is_symlink()
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as exc:
        return Failure(name, f"{name}: cannot read ({exc.strerror or exc})")
    if is_link:
        return _link(path, name, real_root)
    if entry.name.startswith("."):
        return Skipped(name, f"{name}: hidden {'folder' if stat.S_ISDIR(mode) else 'file'}, not read")
    if stat.S_ISDIR(mode):
        return "folder"
    if not stat.S_ISREG(mode):
        return Skipped(name, f"{name}: not a regular file (a device, FIFO or socket), not read")
    archive = archive_of(entry.name)
    if archive:
        return Skipped(name, f"{name}: {archive}; archives are not unpacked (unpack it and analyse the folder)")
    file_format = format_of(path)
    if file_format is None:
        suffix = path.suffix.lower() or "no extension"
        return Skipped(name, f"{name}: not a file type narrascope reads ({printable(suffix)})")
    if wanted and file_format != wanted:
        return Skipped(name, f"{name}: not {wanted} (the input format asked for)")
    return None


def _link(path: Path, name: str, real_root: str) -> Skipped | Failure:
    try:
        target_mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Failure(name, f"{name}: symbolic link loop, not followed")
        return Failure(name, f"{name}: broken symbolic link (its target is missing)")
    target = os.path.realpath(path)
    shown = printable(target)
    if os.path.commonpath([target, real_root]) != real_root:
        return Skipped(name, f"{name}: symbolic link to {shown}, outside the folder: not followed")
    what = "folder" if stat.S_ISDIR(target_mode) else "file"
    return Skipped(name, f"{name}: symbolic link to the {what} {shown} in the same folder: read there, not twice")
