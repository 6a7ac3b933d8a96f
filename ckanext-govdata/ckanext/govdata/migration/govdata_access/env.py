"""Alembic environment of the govdata_access plugin."""
from ckanext.govdata.alembic_env import run_migrations

run_migrations(__file__, ("govdata_access_", "govdata_workday_"))
