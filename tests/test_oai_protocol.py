"""The OAI-PMH provider's answers (libsync.oai), checked against the official OAI-PMH 2.0 XML Schema.

Every verb and every error condition is validated with xmlschema against ``../shared/data/oai/OAI-PMH.xsd``
(the schema published by the OAI); the metadata inside is validated against the small schemas of
tests/data/oai (oai_dc, MARCXML). The repository is a real Git repository made from the example
network, changed with real commits (dated with GIT_COMMITTER_DATE for from/until).
"""

from __future__ import annotations

import os
import re
import subprocess
import unicodedata
import urllib.parse
from pathlib import Path

import pymarc
import pytest
import xmlschema
import yaml
from lxml import etree

from libsync.oai.index import build
from libsync.oai.server import Provider

PROJECT = Path(__file__).resolve().parents[1]
# the official schema: the copy shared with every session beside the repository, else the same
# file kept in tests/data/oai (a clone with no shared/ folder beside it; see its README)
SHARED_XSD = Path(__file__).resolve().parents[2] / "shared/data/oai/OAI-PMH.xsd"
OAI_XSD = SHARED_XSD if SHARED_XSD.is_file() else Path(__file__).resolve().parent / "data/oai/OAI-PMH.xsd"
DATA = PROJECT / "tests/data/oai"
NS = {"o": "http://www.openarchives.org/OAI/2.0/", "marc": "http://www.loc.gov/MARC21/slim",
      "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/", "dc": "http://purl.org/dc/elements/1.1/"}
REPO_ID = "lien-thong-dong-trieu-thcs"
BASE = "http://127.0.0.1:8080/oai"
INTERNAL = "records/XS/xs-noi-bo-de-cuong-toan-9-on-thi-10.yaml"     # share: internal
PUBLIC = "records/HD/hd-tk-atlat.yaml"                              # share: public
NETWORK = "records/XS/xs-am-nhac-6-kntt.yaml"                       # share: network


def oai_schema() -> xmlschema.XMLSchema:
    if not OAI_XSD.is_file():
        pytest.fail(f"the official OAI-PMH schema is missing: {OAI_XSD}")
    return xmlschema.XMLSchema(str(OAI_XSD))


@pytest.fixture(scope="module")
def schemas():
    return {"oai": oai_schema(), "oai_dc": xmlschema.XMLSchema(str(DATA / "oai_dc.xsd")),
            "marc21": xmlschema.XMLSchema(str(DATA / "marcxml.xsd"))}


def git(root: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Thư viện", "GIT_AUTHOR_EMAIL": "tv@example.org",
           "GIT_COMMITTER_NAME": "Thư viện", "GIT_COMMITTER_EMAIL": "tv@example.org"}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def repo(example_repo: Path) -> Path:
    git(example_repo, "init", "-q")
    git(example_repo, "add", "-A")
    git(example_repo, "commit", "-qm", "mạng mẫu", date="2024-01-10T08:00:00Z")
    return example_repo


def check(body: bytes, schemas, *, prefix: str | None = None) -> etree._Element:
    """Validate a response (and each record's metadata) and return its root element."""
    schemas["oai"].validate(body.decode("utf-8"))
    root = etree.fromstring(body)
    for meta in root.iterfind(".//o:metadata", NS):
        (inner,) = list(meta)
        fmt = prefix or ("marc21" if inner.tag.startswith("{%s}" % NS["marc"]) else "oai_dc")
        schemas[fmt].validate(etree.tostring(inner).decode("utf-8"))
    return root


def ask(provider: Provider, **args: str) -> bytes:
    return provider.answer(urllib.parse.urlencode(args), BASE)


def error_code(root) -> str | None:
    found = root.find("o:error", NS)
    return None if found is None else found.get("code")


def identifiers(root) -> list[str]:
    return [h.findtext("o:identifier", namespaces=NS) for h in root.iterfind(".//o:header", NS)]


def key(relpath: str) -> str:
    _, lib, name = relpath.split("/")
    return f"oai:{REPO_ID}:{lib}/{name[:-5]}"


def harvest_all(provider: Provider, verb: str, schemas, **args: str) -> tuple[list, list[int]]:
    """Every header of a list request, following the resumption tokens; and each page's size."""
    headers, sizes = [], []
    root = check(ask(provider, verb=verb, **args), schemas)
    while True:
        assert error_code(root) is None, etree.tostring(root)
        page = root.findall(f"o:{verb}/o:header", NS) + root.findall(f"o:{verb}/o:record/o:header", NS)
        headers += page
        sizes.append(len(page))
        token = root.find(f"o:{verb}/o:resumptionToken", NS)
        if token is None or not token.text:
            return headers, sizes
        root = check(ask(provider, verb=verb, resumptionToken=token.text), schemas)


# --- every verb, valid ------------------------------------------------------------------------------

def test_identify_is_valid_and_says_granularity_and_deletions(repo, schemas):
    root = check(ask(Provider(repo, "public", emails=["thuvien@xuanson.edu.vn"]), verb="Identify"), schemas)
    ident = root.find("o:Identify", NS)
    assert ident.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert ident.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert ident.findtext("o:baseURL", namespaces=NS) == BASE
    assert ident.findtext("o:adminEmail", namespaces=NS) == "thuvien@xuanson.edu.vn"
    assert ident.findtext("o:earliestDatestamp", namespaces=NS) == "2024-01-10T08:00:00Z"
    assert "Xuân Sơn" in ident.findtext("o:repositoryName", namespaces=NS)


def test_list_metadata_formats_and_sets(repo, schemas):
    provider = Provider(repo, "public")
    root = check(ask(provider, verb="ListMetadataFormats"), schemas)
    assert [e.text for e in root.iterfind(".//o:metadataPrefix", NS)] == ["marc21", "oai_dc"]
    root = check(ask(provider, verb="ListMetadataFormats", identifier=key(PUBLIC)), schemas)
    assert len(root.findall(".//o:metadataFormat", NS)) == 2
    root = check(ask(provider, verb="ListSets"), schemas)
    specs = [e.text for e in root.iterfind(".//o:setSpec", NS)]
    assert {"XS", "HD", "ND", "type", "type:reference", "HD:reference"} <= set(specs)
    names = {s.findtext("o:setSpec", namespaces=NS): s.findtext("o:setName", namespaces=NS)
             for s in root.iterfind(".//o:set", NS)}
    assert names["type:reference"] == "Sách tham khảo"
    assert names["XS"] == "Trường THCS Xuân Sơn"


def test_get_record_in_both_formats(repo, schemas):
    provider = Provider(repo, "public")
    root = check(ask(provider, verb="GetRecord", identifier=key(PUBLIC), metadataPrefix="marc21"), schemas,
                 prefix="marc21")
    header = root.find(".//o:header", NS)
    assert header.findtext("o:identifier", namespaces=NS) == key(PUBLIC)
    assert [s.text for s in header.iterfind("o:setSpec", NS)] == ["HD", "type:reference", "HD:reference"]
    assert header.findtext("o:datestamp", namespaces=NS) == "2024-01-10T08:00:00Z"
    titles = root.xpath(".//marc:datafield[@tag='245']/marc:subfield[@code='a']/text()", namespaces=NS)
    assert titles == ["Atlat Địa lý Việt Nam"]
    root = check(ask(provider, verb="GetRecord", identifier=key(PUBLIC), metadataPrefix="oai_dc"), schemas,
                 prefix="oai_dc")
    assert root.findtext(".//dc:title", namespaces=NS) == "Atlat Địa lý Việt Nam"
    assert "urn:isbn:978-604-0-71585-2" in [e.text for e in root.iterfind(".//dc:identifier", NS)]
    # private fields never leave for the public: no price, no register number (952 $g, $i)
    root = etree.fromstring(ask(provider, verb="GetRecord", identifier=key(PUBLIC), metadataPrefix="marc21"))
    assert not root.xpath(".//marc:datafield[@tag='952']/marc:subfield[@code='g' or @code='i']", namespaces=NS)


def test_list_records_pages_with_tokens(repo, schemas):
    provider = Provider(repo, "network", page_size=7)
    headers, sizes = harvest_all(provider, "ListRecords", schemas, metadataPrefix="marc21")
    total = len(headers)
    assert total == 200   # 161 network + 39 public records; the 6 internal ones are not there
    assert sizes[:-1] == [7] * (len(sizes) - 1) and 0 < sizes[-1] <= 7
    assert len(set(identifiers_of(headers))) == total
    # cursor and completeListSize on every page but a single one
    root = etree.fromstring(ask(provider, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    token = root.find(".//o:resumptionToken", NS)
    assert token.get("completeListSize") == "200" and token.get("cursor") == "0"
    root = etree.fromstring(ask(provider, verb="ListIdentifiers", resumptionToken=token.text))
    assert root.find(".//o:resumptionToken", NS).get("cursor") == "7"
    ids, _ = harvest_all(provider, "ListIdentifiers", schemas, metadataPrefix="oai_dc")
    assert identifiers_of(ids) == identifiers_of(headers)


def identifiers_of(headers) -> list[str]:
    return [h.findtext("o:identifier", namespaces=NS) for h in headers]


def test_sets_select_libraries_types_and_their_combination(repo, schemas):
    provider = Provider(repo, "network", page_size=1000)

    def listed(spec: str) -> set[str]:
        root = check(ask(provider, verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec), schemas)
        return set(identifiers(root))

    records = {}
    for path in sorted(repo.glob("records/*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("share") in ("network", "public"):
            records[key(path.relative_to(repo).as_posix())] = (data["library"], data["type"])
    assert listed("XS") == {k for k, (lib, _) in records.items() if lib == "XS"}
    assert listed("type:textbook") == {k for k, (_, kind) in records.items() if kind == "textbook"}
    assert listed("XS:textbook") == {k for k, v in records.items() if v == ("XS", "textbook")}
    assert listed("type") == set(records)        # the parent set holds every typed record
    root = check(ask(provider, verb="ListIdentifiers", metadataPrefix="oai_dc", set="XS:periodical-x"), schemas)
    assert error_code(root) == "noRecordsMatch"


def test_marc21_is_the_export_marcxml_mapping(repo, cli):
    """The same MARC fields as `libsync export marcxml` for the same audience, record by record."""
    out = repo / "export.xml"
    result = cli("--repo", repo, "export", "marcxml", "--audience", "network", "-o", out)
    assert result.exit_code == 0, result.output
    exported: dict[str, list] = {}
    for rec in pymarc.parse_xml_to_array(str(out)):
        exported.setdefault(rec["001"].data, []).append(rec)
    provider = Provider(repo, "network", page_size=1000)
    root = etree.fromstring(ask(provider, verb="ListRecords", metadataPrefix="marc21"))
    served = root.findall(".//marc:record", NS)
    assert len(served) == 200
    compared = 0
    for element in served:
        collection = (b'<collection xmlns="http://www.loc.gov/MARC21/slim">' + etree.tostring(element)
                      + b"</collection>")
        path = repo / "one.xml"
        path.write_bytes(collection)
        (rec,) = pymarc.parse_xml_to_array(str(path))
        parts = exported[rec["001"].data]
        assert len(parts) == 1   # no example record is big enough to be split
        assert str(rec.leader) == str(parts[0].leader)
        assert [str(f) for f in rec.fields] == [str(f) for f in parts[0].fields]
        compared += 1
    assert compared == 200


# --- errors -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "code"), [
    ({}, "badVerb"),
    ({"verb": "Frobnicate"}, "badVerb"),
    ({"verb": ["Identify", "Identify"]}, "badVerb"),
    ({"verb": "Identify", "set": "XS"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "marc21"]}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-45"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "10/01/2024"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01", "until": "2024-02-01T00:00:00Z"},
     "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-03-01", "until": "2024-02-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "XS lớp 6"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
    ({"verb": "GetRecord", "identifier": f"oai:{REPO_ID}:HD/hd-tk-atlat"}, "badArgument"),
    ({"verb": "GetRecord", "identifier": "không phải URI", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "marcxml"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "identifier": f"oai:{REPO_ID}:HD/hd-tk-atlat", "metadataPrefix": "dc"},
     "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "identifier": f"oai:{REPO_ID}:HD/khong-co", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
    ({"verb": "GetRecord", "identifier": "oai:mang-khac:HD/hd-tk-atlat", "metadataPrefix": "oai_dc"},
     "idDoesNotExist"),
    ({"verb": "ListMetadataFormats", "identifier": f"oai:{REPO_ID}:XS/khong-co"}, "idDoesNotExist"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2000-01-01"}, "noRecordsMatch"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "ZZ"}, "noRecordsMatch"),
    ({"verb": "ListRecords", "resumptionToken": "không-phải-thẻ"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "abc"}, "badResumptionToken"),
])
def test_errors_are_valid_responses(repo, schemas, args, code):
    provider = Provider(repo, "public")
    body = provider.answer(urllib.parse.urlencode(args, doseq=True), BASE)
    root = check(body, schemas)
    assert error_code(root) == code
    request = root.find("o:request", NS)
    if code in ("badVerb", "badArgument"):      # the protocol: the base URL only, no attributes
        assert dict(request.attrib) == {}
    else:
        assert request.get("verb") == args["verb"]
    assert request.text == BASE


def test_no_set_hierarchy_when_there_are_no_sets(schemas):
    from libsync.oai.protocol import Catalogue, respond

    empty = Catalogue("mang", "Mạng", ["a@b.vn"], "s", [], [], fetch=lambda page: {})
    root = check(respond(empty, {"verb": ["ListSets"]}, BASE), schemas)
    assert error_code(root) == "noSetHierarchy"


def test_error_text_follows_the_language(repo, schemas):
    from libsync.i18n import set_language

    provider = Provider(repo, "public")
    vi = etree.fromstring(ask(provider, verb="ListRecords", metadataPrefix="marcxml")).findtext("o:error", namespaces=NS)
    set_language("en")
    en = etree.fromstring(ask(provider, verb="ListRecords", metadataPrefix="marcxml")).findtext("o:error", namespaces=NS)
    assert "Không có định dạng" in vi and "No metadata format 'marcxml'" in en


def test_a_record_xml_cannot_carry_has_no_format(schemas):
    """validate refuses such a record (the store leaves it out); should one reach the catalogue, it
    has no metadata format and stays out of lists, never an ill-formed response."""
    from libsync.oai.protocol import Catalogue, Entry, respond

    entries = [Entry("HD/hd-ok", 1_704_873_600, ("HD",)), Entry("HD/hd-bad", 1_704_873_600, ("HD",), False, False)]
    cat = Catalogue(REPO_ID, "Mạng", ["a@b.vn"], "s", entries, [("HD", "Hưng Đạo")],
                    fetch=lambda page: {e.key: {"id": e.key[3:], "library": "HD", "type": "story", "title": "Dế Mèn"}
                                        for e in page})

    def code(**args):
        return error_code(check(respond(cat, {k: [v] for k, v in args.items()}, BASE), schemas))

    assert code(verb="GetRecord", identifier=f"oai:{REPO_ID}:HD/hd-bad", metadataPrefix="oai_dc") == \
        "cannotDisseminateFormat"
    assert code(verb="ListMetadataFormats", identifier=f"oai:{REPO_ID}:HD/hd-bad") == "noMetadataFormats"
    root = check(respond(cat, {"verb": ["ListRecords"], "metadataPrefix": ["marc21"]}, BASE), schemas)
    assert identifiers(root) == [f"oai:{REPO_ID}:HD/hd-ok"]


def test_a_control_character_leaves_the_record_out(repo):
    path = repo / PUBLIC
    path.write_text(path.read_text(encoding="utf-8").replace("title: Atlat Địa lý Việt Nam", 'title: "Atlat\\x0b"'),
                    encoding="utf-8")
    built = build(repo, "public")
    assert [(p.file, p.rule) for p in built.skipped] == [(PUBLIC, "control-character")]
    assert "HD/hd-tk-atlat" not in built.catalogue.by_key and built.records == 38


# --- audience ---------------------------------------------------------------------------------------------

def every_byte(provider: Provider) -> bytes:
    """Every response a harvester can get: all verbs, both formats, every set, every page."""
    out = [ask(provider, verb="Identify"), ask(provider, verb="ListSets"), ask(provider, verb="ListMetadataFormats")]
    sets = [e.text for e in etree.fromstring(out[1]).iterfind(".//o:setSpec", NS)]
    for prefix in ("marc21", "oai_dc"):
        for verb in ("ListRecords", "ListIdentifiers"):
            for spec in [None, *sets]:
                args = {"verb": verb, "metadataPrefix": prefix, **({"set": spec} if spec else {})}
                body = ask(provider, **args)
                out.append(body)
                token = etree.fromstring(body).find(".//o:resumptionToken", NS)
                while token is not None and token.text:
                    body = ask(provider, verb=verb, resumptionToken=token.text)
                    out.append(body)
                    token = etree.fromstring(body).find(".//o:resumptionToken", NS)
    return b"".join(out)


def internal_ids(repo: Path) -> list[str]:
    found = []
    for path in sorted(repo.glob("records/*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("share", "internal") == "internal":
            found.append(data["id"])
    assert len(found) == 6
    return found


@pytest.mark.parametrize("audience", ["public", "network"])
def test_an_internal_record_is_never_served_not_even_its_identifier(repo, audience):
    provider = Provider(repo, audience, page_size=9)
    everything = every_byte(provider)
    for record_id in internal_ids(repo):
        assert record_id.encode() not in everything
        lib = record_id.split("-")[0].upper()
        for verb, extra in (("GetRecord", {"metadataPrefix": "oai_dc"}), ("ListMetadataFormats", {})):
            root = etree.fromstring(ask(provider, verb=verb, identifier=f"oai:{REPO_ID}:{lib}/{record_id}", **extra))
            assert error_code(root) == "idDoesNotExist"


def test_a_library_sees_its_own_internal_records_only(repo):
    provider = Provider(repo, "XS", page_size=1000)
    listed = set(identifiers(etree.fromstring(ask(provider, verb="ListIdentifiers", metadataPrefix="oai_dc"))))
    assert key(INTERNAL) in listed
    assert key("records/HD/hd-noi-bo-ky-yeu-60-nam.yaml") not in listed
    # its own staff see the private fields of its own records, not of the others'
    root = etree.fromstring(ask(provider, verb="GetRecord", identifier=key(NETWORK), metadataPrefix="marc21"))
    assert root.xpath(".//marc:datafield[@tag='952']/marc:subfield[@code='g']/text()", namespaces=NS)[0] == "11000"


def test_public_sees_only_public_records(repo, schemas):
    provider = Provider(repo, "public", page_size=1000)
    listed = identifiers(check(ask(provider, verb="ListIdentifiers", metadataPrefix="oai_dc"), schemas))
    assert len(listed) == 39 and key(PUBLIC) in listed and key(NETWORK) not in listed


# --- deletions, datestamps, tokens -------------------------------------------------------------------------

def lower_share(repo: Path, relpath: str, share: str) -> None:
    path = repo / relpath
    text = path.read_text(encoding="utf-8")
    text, n = re.subn(r"^share: \w+$", f"share: {share}", text, flags=re.M)
    assert n == 1
    path.write_text(text, encoding="utf-8")


def test_deleted_records_and_datestamps_from_history(repo, schemas):
    # 2024-03-05: a public record removed, one lowered to internal, an internal one removed
    (repo / PUBLIC).unlink()
    lower_share(repo, "records/HD/hd-tk-ke-chuyen-bac-ho.yaml", "internal")
    (repo / INTERNAL).unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "bỏ bớt", date="2024-03-05T10:00:00Z")
    # 2024-04-20: a public record edited (typed in NFD: served in NFC, as MARC is)
    path = repo / "records/HD/hd-truyen-bup-sen-xanh.yaml"
    text = re.sub(r"^summary: .*$", "summary: " + unicodedata.normalize("NFD", "Tóm tắt"),
                  path.read_text(encoding="utf-8"), flags=re.M)
    path.write_text(text, encoding="utf-8")
    git(repo, "commit", "-qam", "tóm tắt", date="2024-04-20T09:30:00Z")

    provider = Provider(repo, "public", page_size=1000)
    root = check(ask(provider, verb="ListRecords", metadataPrefix="oai_dc"), schemas)
    records = {r.findtext("o:header/o:identifier", namespaces=NS): r for r in root.iterfind(".//o:record", NS)}
    gone = records[key(PUBLIC)]
    assert gone.find("o:header", NS).get("status") == "deleted"
    assert gone.find("o:metadata", NS) is None
    assert gone.findtext("o:header/o:datestamp", namespaces=NS) == "2024-03-05T10:00:00Z"
    assert [s.text for s in gone.iterfind("o:header/o:setSpec", NS)] == ["HD", "type:reference", "HD:reference"]
    lowered = records[key("records/HD/hd-tk-ke-chuyen-bac-ho.yaml")]
    assert lowered.find("o:header", NS).get("status") == "deleted" and lowered.find("o:metadata", NS) is None
    assert "Bác Hồ".encode() not in etree.tostring(lowered, encoding="utf-8")
    assert key(INTERNAL) not in records     # never visible: its removal is not news to anyone
    assert len(records) == 39               # 37 live public records and two deleted headers
    # from / until select by the commit that last changed each file (days and seconds)
    def between(**args):
        body = ask(provider, verb="ListIdentifiers", metadataPrefix="oai_dc", **args)
        return identifiers(check(body, schemas))
    assert between(**{"from": "2024-04-01"}) == [key("records/HD/hd-truyen-bup-sen-xanh.yaml")]
    assert sorted(between(**{"from": "2024-03-05", "until": "2024-03-05"})) == sorted(
        [key(PUBLIC), key("records/HD/hd-tk-ke-chuyen-bac-ho.yaml")])
    root = check(ask(provider, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2024-03-05T10:00:01Z",
                                                                                  "until": "2024-04-20T09:29:59Z"}),
                 schemas)
    assert error_code(root) == "noRecordsMatch"
    assert len(between(until="2024-01-10")) == 36
    root = etree.fromstring(ask(provider, verb="GetRecord", identifier=key("records/HD/hd-truyen-bup-sen-xanh.yaml"),
                                metadataPrefix="oai_dc"))
    assert root.findtext(".//o:datestamp", namespaces=NS) == "2024-04-20T09:30:00Z"
    assert root.findtext(".//dc:description", namespaces=NS) == unicodedata.normalize("NFC", "Tóm tắt")
    # the deleted record answers GetRecord with its header
    root = check(ask(provider, verb="GetRecord", identifier=key(PUBLIC), metadataPrefix="marc21"), schemas)
    assert root.find(".//o:header", NS).get("status") == "deleted"


def test_uncommitted_changes_count_from_the_file_time(repo, schemas):
    lower_share(repo, PUBLIC, "internal")      # not committed
    provider = Provider(repo, "public", page_size=1000)
    root = check(ask(provider, verb="GetRecord", identifier=key(PUBLIC), metadataPrefix="oai_dc"), schemas)
    header = root.find(".//o:header", NS)
    assert header.get("status") == "deleted"
    assert header.findtext("o:datestamp", namespaces=NS) > "2024-01-10T08:00:00Z"


def test_a_token_goes_stale_when_the_repository_changes(repo, schemas):
    provider = Provider(repo, "public", page_size=5, recheck=0)
    root = etree.fromstring(ask(provider, verb="ListRecords", metadataPrefix="oai_dc"))
    token = root.find(".//o:resumptionToken", NS).text
    again = etree.fromstring(ask(provider, verb="ListRecords", resumptionToken=token))
    assert error_code(again) is None            # valid while nothing changes
    lower_share(repo, NETWORK, "public")
    git(repo, "commit", "-qam", "chia sẻ công khai")
    root = check(ask(provider, verb="ListRecords", resumptionToken=token), schemas)
    assert error_code(root) == "badResumptionToken"
    assert root.find("o:request", NS).get("resumptionToken") == token
    # a token of one verb is not one of another
    fresh = etree.fromstring(ask(provider, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    other = fresh.find(".//o:resumptionToken", NS).text
    assert error_code(etree.fromstring(ask(provider, verb="ListRecords", resumptionToken=other))) == "badResumptionToken"


def test_identifiers_are_stable_across_runs(repo):
    first = identifiers(etree.fromstring(ask(Provider(repo, "network", page_size=1000), verb="ListIdentifiers",
                                             metadataPrefix="oai_dc")))
    second = identifiers(etree.fromstring(ask(Provider(repo, "network", page_size=1000, use_cache=False),
                                              verb="ListIdentifiers", metadataPrefix="oai_dc")))
    assert sorted(first) == sorted(second) and len(first) == 200
    assert all(i.startswith(f"oai:{REPO_ID}:") for i in first)


def test_outside_git_datestamps_are_file_times_and_nothing_is_deleted(example_repo, schemas):
    os.utime(example_repo / PUBLIC, (1_700_000_000, 1_700_000_000))
    provider = Provider(example_repo, "public", page_size=1000)
    root = check(ask(provider, verb="Identify"), schemas)
    assert root.findtext(".//o:deletedRecord", namespaces=NS) == "no"
    root = check(ask(provider, verb="GetRecord", identifier=key(PUBLIC), metadataPrefix="oai_dc"), schemas)
    assert root.findtext(".//o:datestamp", namespaces=NS) == "2023-11-14T22:13:20Z"


def test_an_invalid_record_is_left_out_and_named(repo):
    (repo / PUBLIC).write_text("id: hd-tk-atlat\nlibrary: HD\ntitle: [không đóng\n", encoding="utf-8")
    built = build(repo, "public")
    assert [p.file for p in built.skipped] == [PUBLIC]
    assert "HD/hd-tk-atlat" not in built.catalogue.by_key
    assert built.records == 38


def test_history_read_in_steps_is_the_history_read_at_once(repo):
    from libsync.oai import history

    first = history.load(repo)                                  # kept on disk, keyed by HEAD
    assert set(first.paths) == {p.relative_to(repo).as_posix() for p in repo.glob("records/*/*.yaml")}
    (repo / PUBLIC).unlink()
    git(repo, "commit", "-qam", "xoá", date="2024-02-01T00:00:00Z")
    lower_share(repo, NETWORK, "public")
    git(repo, "commit", "-qam", "công khai", date="2024-01-05T00:00:00Z")   # a clock running late
    stepped = history.load(repo)                                # only the two new commits read
    whole = history.load(repo, use_cache=False)
    assert stepped.head == whole.head == git(repo, "rev-parse", "HEAD").strip()
    assert {p: (e.time, e.removed, e.blobs) for p, e in stepped.paths.items()} == \
        {p: (e.time, e.removed, e.blobs) for p, e in whole.paths.items()}
    assert whole.paths[PUBLIC].removed and len(whole.paths[NETWORK].blobs) == 2
    # a commit dated before its parent counts from its parent's time: a harvest from= never misses it
    assert whole.paths[NETWORK].time == whole.paths[PUBLIC].time == 1_706_745_600


def test_the_kept_schema_is_the_shared_one():
    kept = PROJECT / "tests/data/oai/OAI-PMH.xsd"
    assert kept.is_file()
    if SHARED_XSD.is_file():
        assert kept.read_bytes() == SHARED_XSD.read_bytes()
