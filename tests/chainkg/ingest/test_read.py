"""Bad input to `chainkg ingest`: a clear error naming the file, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainkg.cli import main
from chainkg.errors import SeedError
from chainkg.ingest.read import MAX_BYTES, read_article

ARTICLE = "青禾智能装备有限公司投资12亿元的青禾机器人减速器产业化项目开工。\n"


def _problem(path: Path) -> str:
    with pytest.raises(SeedError) as info:
        read_article(path)
    text = str(info.value)
    assert str(path) in text
    return text


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "empty" in _problem(path)


def test_gbk_file_names_the_encoding(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes((ARTICLE * 20).encode("gbk"))
    text = _problem(path)
    assert "not UTF-8" in text
    assert "GB" in text.upper() and "iconv" in text


def test_big5_file_names_the_encoding(tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes(("青禾智能裝備有限公司投資十二億元的減速器項目開工。\n" * 20).encode("big5"))
    text = _problem(path)
    assert "not UTF-8" in text and "BIG5" in text.upper()


def test_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 8)
    assert "binary" in _problem(path)


def test_huge_file(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(ARTICLE.encode() * (MAX_BYTES // len(ARTICLE.encode()) + 10))
    assert "more than" in _problem(path)


def test_html_and_docx_give_their_text(tmp_path):
    page = tmp_path / "news.html"
    page.write_text(
        f"<html><head><script>var x=1;</script></head><body><p>{ARTICLE}</p></body></html>",
        encoding="utf-8",
    )
    article = read_article(page)
    assert article.format == "html" and ARTICLE.strip() in article.text
    assert "var x" not in article.text
    import docx

    document = docx.Document()
    document.add_paragraph("标题")
    document.add_paragraph(ARTICLE.strip())
    path = tmp_path / "news.docx"
    document.save(str(path))
    article = read_article(path)
    assert article.format == "docx" and ARTICLE.strip() in article.text


def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "gbk.txt"
    path.write_bytes((ARTICLE * 20).encode("gbk"))
    out = tmp_path / "review"
    assert main(["ingest", str(path), "--out", str(out)]) == 2
    assert "not UTF-8" in capsys.readouterr().err
    assert not out.exists()
