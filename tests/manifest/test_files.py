"""Which files are manifests, and reading them without trusting their size or encoding."""

import os
import socket
from pathlib import Path

import pytest

from seqops.manifest.files import (
    MAX_FILE_BYTES,
    PathProblem,
    SourceError,
    discover,
    read_text,
)


def test_directories_are_walked_in_a_stable_order(tmp_path, write):
    names = ("b.yaml", "a/z.yml", "a/y.yaml", "notes.txt", ".hidden/x.yaml", ".x.yaml", "C.YAML")
    for name in names:
        write(name, "a: 1\n")
    sources, missing = discover([tmp_path])
    found = [s.path.relative_to(tmp_path).as_posix() for s in sources]
    assert found == ["C.YAML", "a/y.yaml", "a/z.yml", "b.yaml"]
    assert not missing
    assert not any(s.explicit for s in sources)


def test_files_given_are_taken_whatever_their_name_and_only_once(tmp_path, write):
    notes = write("notes.txt", "a: 1\n")
    manifest = write("m.yaml", "a: 1\n")
    sources, missing = discover([notes, manifest, tmp_path, tmp_path / "absent.yaml"])
    assert [s.path for s in sources] == [notes, manifest]
    assert all(s.explicit for s in sources)
    assert missing == [PathProblem(str(tmp_path / "absent.yaml"), "no such file or directory")]


def test_display_paths_stay_as_given(tmp_path, write, monkeypatch):
    write("dir/m.yaml", "a: 1\n")
    monkeypatch.chdir(tmp_path)
    sources, _ = discover(["dir"])
    assert [s.display for s in sources] == ["dir/m.yaml"]


def test_big_files_are_refused_before_parsing(write):
    path = write("big.yaml", b"a: 1\n" + b"#" * MAX_FILE_BYTES)
    with pytest.raises(SourceError, match="10 MB"):
        read_text(path)


def test_non_utf8_is_refused_at_the_offending_byte(write):
    path = write("latin1.yaml", "a: 1\nb: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(SourceError) as caught:
        read_text(path)
    assert (caught.value.line, caught.value.column) == (2, 7)
    assert "UTF-8" in caught.value.message


def test_a_utf8_byte_order_mark_is_fine(write):
    assert read_text(write("bom.yaml", b"\xef\xbb\xbfa: 1\n")) == "a: 1\n"


def test_a_fifo_named_or_found_is_refused_without_being_opened(tmp_path, write):
    """Opening a FIFO for reading blocks until a writer comes: it must never be opened."""
    write("dir/ok.yaml", "a: 1\n")
    os.mkfifo(tmp_path / "named.yaml")
    os.mkfifo(tmp_path / "dir" / "found.yml")
    sources, problems = discover([tmp_path / "named.yaml", tmp_path / "dir"])
    assert [s.path.name for s in sources] == ["ok.yaml"]
    assert [(Path(p.path).name, "named pipe (FIFO)" in p.message) for p in problems] == [
        ("named.yaml", True),
        ("found.yml", True),
    ]


def test_devices_and_sockets_are_refused(tmp_path):
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "s.yaml"))
        _, problems = discover(["/dev/null", tmp_path])
    assert ["character device" in problems[0].message, "socket" in problems[1].message] == [
        True,
        True,
    ]


def test_reading_a_fifo_fails_at_once_instead_of_blocking(tmp_path):
    """The check after opening: a FIFO swapped in after discovery is refused, not waited on."""
    os.mkfifo(tmp_path / "swapped.yaml")
    with pytest.raises(SourceError, match="named pipe"):
        read_text(tmp_path / "swapped.yaml")
