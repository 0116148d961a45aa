"""Working days across weekends, the shipped holiday file and an operator's own file, and
the deadlines an application gets from them."""
import datetime

import pytest
from freezegun import freeze_time

from ckan.logic import ValidationError

from ckanext.zaozhuang.applications import calendar

D = datetime.date


@pytest.fixture
def shipped():
    return calendar.load(calendar.SHIPPED_HOLIDAY_FILE)


class TestShippedFile:
    def test_weekend_is_skipped(self, shipped):
        # Friday 2026-03-06 + 1 working day = Monday 2026-03-09.
        assert shipped.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)
        assert shipped.add_working_days(D(2026, 3, 6), 5) == D(2026, 3, 13)

    def test_national_day_week_and_its_adjusted_saturday(self, shipped):
        # 10-01..07 off; Saturday 10-10 is worked (调休).
        assert not shipped.is_working_day(D(2026, 10, 5))
        assert shipped.is_working_day(D(2026, 10, 10))
        assert shipped.add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)

    def test_spring_festival_with_its_adjusted_weekend_days(self, shipped):
        assert shipped.is_working_day(D(2026, 2, 14))  # Saturday, worked
        assert not shipped.is_working_day(D(2026, 2, 16))  # Monday, holiday
        assert shipped.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
        assert shipped.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)

    def test_2027_statutory_days(self, shipped):
        assert not shipped.is_working_day(D(2027, 2, 8))  # Monday in 春节
        assert not shipped.is_working_day(D(2027, 10, 1))

    def test_working_days_between(self, shipped):
        assert shipped.working_days_between(D(2026, 3, 6), D(2026, 3, 9)) == 1
        assert shipped.working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2
        assert shipped.working_days_between(D(2026, 3, 9), D(2026, 3, 9)) == 0


class TestOperatorFile:
    def test_ranges_single_days_and_workdays(self, tmp_path):
        path = tmp_path / "holidays.yaml"
        path.write_text(
            "years: [2031]\n"
            "holidays:\n"
            "  - {name: 测试假期, from: 2031-03-03, to: 2031-03-05}\n"
            "  - {name: 单日, date: 2031-03-07}\n"
            "workdays:\n"
            "  - {name: 调休, date: 2031-03-08}\n", encoding="utf-8")
        work = calendar.load(str(path))
        # Mon 3-3 .. Wed 3-5 off, Thu 3-6 on, Fri 3-7 off, Sat 3-8 on, Mon 3-10 on.
        assert work.add_working_days(D(2031, 3, 2), 1) == D(2031, 3, 6)
        assert work.add_working_days(D(2031, 3, 2), 2) == D(2031, 3, 8)
        assert work.add_working_days(D(2031, 3, 2), 3) == D(2031, 3, 10)

    def test_a_bad_entry_is_reported_with_the_file(self, tmp_path):
        path = tmp_path / "bad.yaml"
        path.write_text("holidays:\n  - {name: 无日期}\n", encoding="utf-8")
        with pytest.raises(ValueError, match="bad.yaml"):
            calendar.load(str(path))


class TestSources:
    def test_the_package_supplies_the_official_years(self, shipped):
        # 2025 is not in the file: the package's schedule counts (National Day 10-01..08,
        # Saturday 10-11 worked).
        assert not shipped.is_working_day(D(2025, 10, 8))
        assert shipped.is_working_day(D(2025, 10, 11))
        assert 2026 in calendar.package_years()

    def test_the_file_overrides_single_days(self, tmp_path):
        path = tmp_path / "holidays.yaml"
        path.write_text("holidays:\n  - {name: 本地假日, date: 2025-03-04}\n"
                        "workdays:\n  - {name: 本地补班, date: 2025-10-08}\n",
                        encoding="utf-8")
        work = calendar.load(str(path))
        assert not work.is_working_day(D(2025, 3, 4))
        assert work.is_working_day(D(2025, 10, 8))

    def test_a_year_no_source_covers_is_refused(self, shipped, tmp_path):
        with pytest.raises(calendar.UncoveredYear) as error:
            shipped.add_working_days(D(2027, 12, 20), 15)
        assert error.value.year == 2028
        with pytest.raises(calendar.UncoveredYear):
            shipped.working_days_between(D(2028, 1, 3), D(2028, 1, 10))
        path = tmp_path / "bad.yaml"
        path.write_text("years: 2031\n", encoding="utf-8")
        with pytest.raises(ValueError, match="years"):
            calendar.load(str(path))


class TestApplicationDeadlines:
    def test_a_deadline_in_an_uncovered_year_is_refused_by_name(self, world):
        with freeze_time("2027-12-27 02:00:00"):
            draft = world.apply()
            with pytest.raises(ValidationError) as error:
                world.act("applicant", "application_submit", id=draft["id"])
        assert "form_check_due" in error.value.error_dict
        assert "2028" in error.value.error_dict["form_check_due"][0]
        assert world.act("applicant", "application_show", id=draft["id"])["state"] == "draft"

    @pytest.mark.ckan_config("ckanext.zaozhuang.applications.decision_working_days", 10)
    def test_deadlines_counted_over_the_national_day_holiday(self, world):
        # Submitted on Wednesday 2026-09-30 (Beijing time).
        with freeze_time("2026-09-30 02:00:00"):
            app = world.apply()
            app = world.act("applicant", "application_submit", id=app["id"])
        assert app["form_check_due"] == "2026-10-13"
        assert app["decision_due"] == "2026-10-27"

    def test_overdue_applications_stand_out_in_the_queue(self, world):
        with freeze_time("2026-09-30 02:00:00"):
            late = world.act("applicant", "application_submit", id=world.apply()["id"])
        with freeze_time("2026-10-14 02:00:00"):
            fresh = world.act("applicant", "application_submit", id=world.apply()["id"])
            queue = world.act("provider_editor", "application_list", scope="review",
                              filter="overdue")
            assert [a["id"] for a in queue["results"]] == [late["id"]]
            assert queue["results"][0]["overdue"] == "form_check"
            everything = world.act("authority", "application_list", scope="review")
            flags = {a["id"]: a["overdue"] for a in everything["results"]}
            assert flags == {late["id"]: "form_check", fresh["id"]: None}
        with freeze_time("2026-10-28 02:00:00"):
            queue = world.act("authority", "application_list", scope="review",
                              filter="overdue")
            # The fresh one's form check was due on 10-21.
            assert {a["id"]: a["overdue"] for a in queue["results"]} == {
                late["id"]: "decision", fresh["id"]: "form_check"}

    @pytest.mark.ckan_config("ckanext.zaozhuang.applications.form_check_working_days", 2)
    @pytest.mark.ckan_config("ckanext.zaozhuang.applications.decision_working_days", 3)
    def test_deadlines_follow_the_configuration_and_the_holiday_file(self, world, tmp_path,
                                                                      ckan_config,
                                                                      monkeypatch):
        path = tmp_path / "holidays.yaml"
        path.write_text("years: [2031]\nholidays:\n  - {name: 假日, date: 2031-03-04}\n",
                        encoding="utf-8")
        monkeypatch.setitem(ckan_config, "ckanext.zaozhuang.applications.holiday_file",
                            str(path))
        with freeze_time("2031-03-03 02:00:00"):  # Monday
            app = world.act("applicant", "application_submit", id=world.apply()["id"])
        assert app["form_check_due"] == "2031-03-06"  # Tue off: Wed, Thu
        assert app["decision_due"] == "2031-03-11"  # Fri, Mon, Tue
