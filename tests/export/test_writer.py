"""Writing an export: seqops manifests are replaced, anything else is refused, nothing deleted."""

from __future__ import annotations

import pytest

from seqops.export import ExportResult, OverwriteError, write_export

MANIFEST = "apiVersion: seqops/v1\nkind: Template\nmetadata:\n  name: {name}\nspec:\n  subject: {subject}\n"


def result(**files: str) -> ExportResult:
    return ExportResult(files={f"templates/{name}.yaml": text for name, text in files.items()})


def test_first_write_creates_directories_and_files(tmp_path):
    report = write_export(result(a=MANIFEST.format(name="a", subject="Hi")), tmp_path / "out")
    assert report.created == ["templates/a.yaml"]
    assert (tmp_path / "out/templates/a.yaml").read_text() == MANIFEST.format(
        name="a", subject="Hi"
    )


def test_unchanged_files_are_not_rewritten(tmp_path):
    files = result(a=MANIFEST.format(name="a", subject="Hi"))
    write_export(files, tmp_path)
    target = tmp_path / "templates/a.yaml"
    before = target.stat().st_mtime_ns
    report = write_export(files, tmp_path)
    assert (report.created, report.updated, report.unchanged) == ([], [], ["templates/a.yaml"])
    assert target.stat().st_mtime_ns == before


def test_seqops_manifests_are_updated(tmp_path):
    write_export(result(a=MANIFEST.format(name="a", subject="Hi")), tmp_path)
    report = write_export(result(a=MANIFEST.format(name="a", subject="Bye")), tmp_path)
    assert report.updated == ["templates/a.yaml"]
    assert "Bye" in (tmp_path / "templates/a.yaml").read_text()


def test_a_foreign_file_refuses_the_whole_write(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/b.yaml").write_text("my: own notes\n")
    files = result(
        a=MANIFEST.format(name="a", subject="Hi"), b=MANIFEST.format(name="b", subject="Hi")
    )
    with pytest.raises(OverwriteError, match=r"templates/b\.yaml.*--out"):
        write_export(files, tmp_path)
    assert (tmp_path / "templates/b.yaml").read_text() == "my: own notes\n"
    assert not (tmp_path / "templates/a.yaml").exists()


def test_out_must_not_be_a_file(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OverwriteError, match="not a directory"):
        write_export(result(a=MANIFEST.format(name="a", subject="Hi")), tmp_path / "file")


def test_manifests_no_longer_exported_are_reported_and_kept(tmp_path):
    write_export(
        result(
            a=MANIFEST.format(name="a", subject="Hi"), old=MANIFEST.format(name="old", subject="x")
        ),
        tmp_path,
    )
    (tmp_path / "templates/notes.yaml").write_text("not: seqops\n")
    report = write_export(result(a=MANIFEST.format(name="a", subject="Hi")), tmp_path)
    assert report.stale == ["templates/old.yaml"]
    assert (tmp_path / "templates/old.yaml").exists()
    assert not list(tmp_path.rglob("*.tmp"))
