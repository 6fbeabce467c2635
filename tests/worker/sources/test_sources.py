"""Source detection, sitemap parsing (gzip too), URL lists, saved HTML URLs and WARC offsets."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from worker.sources import SourceError, classify, files, sitemap, urllist, warc
from worker.sources.refs import PageRef

pytestmark = pytest.mark.unit

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc> https://site.test/a/ </loc><lastmod>2024-05-01T10:00:00+00:00</lastmod></url>
  <url><loc>https://site.test/b/</loc></url>
  <url><lastmod>2024-05-01</lastmod></url>
</urlset>"""

INDEX = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://site.test/post-sitemap.xml</loc><lastmod>2024-01-01</lastmod></sitemap>
</sitemapindex>"""


def test_classify(tmp_path: Path) -> None:
    (tmp_path / "urls.txt").write_text("https://a.test/\n")
    (tmp_path / "crawl.warc.gz").write_bytes(b"")
    (tmp_path / "page.html").write_text("<html></html>")
    assert classify("https://site.test/sitemap.xml").kind == "url"
    assert classify(str(tmp_path / "urls.txt")).kind == "url_list"
    assert classify(str(tmp_path / "crawl.warc.gz")).kind == "warc"
    assert classify(str(tmp_path / "page.html")).kind == "html"
    assert classify(str(tmp_path)).kind == "html"
    assert classify((tmp_path / "page.html").as_uri()).location == str(tmp_path / "page.html")
    with pytest.raises(SourceError, match="no such file"):
        classify(str(tmp_path / "missing"))
    with pytest.raises(SourceError, match="only http"):
        classify("ftp://site.test/x")


def test_urlset_and_index() -> None:
    parsed = sitemap.parse(URLSET, 10_000)
    assert parsed is not None and parsed.kind == "urlset"
    assert [(e.loc, e.lastmod) for e in parsed.entries] == [
        ("https://site.test/a/", "2024-05-01T10:00:00+00:00"), ("https://site.test/b/", None)]
    index = sitemap.parse(gzip.compress(INDEX), 10_000)
    assert index is not None and index.kind == "sitemapindex"
    assert index.entries[0].loc == "https://site.test/post-sitemap.xml"


def test_not_a_sitemap() -> None:
    assert sitemap.parse(b"<html><body>hi</body></html>", 10_000) is None
    assert sitemap.parse(b"<rss><channel/></rss>", 10_000) is None
    assert sitemap.parse(b"\x89PNG", 10_000) is None


def test_sitemap_entities_are_not_expanded() -> None:
    evil = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<urlset><url><loc>https://s.test/&x;</loc></url></urlset>')
    parsed = sitemap.parse(evil, 10_000)
    assert parsed is None or all("root:" not in e.loc for e in parsed.entries)


def test_url_list_skips_blanks_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "u.txt"
    path.write_text("# mine\nhttps://a.test/1\n\n  https://a.test/2  \n")
    assert list(urllist.read(path)) == ["https://a.test/1", "https://a.test/2"]


def test_saved_html_urls(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    canonical = tmp_path / "news" / "one.html"
    canonical.write_text('<html><head><link href="https://site.test/one/" rel="Canonical"></head></html>')
    plain = tmp_path / "news" / "two words.htm"
    plain.write_text("<html><head><title>t</title></head><body>x</body></html>")
    zipped = tmp_path / "three.html.gz"
    zipped.write_bytes(gzip.compress(b"<html><body>z</body></html>"))
    (tmp_path / "notes.md").write_text("ignored")
    found = list(files.html_files(tmp_path))
    assert found == [canonical, plain, zipped]
    assert files.page_url(canonical, tmp_path, "https://base.test/") == "https://site.test/one/"
    assert files.page_url(plain, tmp_path, "https://base.test/x") == "https://base.test/x/news/two%20words.htm"
    assert files.page_url(zipped, tmp_path, "https://base.test") == "https://base.test/three.html"
    assert files.page_url(plain, tmp_path, None) == plain.resolve().as_uri()
    assert files.read_bytes(zipped) == b"<html><body>z</body></html>"


def test_relative_canonical_is_ignored() -> None:
    assert files.canonical_url(b'<head><link rel="canonical" href="/rel/"></head>') is None


def _warc(path: Path) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for i, ctype in enumerate(["text/html; charset=utf-8", "image/png"]):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(f"https://site.test/{i}", "response",
                                               payload=io.BytesIO(f"<html>{i}</html>".encode()),
                                               http_headers=headers)
            writer.write_record(record)


def test_warc_records_by_offset(tmp_path: Path) -> None:
    path = tmp_path / "c.warc.gz"
    _warc(path)
    records = list(warc.responses(path))
    assert [(r.url, r.content_type.split(";")[0]) for r in records] == [
        ("https://site.test/0", "text/html"), ("https://site.test/1", "image/png")]
    url, headers, body, status = warc.read(path, records[1].offset, 1000)
    assert (url, headers["content-type"], body, status) == ("https://site.test/1", "image/png",
                                                            b"<html>1</html>", 200)


def test_page_ref_round_trip() -> None:
    ref = PageRef("https://a.test/", "warc", "/x.warc", 12)
    assert PageRef.from_dict(ref.to_dict()) == ref
    with pytest.raises(ValueError):
        PageRef.from_dict({"url": "x", "origin": "ftp"})
