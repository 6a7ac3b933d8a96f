"""Each plugin's migrations are reversible: down to nothing and up again, on the real database."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model

pytestmark = pytest.mark.usefixtures("clean_db", "with_plugins")

TABLES = {
    "govdata_access": {"govdata_access_request", "govdata_access_grant", "govdata_access_log", "govdata_workday_override"},
    "govdata_stats": {"govdata_stats_package", "govdata_stats_counter", "govdata_stats_key_count", "govdata_bulletin"},
    "govdata_showcase": {"govdata_showcase_review", "govdata_scenario", "govdata_contest", "govdata_contest_score"},
    "govdata_demands": {"govdata_demand", "govdata_demand_event", "govdata_demand_support", "govdata_demand_notice"},
    "govdata_feedback": {"govdata_correction", "govdata_correction_event", "govdata_rating", "govdata_rectification",
                         "govdata_feedback_notice"},
    "govdata_quality": {"govdata_quality_rule", "govdata_quality_run", "govdata_quality_result"},
    "govdata_subjects": {"govdata_subject", "govdata_subject_challenge", "govdata_subject_flag"},
}


def _tables() -> set[str]:
    return set(sa.inspect(model.Session.get_bind()).get_table_names())


def _columns(table: str) -> set[str]:
    return {column["name"] for column in sa.inspect(model.Session.get_bind()).get_columns(table)}


@pytest.mark.parametrize("plugin", sorted(TABLES))
def test_migrations_go_down_to_nothing_and_up_again(plugin, migrate_db_for):
    model.Session.remove()

    migrate_db_for(plugin, "base", False)
    down = _tables()
    migrate_db_for(plugin, "head", True)
    up = _tables()

    assert not TABLES[plugin] & down
    assert TABLES[plugin] <= up
    assert f"{plugin}_alembic_version" in up
    assert {"source", "note"} <= _columns("govdata_access_grant")
    assert {"organization_id", "subject_key", "subject_masked"} <= _columns("govdata_access_log")
    assert "rules_document" in _columns("govdata_contest")
    assert "serves_data" in _columns("govdata_stats_package")
    assert "without_data" in _columns("govdata_stats_counter")
