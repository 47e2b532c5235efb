"""The faster reading paths of the rotation commands keep their behaviour.

* the copy index comes from the shared parsed-record cache, yet sees every change to a
  record, still stops on an unreadable record (file and line) and still uses a record the
  schema rejects but that can be read;
* "copy already in another active exchange" is answered from manifest summaries cached by
  content hash: a same-size edit with the modification time put back is still seen;
* records are parsed and rendered on two processes when there are many: same data, same bytes;
* batches that name their records are looked up, and give exactly the copies a full scan gives.
"""

from __future__ import annotations

import json
import os
import shutil
import unicodedata

import pytest
import yaml

from libsync import schemas
from libsync.errors import LibsyncError
from libsync.repository import Repository
from libsync import parallel
from libsync.rotation import records as rotation_records_io
from libsync.store import write as store_write
from libsync.rotation.batches import CopyIndex, record_matches, resolve_batch
from libsync.rotation.lifecycle import advance, propose
from test_rotation_support import make_network, snapshot

import datetime as dt

EID = "xs-hd-2024-2025-hk1-rt-xs-sgk6"
MANIFEST = f"exchanges/2024-2025/HK1/{EID}.yaml"
OTHER = "xs-nd-2024-2025-hk1-tay"
OTHER_PATH = f"exchanges/2024-2025/HK1/{OTHER}.yaml"


def _approved(root, cli):
    r = cli("--repo", root, "exchange", "propose", "--term", "2024-2025/HK1", "--from", "XS", "--to", "HD",
            "--batch", "rt-xs-sgk6", "--handover", "2024-10-07", "--return-due", "2025-01-17",
            "--date", "2024-09-30", "--no-branch")
    assert r.exit_code == 0, r.output
    assert cli("--repo", root, "exchange", "approve", EID, "--date", "2024-10-01").exit_code == 0


def _other_manifest(root, barcode: str) -> None:
    """A manifest written by hand (as another library's PR would bring it) holding ``barcode``."""
    data = {"id": OTHER, "term": "2024-2025/HK1", "from": "XS", "to": "ND", "status": "approved",
            "planned": {"handover": "2024-10-08", "return_due": "2024-12-20"},
            "copies": [{"barcode": barcode, "record": "rt-xs-sgk6-1"}],
            "history": [{"status": "proposed", "date": "2024-09-28"}, {"status": "approved", "date": "2024-09-29"}]}
    Repository(root).save(OTHER_PATH, data)


def _same_size_edit(path, old: str, new: str) -> None:
    """Replace text without changing the size, then put the modification time back."""
    assert len(old.encode()) == len(new.encode())
    st = os.stat(path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(path).st_size == st.st_size and os.stat(path).st_mtime_ns == st.st_mtime_ns


def test_dispatch_refuses_copy_out_in_another_active_exchange_with_warm_cache(tmp_path, cli):
    root = make_network(tmp_path / "n")
    _approved(root, cli)
    _other_manifest(root, "RTXS11")
    assert cli("--repo", root, "exchange", "list", "--format", "json").exit_code == 0
    files = snapshot(root)
    for _ in range(2):   # cold, then with the manifest summaries cached
        r = cli("--repo", root, "exchange", "dispatch", EID, "--date", "2024-10-07")
        assert r.exit_code == 1, r.output
        assert "RTXS11" in r.output and OTHER in r.output
        assert snapshot(root) == files
    # the other manifest now holds a different copy: same size, same modification time
    _same_size_edit(root / OTHER_PATH, "barcode: RTXS11", "barcode: RTXS19")
    r = cli("--repo", root, "exchange", "dispatch", EID, "--date", "2024-10-07", "--format", "json")
    assert r.exit_code == 0, r.output
    item = next(i for i in yaml.safe_load((root / "records/XS/rt-xs-sgk6-1.yaml").read_text(encoding="utf-8"))["items"]
                if i["barcode"] == "RTXS11")
    assert item["status"] == "at-partner" and item["holder"] == "HD" and item["status_ref"] == EID


def test_propose_sees_an_active_exchange_after_a_same_size_edit(tmp_path, cli):
    root = make_network(tmp_path / "n")
    _other_manifest(root, "RTXS19")
    args = ["--repo", root, "exchange", "propose", "--term", "2024-2025/HK1", "--from", "XS", "--to", "HD",
            "--barcode", "RTXS11", "--handover", "2024-10-08", "--return-due", "2024-12-20", "--no-branch",
            "--format", "json"]
    assert cli("--repo", root, "schedule", "2024-2025/HK1", "--format", "json").exit_code == 0  # summaries cached
    _same_size_edit(root / OTHER_PATH, "barcode: RTXS19", "barcode: RTXS11")
    files = snapshot(root)
    r = cli(*args)
    assert r.exit_code == 1 and "RTXS11" in r.output and OTHER in r.output
    assert snapshot(root) == files


def test_unreadable_manifest_still_stops_dispatch_with_file_and_line(tmp_path, cli):
    root = make_network(tmp_path / "n")
    _approved(root, cli)
    broken = root / "exchanges/2024-2025/HK1/hong.yaml"
    broken.write_text("id: hong\ncopies: [\n", encoding="utf-8")
    files = snapshot(root)
    r = cli("--repo", root, "exchange", "dispatch", EID, "--date", "2024-10-07")
    assert r.exit_code == 2 and "exchanges/2024-2025/HK1/hong.yaml:" in r.output
    assert snapshot(root) == files


def _plan(cli, root):
    r = cli("--repo", root, "schedule", "2024-2025/HK1", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    return {s["batch"]: s["copies"] for s in data["stages"]}, data["left_out"]


def test_schedule_index_from_cache_follows_record_changes(tmp_path, cli):
    root = make_network(tmp_path / "n", only_rt=True)
    counts, left_out = _plan(cli, root)
    assert counts["rt-xs-sgk6"] == 8
    assert {e["barcode"] for e in left_out["rt-xs-sgk6"]} == {"RTXS23", "RTXS33"}
    counts_again, _ = _plan(cli, root)          # warm cache: the same plan
    assert counts_again == counts
    path = root / "records/XS/rt-xs-sgk6-4.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("barcode: RTXS41\n  status: available",
                                                             "barcode: RTXS41\n  status: withdrawn"), encoding="utf-8")
    counts, left_out = _plan(cli, root)
    assert counts["rt-xs-sgk6"] == 7
    assert {"barcode": "RTXS41", "record": "rt-xs-sgk6-4", "reason": "status", "status": "withdrawn",
            "ref": None} in left_out["rt-xs-sgk6"]
    # a record the schema rejects stops the command with validate's message (issue #14, item 14)
    path = root / "records/XS/rt-xs-sgk6-1.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "ghi_chu_noi_bo: bản của thư viện\n", encoding="utf-8")
    assert not schemas.fast_validator("record").is_valid(yaml.safe_load(path.read_text(encoding="utf-8")))
    r = cli("--repo", root, "schedule", "2024-2025/HK1", "--format", "json")
    assert r.exit_code == 1 and "records/XS/rt-xs-sgk6-1.yaml:" in r.output and "libsync validate" in r.output
    # an unreadable record stops the command with its file and line
    path.write_text("id: rt-xs-sgk6-1\nitems: [\n", encoding="utf-8")
    r = cli("--repo", root, "schedule", "2024-2025/HK1", "--format", "json")
    assert r.exit_code == 2 and "records/XS/rt-xs-sgk6-1.yaml:" in r.output


def test_parallel_read_and_render_give_the_same_data_and_bytes(tmp_path, monkeypatch):
    root = make_network(tmp_path / "n")
    repo = Repository(root)
    files = repo.record_files()
    assert len(files) > 20
    monkeypatch.setattr(store_write, "RENDER_PARALLEL_FROM", 2)
    monkeypatch.setattr(parallel, "WORKERS", 2)
    missing = "records/XS/khong-co.yaml"
    loaded = rotation_records_io.read_records(repo, files + [missing])
    assert loaded[missing] is None
    assert {rel: loaded[rel] for rel in files} == {rel: repo.load(rel) for rel in files}
    texts = store_write.render_many(repo, [(rel, loaded[rel]) for rel in files])
    assert texts == [repo.render("record", loaded[rel]) for rel in files]
    # NFD text is written NFC on both paths
    record = dict(loaded[files[0]], title=unicodedata.normalize("NFD", "Đất rừng phương Nam"))
    text = store_write.render_many(repo, [(files[0], record)] * 3)[0]
    assert "Đất rừng phương Nam" in text and unicodedata.is_normalized("NFC", text)
    bad = root / files[1]
    bad.write_text("id: x\nitems: [\n", encoding="utf-8")
    with pytest.raises(LibsyncError) as err:
        rotation_records_io.read_records(repo, files)
    assert err.value.key == "validate.refused" and f"{files[1]}:" in str(err.value)


def test_dispatch_on_two_processes_writes_the_same_files(tmp_path, monkeypatch):
    roots = []
    for name, threshold in (("serial", 10_000), ("parallel", 2)):
        root = make_network(tmp_path / name)
        monkeypatch.setattr(store_write, "RENDER_PARALLEL_FROM", threshold)
        monkeypatch.setattr(parallel, "WORKERS", 2)
        repo = Repository(root)
        propose(repo, branch=False, term="2024-2025/HK1", sender="XS", receiver="HD", batch="rt-xs-sgk6",
                handover=dt.date(2024, 10, 7), return_due=dt.date(2025, 1, 17), date=dt.date(2024, 9, 30))
        advance(repo, EID, "approve", date=dt.date(2024, 10, 1))
        outcome = advance(repo, EID, "dispatch", date=dt.date(2024, 10, 7), by="Phạm Thị Thu Hà")
        assert outcome.files == [MANIFEST] + [f"records/XS/rt-xs-sgk6-{n}.yaml" for n in range(1, 5)]
        roots.append(root)
    assert snapshot(roots[0]) == snapshot(roots[1])


def test_exchange_files_are_the_manifests_data_files_lists(tmp_path):
    root = make_network(tmp_path / "n")
    extra = ["exchanges/README.md", "exchanges/2024-2025/lac-cho.yaml", "exchanges/2024-2025/HK1/.an.yaml",
             "exchanges/2024-2025/HK1/sau/qua-sau.yaml", "exchanges/2024-2025/HK2/ok.yml"]
    for rel in extra:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("id: x\n", encoding="utf-8")
    repo = Repository(root)
    found = rotation_records_io.exchange_files(repo)
    assert found == repo.data_files(("exchange",))
    assert "exchanges/2024-2025/HK2/ok.yml" in found and "exchanges/2024-2025/lac-cho.yaml" not in found
    shutil.rmtree(root / "exchanges")
    assert rotation_records_io.exchange_files(repo) == []


def test_batches_naming_records_give_what_a_full_scan_gives(tmp_path):
    root = make_network(tmp_path / "n")
    repo = Repository(root)
    index = CopyIndex.from_repository(repo)
    batches = list(repo.network.batches) + [
        # a record named twice, one of another library, one that does not exist
        {"id": "rt-thu", "library": "XS", "name": "Thử",
         "filter": {"records": ["rt-xs-sgk6-2", "rt-xs-sgk6-2", "rt-hd-tk-1", "khong-co"], "grade": [6]}},
    ]
    records = repo.records()
    for batch in batches:
        flt = batch.get("filter") or {}
        result = resolve_batch(batch, index)
        got = {c["barcode"] for c in result.copies} | {e["barcode"] for e in result.left_out
                                                       if e["reason"] not in ("unknown", "not-owned")}
        wanted = set(flt.get("barcodes") or [])
        expected = {item["barcode"] for record in records if record["library"] == batch["library"]
                    and record_matches(record, flt) for item in record.get("items") or []
                    if not wanted or item["barcode"] in wanted}
        assert got == expected, batch["id"]
    thu = resolve_batch(batches[-1], index)
    assert [c["barcode"] for c in thu.copies] == ["RTXS21", "RTXS22"]
    assert [e["barcode"] for e in thu.left_out] == ["RTXS23"]


def test_find_batch_first_of_duplicates_and_follows_changes():
    from libsync.network import Network
    from libsync.rotation.batches import find_batch

    network = Network({"rotation": {"batches": [{"id": "a", "library": "XS", "name": "một"},
                                                 {"id": ["khong", "hop", "le"], "library": "XS"},
                                                 {"id": "a", "library": "HD", "name": "hai"}]}})
    assert find_batch(network, "a")["name"] == "một"
    network.batches.append({"id": "moi", "library": "ND"})
    assert find_batch(network, "moi")["library"] == "ND"
    with pytest.raises(LibsyncError) as err:
        find_batch(network, "khong-co")
    assert err.value.key == "rotation.unknown_batch" and "moi" in err.value.params["known"]


def test_exchange_summaries_skip_and_content_keyed_cache(tmp_path, cli):
    root = make_network(tmp_path / "n")
    _approved(root, cli)
    _other_manifest(root, "RTXS19")
    repo = Repository(root)
    full = dict(rotation_records_io.exchange_summaries(repo))
    assert full[OTHER_PATH] == {"id": OTHER, "status": "approved", "open": ["RTXS19"]}
    assert full[MANIFEST]["status"] == "approved" and len(full[MANIFEST]["open"]) == 8
    assert all(rel != MANIFEST for rel, _ in rotation_records_io.exchange_summaries(repo, skip={MANIFEST}))
    # a manifest the cache knows but that is now broken is read again and refused
    (root / OTHER_PATH).write_text("id: x\ncopies: [\n", encoding="utf-8")
    with pytest.raises(LibsyncError) as err:
        rotation_records_io.exchange_summaries(repo)
    assert err.value.key == "validate.refused" and OTHER_PATH in str(err.value)
    assert dict(rotation_records_io.exchange_summaries(repo, skip={OTHER_PATH}))[MANIFEST] == full[MANIFEST]
