"""Alembic environment of the govdata_devkeys plugin."""
from ckanext.govdata.alembic_env import run_migrations

run_migrations(__file__, ("govdata_app", "govdata_api_call"))
