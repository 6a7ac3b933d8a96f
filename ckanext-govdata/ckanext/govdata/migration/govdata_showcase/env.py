"""Alembic environment of the govdata_showcase plugin."""
from ckanext.govdata.alembic_env import run_migrations

run_migrations(__file__, ("govdata_showcase", "govdata_scenario", "govdata_contest"))
