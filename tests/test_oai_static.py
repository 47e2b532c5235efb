"""The catalogue as an OAI-PMH Static Repository: `oai.xml` beside the web catalogue (`libsync site build`)
and `libsync oai static`. The static repository schema is namespaced differently from OAI-PMH responses:
the file is checked for the guideline's rules, and each of its records, put in an OAI-PMH ListRecords
response, is validated against the official OAI-PMH XSD (and its metadata against tests/data/oai)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import xmlschema
import yaml
from lxml import etree

from libsync.oai import static
from libsync.repository import Repository
from libsync.site import build

# the official schema: the copy shared with every session beside the repository, else the same
# file kept in tests/data/oai (a clone with no shared/ folder beside it; see its README)
SHARED_XSD = Path(__file__).resolve().parents[2] / "shared/data/oai/OAI-PMH.xsd"
OAI_XSD = SHARED_XSD if SHARED_XSD.is_file() else Path(__file__).resolve().parent / "data/oai/OAI-PMH.xsd"
DATA = Path(__file__).resolve().parent / "data/oai"
SR = "http://www.openarchives.org/OAI/2.0/static-repository"
O = "http://www.openarchives.org/OAI/2.0/"
NS = {"sr": SR, "o": O}


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Thư viện", "GIT_AUTHOR_EMAIL": "tv@example.org",
           "GIT_COMMITTER_NAME": "Thư viện", "GIT_COMMITTER_EMAIL": "tv@example.org",
           "GIT_AUTHOR_DATE": "2024-01-10T08:00:00Z", "GIT_COMMITTER_DATE": "2024-01-10T08:00:00Z"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(example_repo: Path) -> Path:
    git(example_repo, "init", "-q")
    git(example_repo, "add", "-A")
    git(example_repo, "commit", "-qm", "mạng mẫu")
    return example_repo


@pytest.fixture(scope="module")
def schemas():
    if not OAI_XSD.is_file():
        pytest.fail(f"the official OAI-PMH schema is missing: {OAI_XSD}")
    return {"oai": xmlschema.XMLSchema(str(OAI_XSD)), "oai_dc": xmlschema.XMLSchema(str(DATA / "oai_dc.xsd")),
            "marc21": xmlschema.XMLSchema(str(DATA / "marcxml.xsd"))}


def check_static(data: bytes, schemas) -> dict[str, list[str]]:
    """The guideline's rules, and every record valid as OAI-PMH; {prefix: identifiers}."""
    root = etree.fromstring(data)                                     # well-formed
    assert root.tag == f"{{{SR}}}Repository"
    ident = root.find("sr:Identify", NS)
    assert ident.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DD"
    assert ident.findtext("o:deletedRecord", namespaces=NS) == "no"
    assert ident.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert len(ident.findtext("o:earliestDatestamp", namespaces=NS)) == 10
    assert [e.text for e in root.iterfind("sr:ListMetadataFormats/o:metadataFormat/o:metadataPrefix", NS)] == \
        ["marc21", "oai_dc"]
    assert not root.findall(".//o:setSpec", NS) and not root.findall(".//o:resumptionToken", NS)
    out = {}
    for block in root.iterfind("sr:ListRecords", NS):
        prefix = block.get("metadataPrefix")
        records = block.findall("o:record", NS)
        for record in records:
            header = record.find("o:header", NS)
            assert header.get("status") is None and record.find("o:metadata", NS) is not None
            assert len(header.findtext("o:datestamp", namespaces=NS)) == 10
            (inner,) = list(record.find("o:metadata", NS))
            schemas[prefix].validate(etree.tostring(inner).decode("utf-8"))
        response = (f'<OAI-PMH xmlns="{O}"><responseDate>2024-01-10T08:00:00Z</responseDate>'
                    f'<request verb="ListRecords" metadataPrefix="{prefix}">http://gateway.example/oai</request>'
                    "<ListRecords>").encode() + b"".join(etree.tostring(r) for r in records) + \
            b"</ListRecords></OAI-PMH>"
        schemas["oai"].validate(response.decode("utf-8"))
        out[prefix] = [r.findtext("o:header/o:identifier", namespaces=NS) for r in records]
    return out


def test_site_build_writes_a_static_repository(repo, tmp_path, schemas):
    summary = build(Repository(repo), tmp_path / "site", audience="public")
    assert summary["oai_static"] == {"file": "oai.xml", "records": 39}
    data = (tmp_path / "site" / "oai.xml").read_bytes()
    found = check_static(data, schemas)
    assert len(found["marc21"]) == 39 and sorted(found["marc21"]) == sorted(found["oai_dc"])
    assert "oai:lien-thong-dong-trieu-thcs:HD/hd-tk-atlat" in found["oai_dc"]
    assert "Atlat Địa lý Việt Nam".encode() in data
    root = etree.fromstring(data)
    assert root.findtext("sr:Identify/o:baseURL", namespaces=NS) == "oai.xml"
    assert {d.text for d in root.iterfind(".//o:datestamp", NS)} == {"2024-01-10"}
    for path in sorted(repo.glob("records/*/*.yaml")):       # nothing the public may not see
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        if record.get("share") != "public":
            assert record["id"].encode() not in data, path
    # the web catalogue never shows barcodes (docs/site.md): no copies in its static repository
    assert b'tag="952"' not in data and b"HD-TK-" not in data


def test_beyond_the_limit_the_file_is_left_out_and_stderr_says_so(repo, tmp_path, monkeypatch, cli):
    monkeypatch.setattr(static, "LIMIT", 30)
    summary = build(Repository(repo), tmp_path / "site", audience="public")
    assert summary["oai_static"] == {"file": None, "records": 39}
    assert not (tmp_path / "site" / "oai.xml").exists()
    assert (tmp_path / "site" / "index.html").is_file()
    # the library says it in the summary; the command says it on stderr
    result = cli("--repo", repo, "site", "build", "-o", tmp_path / "site2", "--audience", "public")
    assert result.exit_code == 0, result.output
    assert "Không ghi oai.xml (OAI-PMH Static Repository): 39 biểu ghi, quá giới hạn 30" in result.stderr
    assert not (tmp_path / "site2" / "oai.xml").exists()


def test_oai_static_command_writes_a_file_to_register(repo, tmp_path, cli, schemas, monkeypatch):
    out = tmp_path / "mini.xml"
    url = "http://gateway.example.org/oai/truong.example.edu.vn/mini.xml"
    result = cli("--repo", repo, "oai", "static", "-o", out, "--base-url", url, "--audience", "network",
                 "--admin-email", "thuvien@xuanson.edu.vn")
    assert result.exit_code == 0, result.output
    found = check_static(out.read_bytes(), schemas)
    assert len(found["oai_dc"]) == 200
    assert b'<subfield code="p">XS-GK-00123</subfield>' in out.read_bytes()     # copies, as export marcxml
    assert b'<subfield code="g">' not in out.read_bytes()                      # never a price
    root = etree.fromstring(out.read_bytes())
    assert root.findtext("sr:Identify/o:baseURL", namespaces=NS) == url
    assert root.findtext("sr:Identify/o:adminEmail", namespaces=NS) == "thuvien@xuanson.edu.vn"
    monkeypatch.setattr(static, "LIMIT", 100)
    again = tmp_path / "big.xml"
    result = cli("--repo", repo, "--lang", "en", "oai", "static", "-o", again, "--audience", "network")
    assert result.exit_code == 1
    assert "200 records, beyond the OAI guideline's 100" in result.output
    assert not again.exists()
