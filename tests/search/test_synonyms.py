"""Synonyms (search/synonyms.yaml): a dataset is found by the words citizens use for it."""
import pytest

import ckan.plugins.toolkit as tk

from ckanext.zaozhuang.search import synonyms
from tests.factories import CatalogDataset


def _found(q):
    # As an anonymous citizen.
    result = tk.get_action("package_search")({"user": ""}, {"q": q})
    return sorted(d["name"] for d in result["results"])


class TestOtherWords:
    def test_the_other_words_of_each_group_the_text_holds(self):
        assert synonyms.other_words(["枣庄市医疗机构名录"]) == ["医院", "卫生院", "诊所"]

    def test_words_the_text_holds_are_not_repeated(self):
        assert "公交" not in synonyms.other_words(["公交车站点", "公交线路"])

    def test_width_and_case_are_folded(self):
        assert "空气质量" in synonyms.other_words(["ＡＱＩ日报"])

    def test_nothing_for_text_without_a_synonym(self):
        assert synonyms.other_words(["枣庄市年度气候公报", None, ""]) == []

    def test_every_group_has_two_words_or_more_and_no_word_twice(self):
        words = [w for group in synonyms.groups() for w in group]
        assert all(len(group) >= 2 for group in synonyms.groups())
        assert len(words) == len(set(words))


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestSearch:
    @pytest.mark.parametrize("title, query", [
        ("枣庄市公交线路信息", "公交车"),
        ("枣庄市医疗机构名录", "医院"),
        ("枣庄市预防接种门诊信息", "疫苗接种"),
        ("枣庄市国有建设用地供应信息", "土地供应"),
        ("枣庄市城区义务教育学校划片范围", "学区划分"),
        ("枣庄市气象灾害预警信号", "天气预警"),
    ])
    def test_a_synonym_finds_the_dataset(self, title, query):
        CatalogDataset(name="wanted", title=title)
        CatalogDataset(name="other", title="枣庄市年度气候公报")
        assert _found(query) == ["wanted"]

    def test_a_description_or_tag_counts_like_the_title(self):
        CatalogDataset(name="by-notes", title="定点机构名单", notes="基本医疗保险定点医疗机构。")
        CatalogDataset(name="by-tag", title="门诊名单", tags=[{"name": "预防接种"}])
        assert _found("医院") == ["by-notes"]
        assert _found("打疫苗") == ["by-tag"]

    def test_the_words_of_the_title_still_rank_first(self):
        CatalogDataset(name="hospitals", title="枣庄市二级以上医院名单")
        CatalogDataset(name="institutions", title="枣庄市医疗机构名录")
        result = tk.get_action("package_search")({"user": ""}, {"q": "医院"})
        assert [d["name"] for d in result["results"]] == ["hospitals", "institutions"]
