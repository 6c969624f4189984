"""`kith seed --size small|medium|county --seed N`: load the synthetic council."""

import datetime as dt
import sys
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from kith.demo.front_door_bulk import FrontDoorRefused, front_door_add, front_door_line
from kith.demo.models import SeedRun
from kith.demo.recording_seed import recording_line
from kith.demo.seed import SeedRefused, council_seed
from kith.demo.work_seed import WorkSeedRefused, WorkSeedSummary, work_seed, work_seed_recorded


class Command(BaseCommand):
    help = "Load a synthetic council (organisation, staff, demo logins and people)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=["small", "medium", "county"], default="small")
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed gives the same council."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if this database already holds a synthetic council.",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="The date the council is made as at (YYYY-MM-DD); default today.",
        )
        parser.add_argument(
            "--work-only",
            action="store_true",
            help="Only add the work items to a council already seeded without them (its size "
            "and seed are those it was made with). Refuses if there are work items already.",
        )
        parser.add_argument(
            "--front-door-only",
            action="store_true",
            help="Only top a county seeded without it up to the county's demand at the front "
            "door (closed contacts and referrals, in bulk). Refuses if it has that already.",
        )

    def handle(
        self,
        *args: Any,
        size: str,
        seed: int,
        if_empty: bool,
        today: dt.date | None,
        work_only: bool = False,
        front_door_only: bool = False,
        **options: Any,
    ) -> None:
        if if_empty and SeedRun.objects.exists():
            run = SeedRun.objects.first()
            self.stdout.write(f"A synthetic council is already loaded ({run}); nothing to do.")
            return
        interactive = sys.stdout.isatty()
        printed: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            line = f"{stage.capitalize()}: {done:,} of {total:,} ({done * 100 // max(total, 1)}%)"
            if interactive:
                self.stdout.write(f"\r{line}", ending="\n" if done >= total else "")
                return
            tenth = done * 10 // max(total, 1)
            if printed.get(stage, -1) < tenth:
                printed[stage] = tenth
                self.stdout.write(line)

        if work_only:
            self._work_only(today, progress)
            return
        if front_door_only:
            self._front_door_only(today, progress)
            return
        try:
            summary = council_seed(size=size, seed=seed, today=today, progress=progress)
        except (SeedRefused, WorkSeedRefused) as exc:
            raise CommandError(str(exc)) from exc
        per_second = summary.people / summary.people_seconds if summary.people_seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic {size} council (seed {seed}) made in {summary.seconds}s: "
                f"{summary.directorates} directorates, {summary.services} services, "
                f"{summary.teams} teams, {summary.staff:,} staff, {summary.people:,} people, "
                f"{summary.open_cases:,} open cases ({summary.allocated:,} allocated)."
            )
        )
        self.stdout.write(
            f"Client index: {summary.people:,} people in {summary.people_seconds}s "
            f"({per_second:,.0f} a second): {summary.not_open:,} on no open caseload "
            f"(relatives, {summary.closed_cases:,} closed cases with the team that worked "
            f"with them; {summary.bulk_people:,} written in bulk), "
            f"{summary.households:,} "
            f"households, {summary.relationships:,} relationship rows (each with its inverse), "
            f"{len(summary.twins):,} pairs of twins, {len(summary.near_duplicates):,} "
            "deliberate near-duplicates for the duplicate report."
        )
        self.stdout.write(self._children_line(summary.children))
        if summary.front_door:
            self.stdout.write(front_door_line(summary.front_door))
        self.stdout.write(self._work_line(summary.work_items, summary.work_seconds, summary))
        self.stdout.write(recording_line(summary.recording))
        self._refresh_statistics()

    def _children_line(self, children: dict[str, Any]) -> str:
        n = children.get("counts", {})
        line = (
            f"Children's social care: {children.get('children', 0):,} children and young people "
            f"with histories in {children.get('seconds', 0)}s "
            f"({children.get('open_journeys', 0):,} on caseloads, "
            f"{children.get('closed_histories', 0):,} closed, "
            f"{children.get('care_leavers_opened', 0):,} care leavers opened): "
            f"{n.get('contacts', 0):,} contacts, {n.get('referrals', 0):,} referrals "
            f"({n.get('referrals_last_year', 0):,} in the last 12 months), "
            f"{n.get('assessments', 0):,} assessments, {n.get('section47s', 0):,} section 47 "
            f"enquiries, {n.get('cp_plans', 0):,} CP plans, {n.get('cin_plans', 0):,} CIN plans, "
            f"{n.get('care_periods', 0):,} periods of care ({n.get('care_episodes', 0):,} "
            f"episodes, {n.get('placements', 0):,} placements), {n.get('adoptions', 0):,} "
            f"adoption records, {n.get('care_leavers', 0):,} care leavers, "
            f"{n.get('visits', 0):,} visits. Open today: {n.get('cla_now', 0):,} looked after, "
            f"{n.get('cp_now', 0):,} on CP plans, {n.get('cin_now', 0):,} children in need "
            "(open episodes, CP and looked after included)."
        )
        if children.get("refused"):
            line += f" {children['refused']} histories refused by the services."
        return line

    def _refresh_statistics(self) -> None:
        """After a bulk load the planner's statistics are stale until autovacuum comes round:
        refresh them now, or the first pages plan as if the tables were empty."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize")

    def _work_line(self, items: int, seconds: float, figures: Any) -> str:
        prefix = "" if isinstance(figures, WorkSeedSummary) else "work_"
        value = {
            name: getattr(figures, prefix + name)
            for name in ("open", "overdue", "unallocated", "awaiting_authorisation", "completed")
        }
        return (
            f"Work: {items:,} work items in {seconds}s: {value['open']:,} open "
            f"({value['overdue']:,} overdue, {value['unallocated']:,} unallocated, "
            f"{value['awaiting_authorisation']:,} awaiting authorisation), "
            f"{value['completed']:,} completed."
        )

    def _work_only(self, today: dt.date | None, progress: Any) -> None:
        run = SeedRun.objects.first()
        if run is None:
            raise CommandError("No synthetic council here: seed one first (`kith seed`).")
        if run.finished_at is None:
            raise CommandError(
                f"The {run} has not finished (still running, or stopped part way): add its "
                "work once it has."
            )
        try:
            work = work_seed(size=run.size, seed=run.seed, today=today, progress=progress)
        except WorkSeedRefused as exc:
            raise CommandError(str(exc)) from exc
        work_seed_recorded(work)
        how = "in bulk" if work.bulk else "through the services"
        self.stdout.write(
            self.style.SUCCESS(f"Work added to the {run} ({work.cases:,} open cases, {how}).")
        )
        self.stdout.write(self._work_line(work.items, work.seconds, work))
        self._refresh_statistics()

    def _front_door_only(self, today: dt.date | None, progress: Any) -> None:
        try:
            summary = front_door_add(today=today, progress=progress)
        except FrontDoorRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(front_door_line(asdict(summary))))
        self._refresh_statistics()
