"""`ckan zaozhuang audit ...` commands."""
import click


@click.group(name="audit", short_help="Audit commands.")
def group() -> None:
    pass
