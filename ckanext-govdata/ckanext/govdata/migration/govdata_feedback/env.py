"""Alembic environment of the govdata_feedback plugin."""
from ckanext.govdata.alembic_env import run_migrations

run_migrations(__file__, ("govdata_correction", "govdata_rating", "govdata_rectification", "govdata_feedback_"))
