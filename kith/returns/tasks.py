"""Background work of the returns app (django-tasks, on the database in production)."""

from django_tasks import task

from kith.returns import services_runs


@task()
def build_return(run_id: str) -> None:
    """Build the return a ``ReturnRun`` asks for, keeping its progress, files and result."""
    services_runs.return_run_execute(run_id=run_id)
