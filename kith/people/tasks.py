"""Background work of the client index, run by the task worker (`kith db_worker`)."""

from django_tasks import task

from kith.people.services_duplicates import duplicate_scan_task_body


@task()
def duplicate_scan_task(scan_id: str) -> str:
    """Run a duplicate scan that data quality staff asked for (``duplicate_scan_start``)."""
    return duplicate_scan_task_body(scan_id)
