"""The names uploaded files keep, and how a download offers them."""
import pytest

from ckan.lib import munge

from ckanext.zaozhuang.uploads import names


@pytest.mark.parametrize("given,kept", [
    ("公交线路.csv", "公交线路.csv"),
    ("2024年 公交线路（市中区）.xlsx", "2024年-公交线路（市中区）.xlsx"),
    ("C:\\Users\\wang\\桌面\\公交线路.csv", "公交线路.csv"),
    ("../../etc/公交线路.csv", "公交线路.csv"),
    ("公交\x00线路\u202e.csv", "公交线路.csv"),
    ("公交\u200b线路.csv", "公交线路.csv"),
    ('a<b>c:"d"|e?f*g#h%i&j.csv', "abcdefghij.csv"),
    (".hidden.csv", "hidden.csv"),
    ("<>.csv", "file.csv"),
    ("线路", "线路"),
    ("ファイル.json", "ファイル.json"),
    ("data.csv", "data.csv"),
])
def test_a_safe_name_in_any_script(given, kept):
    assert names.safe_filename(given) == kept


def test_long_names_are_cut_keeping_the_extension():
    kept = names.safe_filename("线" * 300 + ".geojson")
    assert kept.endswith(".geojson")
    assert len(kept) == munge.MAX_FILENAME_TOTAL_LENGTH


def test_a_shown_url_gives_back_the_stored_name():
    url = names.shown_url("http://portal/dataset/d/resource/r/download/.csv", "公交线路.csv")
    assert url.endswith("/download/%E5%85%AC%E4%BA%A4%E7%BA%BF%E8%B7%AF.csv")
    assert names.stored_name(url) == "公交线路.csv"
    assert names.stored_name("http://portal/x/download/bus-routes.csv") == "bus-routes.csv"
    assert names.stored_name("http://portal/x/download/%2E%2E%2Fetc%2F%E7%BA%BF.csv") == "线.csv"


def test_content_disposition_offers_the_name_and_an_ascii_fallback():
    assert names.content_disposition("公交线路.csv") == {
        "filename": "download.csv",
        "filename*": "UTF-8''%E5%85%AC%E4%BA%A4%E7%BA%BF%E8%B7%AF.csv"}
    assert names.content_disposition("2024年线路.csv")["filename"] == "2024.csv"
    assert names.content_disposition("bus.csv") == {"filename": "bus.csv"}
