"""One call for a whole synthetic council: its area, organisation and staff."""

from __future__ import annotations

from dataclasses import dataclass

from kith.demo.synthetic._util import check_size, derive_rng
from kith.demo.synthetic.organisation import DirectorateSpec, TeamSpec, organisation_blueprint
from kith.demo.synthetic.places import CouncilArea, council_area
from kith.demo.synthetic.workers import WorkerSpec, workers_for


@dataclass(frozen=True)
class SyntheticCouncil:
    size: str
    seed: int
    area: CouncilArea
    directorates: tuple[DirectorateSpec, ...]
    workers: tuple[WorkerSpec, ...]

    @property
    def teams(self) -> tuple[TeamSpec, ...]:
        return tuple(team for directorate in self.directorates for team in directorate.teams)


def synthetic_council(
    size: str, seed: int, *, reserved_usernames: set[str] | frozenset[str] = frozenset()
) -> SyntheticCouncil:
    """The area, directorates and staff of a council, the same for the same size and seed.

    Each part draws from its own generator, so adding people later never changes the staff.
    """
    check_size(size)
    area = council_area(size, derive_rng(seed, f"{size}:area"))
    directorates = organisation_blueprint(size, derive_rng(seed, f"{size}:organisation"), area)
    workers = workers_for(
        directorates,
        derive_rng(seed, f"{size}:workers"),
        reserved_usernames=reserved_usernames,
    )
    return SyntheticCouncil(size, seed, area, tuple(directorates), tuple(workers))
