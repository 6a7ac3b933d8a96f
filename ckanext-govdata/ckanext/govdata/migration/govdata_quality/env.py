"""Alembic environment of the govdata_quality plugin."""
from ckanext.govdata.alembic_env import run_migrations

run_migrations(__file__, ("govdata_quality",))
