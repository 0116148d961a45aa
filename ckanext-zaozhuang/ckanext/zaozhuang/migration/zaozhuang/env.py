"""Alembic environment of the zaozhuang plugin: its tables carry the `zaozhuang_` prefix and
its version lives in `zaozhuang_alembic_version`, apart from core's."""
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

from ckan.model.meta import metadata

PREFIX = "zaozhuang"
config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name)


def _own_tables(obj, name, type_, reflected, compare_to):
    return type_ != "table" or name.startswith(PREFIX)


def _configure(**kwargs):
    context.configure(target_metadata=metadata, include_object=_own_tables,
                      version_table=f"{PREFIX}_alembic_version", **kwargs)


if context.is_offline_mode():
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
