"""Alembic environment of the govdata_subjects plugin."""
from ckanext.govdata.alembic_env import run_migrations

run_migrations(__file__, ("govdata_subject",))
