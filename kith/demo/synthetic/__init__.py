"""Synthetic data for a fictional English council, for `kith seed`: pure Python, no database.

Deterministic: every function takes a `random.Random` (or a seed) and never touches the global
random state, so the same seed and size give the same output on every run and machine.
Use `rng_for(seed, purpose)` to get an independent generator for each purpose.

    council = synthetic_council("small", seed=1)
    for spec in people(500, rng_for(1, "people"), today, area=council.area): ...

    context = FamilyContext.for_area(council.area, seed=1)  # its GPs, schools, identifiers
    family = child_family(rng_for(1, "families"), today, context)  # members, ties, homes

Everything is invented: names are random combinations of common names, places and postcodes
are made up (in a postcode area no real postcode uses), emails use a reserved .example domain.
"""

from kith.demo.synthetic._util import SIZES, age_on, ascii_fold
from kith.demo.synthetic._util import derive_rng as rng_for
from kith.demo.synthetic.council import SyntheticCouncil, synthetic_council
from kith.demo.synthetic.duplicates import DUPLICATE_KINDS, NearDuplicateSpec, near_duplicate
from kith.demo.synthetic.ethnicity import ETHNICITY_CODES, POPULATION_WEIGHTS
from kith.demo.synthetic.families import (
    FamilyContext,
    FamilySpec,
    HomeSpec,
    Member,
    Tie,
    adult_family,
    child_family,
)
from kith.demo.synthetic.households import (
    BIRTH_PARENTS,
    GRANDPARENTS,
    STEP_PARENTS,
    HouseholdMember,
    HouseholdSpec,
    family,
    households,
)
from kith.demo.synthetic.local_services import LocalServices, local_services
from kith.demo.synthetic.numbers import IdentifierIssuer
from kith.demo.synthetic.organisation import (
    ROLES,
    SERVICE_AREAS,
    DirectorateSpec,
    ServiceSpec,
    TeamSpec,
    all_teams,
    organisation_blueprint,
)
from kith.demo.synthetic.people import (
    GENDER_IDENTITIES,
    KNOWN_AS,
    PREVIOUS_FAMILY_NAME,
    SERVICES,
    OtherName,
    PersonSpec,
    default_area,
    people,
    person,
)
from kith.demo.synthetic.places import (
    AddressSpec,
    CouncilArea,
    District,
    Outcode,
    council_area,
    is_valid_postcode_format,
)
from kith.demo.synthetic.workers import EMAIL_DOMAIN, WorkerSpec, worker, workers_for

__all__ = [
    "BIRTH_PARENTS",
    "DUPLICATE_KINDS",
    "EMAIL_DOMAIN",
    "ETHNICITY_CODES",
    "GENDER_IDENTITIES",
    "GRANDPARENTS",
    "KNOWN_AS",
    "POPULATION_WEIGHTS",
    "PREVIOUS_FAMILY_NAME",
    "ROLES",
    "SERVICES",
    "SERVICE_AREAS",
    "SIZES",
    "STEP_PARENTS",
    "AddressSpec",
    "CouncilArea",
    "DirectorateSpec",
    "District",
    "FamilyContext",
    "FamilySpec",
    "HomeSpec",
    "HouseholdMember",
    "HouseholdSpec",
    "IdentifierIssuer",
    "LocalServices",
    "Member",
    "NearDuplicateSpec",
    "OtherName",
    "Outcode",
    "PersonSpec",
    "ServiceSpec",
    "SyntheticCouncil",
    "TeamSpec",
    "Tie",
    "WorkerSpec",
    "adult_family",
    "age_on",
    "all_teams",
    "ascii_fold",
    "child_family",
    "council_area",
    "default_area",
    "family",
    "households",
    "is_valid_postcode_format",
    "local_services",
    "near_duplicate",
    "organisation_blueprint",
    "people",
    "person",
    "rng_for",
    "synthetic_council",
    "worker",
    "workers_for",
]
