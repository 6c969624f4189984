"""A fictional council area: districts, towns, streets and addresses at real postcodes.

Place, street and building names are fictional, composed from common English elements
("Ash" + "ford"; well-known real towns are avoided). Postcodes are real ones of the council's
area (Kent, whose codes the synthetic UPNs and returns carry), from `data/postcodes.csv`
(written by scripts/council_postcodes.py from the ONS Postcode Directory), because the DfE
validators locate placements by postcode and refuse one that does not exist. A postcode is not
a person's data; no real address is made (a real postcode, a fictional street).
"""

from __future__ import annotations

import csv
import math
import random
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from pathlib import Path

from kith.demo.synthetic._util import check_size, choice, names

# Postcodes --------------------------------------------------------------------------------------

_POSTCODE = re.compile(
    r"^(?:GIR 0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r" [0-9][ABD-HJLNP-UW-Z]{2})$"
)

# Letters allowed in the last two places of a postcode (never C I K M O V).
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def is_valid_postcode_format(postcode: str) -> bool:
    """Whether `postcode` is a UK postcode in canonical form: upper case, one space.

    Checks the format rules (which letters may stand where), not that the postcode exists:
    "KX12 3AB" is valid, "kx12 3ab", "KX123AB" and "KX12 3CB" are not.
    """
    return bool(_POSTCODE.match(postcode))


@dataclass(frozen=True, slots=True)
class PostcodeDistrict:
    """A real outward code with the inward codes of its postcodes in one area."""

    outcode: str  # "CT1"
    district: str  # the lower-tier authority most of it lies in, "E07000106"
    upper_tier: str  # "E10000016"
    inwards: tuple[str, ...]  # "1AA", "1AD", … in order

    def postcodes(self) -> tuple[str, ...]:
        return tuple(f"{self.outcode} {inward}" for inward in self.inwards)


_POSTCODES_FILE = Path(__file__).parent / "data" / "postcodes.csv"


@cache
def postcode_districts() -> tuple[PostcodeDistrict, ...]:
    """Every outward code in data/postcodes.csv, the council's and other areas'."""
    lines = (line for line in _POSTCODES_FILE.read_text().splitlines() if not line.startswith("#"))
    rows = list(csv.DictReader(lines))
    return tuple(
        PostcodeDistrict(
            r["outcode"], r["district"], r["upper_tier"], tuple(r["inward_codes"].split())
        )
        for r in rows
    )


@cache
def council_upper_tier() -> str:
    """The council whose postcodes the file holds (most of its outward codes are the council's;
    Kent, E10000016, as shipped)."""
    counts = Counter(district.upper_tier for district in postcode_districts())
    return counts.most_common(1)[0][0]


def postcodes_elsewhere() -> tuple[str, ...]:
    """Real postcodes outside the council's area, for placements out of area."""
    return tuple(
        postcode
        for district in postcode_districts()
        if district.upper_tier != council_upper_tier()
        for postcode in district.postcodes()
    )


# Place names ------------------------------------------------------------------------------------

_PREFIXES = names("""Ash Alder Bar Beck Bel Birch Bram Brock Bur Cal Cold Crom Dal Dun Elm Fair
Fern Fox Glen Grey Hal Hare Hart Haw Hazel Heath Hol Holm Ing Kel Kings Kirk Lang Lark Lea Lin
Long Lox Marl Mel Mill Moor Nether Oak Ock Pen Pid Ring Ros Rush Salt Sand Shep Sil Stan Stow
Sud Thorn Tol Wal Wen Whin Whit Wick Wil Win Wyn Yar Ether Brack Cran Dray""")
_SUFFIXES = names("""ford ton ley field bury ham wick stead borough by thorpe worth minster well
bridge combe den hurst cote mere dale ridge wood""")
_COASTAL_SUFFIXES = names("mouth haven cliffe sands")
_REAL_TOWNS = frozenset(
    names("""Ashford Ashton Ashby Oakley Oakham Kingsbury Kingston Kirkby Longford Longton Milton
    Stanley Stanford Stanton Whitby Whitley Whitehaven Wilton Wickham Thornbury Thornton
    Sandhurst Hartley Heathfield Fairford Bramley Brockley Hazelwood Wimborne Salford Kirkham
    Holmwood Linton Winford Marlow Sandwich Woodford Bexley Millbrook Millwall Lancaster
    Kingsley Stowmarket Calton Dalton Malton Walton Tolworth Wellingborough Ashbury Sudbury
    Rushcliffe Ringwood Redcliffe Holmfirth Windermere Grasmere Pendleton Alderley
    Wyndham""")
)


def _place_name(rng: random.Random, used: set[str], *, coastal: bool = False) -> str:
    for _ in range(200):
        stem = choice(rng, _PREFIXES)
        if coastal and rng.random() < 0.3:
            name = f"{stem}{choice(rng, _SUFFIXES)}-on-Sea"
        else:
            suffix = choice(rng, _COASTAL_SUFFIXES if coastal else _SUFFIXES)
            name = stem + suffix
        if name not in used and name not in _REAL_TOWNS:
            used.add(name)
            return name
    raise RuntimeError("Ran out of place names.")  # pragma: no cover


# Streets ----------------------------------------------------------------------------------------

_STREET_FIRSTS = names("""Beech Oak Ash Elm Birch Willow Rowan Hawthorn Chestnut Sycamore Holly
Maple Laurel Cedar Hazel Linden Alder Poplar Station Church Mill Park School Victoria Queen's
King's Albert Manor Chapel Bridge Castle Market North South West East Green Grange Meadow Orchard
Farm Windmill Water Well Brook Clarence Nelson Wellington Princess Granville St_John's St_Mary's
Jubilee Coronation Priory Abbey Beacon Spring Fountain Kestrel Heron Lark Swallow Wren Kingfisher
Shakespeare Tennyson Wordsworth Brunel Darwin Nightingale Cavendish Gladstone Stanley Cromwell
Richmond Windsor York Lancaster Devonshire Salisbury Hampton Highfield Fairfield Woodland Hillside
Riverside Valley Lime Poplar Cherry Primrose Bluebell Foxglove Heather Clover Thistle Bramble
Cobden Peel Chaucer Milton Byron Keats Shelley Hardy Austen Forge Tannery Quarry Lock Wharf""")
_STREET_SUFFIXES = (
    ("Road", 20), ("Street", 12), ("Lane", 10), ("Avenue", 8), ("Close", 10), ("Drive", 7),
    ("Grove", 5), ("Way", 6), ("Crescent", 5), ("Gardens", 4), ("Place", 3), ("Terrace", 3),
    ("Rise", 2), ("View", 2), ("Walk", 2), ("Mews", 1), ("Row", 1), ("Hill", 2), ("Green", 1),
)  # fmt: skip
_SUFFIX_WORDS = tuple(word for word, _ in _STREET_SUFFIXES)
_SUFFIX_CUM = tuple(accumulate(weight for _, weight in _STREET_SUFFIXES))
_BLOCK_WORDS = names("Court House Lodge Heights Point Mansions")
_HOUSE_NAMES = names("""Rose_Cottage Hillside Fairview The_Willows Orchard_House Meadow_View
Ivy_Cottage The_Old_School_House Holly_Cottage Brookside Wayside Sunnyside Field_End The_Barn
The_Old_Forge Greenacres Woodlands Rosemount The_Laurels Primrose_Cottage Honeysuckle_Cottage
Keepers_Cottage Mill_House Church_Cottage Lilac_Cottage The_Croft The_Hawthorns Little_Orchard
Pear_Tree_Cottage Yew_Tree_Cottage Apple_Tree_Cottage The_Stables Westview Southview Hilltop
Valley_View Beech_House Elm_Cottage Oak_Lodge The_Coach_House Swallows_Rest Kestrel_Cottage
Brook_House Well_Cottage The_Granary The_Poplars Riverside Lane_End Corner_Cottage Fern_Cottage
Bramble_Cottage The_Nook Old_Post_Office""")
_CARE_HOME_FIRSTS = names("""Oak Beech Elm Rose Willow Meadow High Ash Cedar Holly Laurel Maple
Brook Fern Spring Park Lark Heather Primrose Orchard Sunny Green Fair Glen""")
_CARE_HOME_MIDDLES = names("field wood bank croft lea mount side dene hurst lands view")
_CARE_HOME_ENDS = names("House Lodge Court Care_Home Nursing_Home Manor Grange")

COMPASS_ORDER = ("North", "East", "South", "West", "Central", "Coastal")


@dataclass(frozen=True, slots=True)
class AddressSpec:
    uprn: str  # 12 digits, unique per address in the area
    flat: str  # "Flat 3", or ""
    building: str  # "Beech Court", "Rose Cottage", a care home, or ""
    house_number: str  # "12", or "" for a named building
    street: str
    locality: str  # a village or "" (within the post town)
    town: str  # the post town
    postcode: str

    @property
    def outcode(self) -> str:
        return self.postcode.split(" ")[0]

    @property
    def lines(self) -> tuple[str, ...]:
        first = ", ".join(part for part in (self.flat, self.building) if part)
        street = f"{self.house_number} {self.street}".strip()
        return tuple(
            line for line in (first, street, self.locality, self.town, self.postcode) if line
        )


@dataclass(frozen=True, slots=True)
class Outcode:
    code: str  # "CT2"
    town: str
    district: str
    localities: tuple[str, ...]  # villages within it


@dataclass(frozen=True, slots=True)
class District:
    """An area the council's locality teams are organised by ("North", "Coastal")."""

    name: str
    main_town: str
    towns: tuple[str, ...]
    outcodes: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.name} ({self.main_town})"


@dataclass(frozen=True, slots=True)
class _Street:
    name: str
    outcode: str
    town: str
    locality: str
    houses: int
    house_names: tuple[str, ...]  # for a lane of named houses; else empty
    block: str  # a block of flats at the end of the street, or ""
    flats: int
    postcodes: tuple[str, ...]
    per_postcode: int

    @property
    def units(self) -> int:
        return self.houses + self.flats


@dataclass(frozen=True, slots=True)
class _AreaSize:
    districts: tuple[int, ...]
    towns: tuple[int, int]
    outcodes: tuple[int, int]
    streets: tuple[int, int]
    care_homes: int


_AREA_SIZES = {
    "small": _AreaSize((2,), (1, 2), (12, 14), (40, 70), 8),
    "medium": _AreaSize((2,), (2, 3), (18, 22), (60, 100), 18),
    "county": _AreaSize((4, 5), (2, 4), (26, 30), (100, 160), 45),
}


@dataclass(frozen=True)
class CouncilArea:
    name: str  # "Hartwick"
    council_name: str  # "Hartwick County Council"
    upper_tier: str  # the ONS code of the real area whose postcodes it uses, "E10000016"
    districts: tuple[District, ...]
    outcodes: tuple[Outcode, ...]
    care_homes: tuple[AddressSpec, ...]
    streets: tuple[_Street, ...] = field(repr=False)
    street_starts: tuple[int, ...] = field(repr=False)  # the first address index of each street
    total_addresses: int
    uprn_base: int

    @property
    def towns(self) -> tuple[str, ...]:
        return tuple(town for district in self.districts for town in district.towns)

    def address(self, rng: random.Random) -> AddressSpec:
        """A random household address (every address equally likely)."""
        return self.address_at(int(rng.random() * self.total_addresses))

    def care_home(self, rng: random.Random) -> AddressSpec:
        return choice(rng, self.care_homes)

    def address_at(self, unit: int) -> AddressSpec:
        """The address with index `unit` (0 to total_addresses - 1)."""
        starts = self.street_starts
        index = bisect_right(starts, unit) - 1
        street = self.streets[index]
        k = unit - starts[index]
        flat = building = number = ""
        if k < street.houses:
            if street.house_names:
                building = street.house_names[k]
            else:
                number = str(k + 1)
        else:
            flat, building = f"Flat {k - street.houses + 1}", street.block
        return AddressSpec(
            uprn=f"{self.uprn_base + unit:012d}",
            flat=flat,
            building=building,
            house_number=number,
            street=street.name,
            locality=street.locality,
            town=street.town,
            postcode=street.postcodes[k // street.per_postcode],
        )


class _PostcodeAllocator:
    """Postcodes for the streets of one postcode district: the real ones in order from a
    random start, so neighbouring streets share a sector; after the last, round again (two
    streets then share a postcode, as short streets do)."""

    def __init__(self, rng: random.Random, district: PostcodeDistrict) -> None:
        self.postcodes = district.postcodes()
        self.next = rng.randrange(len(self.postcodes))

    def allocate(self) -> str:
        postcode = self.postcodes[self.next % len(self.postcodes)]
        self.next += 1
        return postcode


def _street_suffix(rng: random.Random) -> str:
    roll = rng.random() * _SUFFIX_CUM[-1]
    return _SUFFIX_WORDS[min(bisect_right(_SUFFIX_CUM, roll), len(_SUFFIX_WORDS) - 1)]


def _streets_for(
    rng: random.Random,
    outcode: Outcode,
    real: PostcodeDistrict,
    count: int,
    taken: set[str],
    first_in_town: bool,
) -> list[_Street]:
    allocator = _PostcodeAllocator(rng, real)
    streets = []
    wanted = ["High Street", "Market Place", "Station Road"] if first_in_town else []
    for _ in range(count):
        if wanted:
            name = wanted.pop(0)
        else:
            for _ in range(50):
                first = choice(rng, _STREET_FIRSTS)
                name = f"{first} {_street_suffix(rng)}"
                if name not in taken:
                    break
        if name in taken:
            continue
        taken.add(name)
        locality = ""
        if outcode.localities and rng.random() < 0.75:
            locality = choice(rng, outcode.localities)
        house_names: tuple[str, ...] = ()
        block, flats = "", 0
        if locality and rng.random() < 0.3:
            house_names = tuple(rng.sample(_HOUSE_NAMES, rng.randint(3, 14)))
            houses = len(house_names)
        else:
            houses = 4 + int(rng.random() ** 2 * 110)
            if not locality and rng.random() < 0.2:
                block = f"{choice(rng, _STREET_FIRSTS)} {choice(rng, _BLOCK_WORDS)}"
                flats = rng.randint(6, 40)
        units = houses + flats
        n_postcodes = max(1, math.ceil(units / rng.randint(10, 25)))
        postcodes = tuple(allocator.allocate() for _ in range(n_postcodes))
        streets.append(
            _Street(
                name=name,
                outcode=outcode.code,
                town=outcode.town,
                locality=locality,
                houses=houses,
                house_names=house_names,
                block=block,
                flats=flats,
                postcodes=postcodes,
                per_postcode=math.ceil(units / n_postcodes),
            )
        )
    return streets


def _district_names(rng: random.Random, count: int, coastal: bool) -> list[str]:
    if count == 2:
        chosen = list(choice(rng, (("North", "South"), ("East", "West"), ("North", "Central"))))
    else:
        chosen = ["North", "East", "South", "West", "Central"][:count]
    if coastal:
        replaceable = [n for n in chosen if n != "Central"]
        chosen[chosen.index(choice(rng, replaceable))] = "Coastal"
    return sorted(chosen, key=COMPASS_ORDER.index)


def council_area(size: str, rng: random.Random) -> CouncilArea:
    """A fictional council area for a size of council, the same for the same generator state."""
    spec = _AREA_SIZES[check_size(size)]
    used_names: set[str] = set()
    name = _place_name(rng, used_names)
    council_name = f"{name} County Council" if size == "county" else f"{name} Council"
    coastal = rng.random() < 0.6
    district_names = _district_names(rng, choice(rng, spec.districts), coastal)

    # Towns by district; the first town of the first district takes the area's name.
    towns_by_district: list[list[str]] = []
    for i, district in enumerate(district_names):
        count = rng.randint(*spec.towns)
        is_coast = district == "Coastal"
        towns = [name] if i == 0 else []
        while len(towns) < count:
            on_coast = is_coast and (not towns or rng.random() < 0.5)
            towns.append(_place_name(rng, used_names, coastal=on_coast))
        towns_by_district.append(towns)

    # Postcode districts: one for each town, the rest mostly to the main towns.
    all_towns = [(d, t) for d, towns in enumerate(towns_by_district) for t in towns]
    per_town = [1] * len(all_towns)
    weights = [4 if towns_by_district[d][0] == t else 1 for d, t in all_towns]
    for _ in range(rng.randint(*spec.outcodes) - len(all_towns)):
        per_town[rng.choices(range(len(all_towns)), weights)[0]] += 1

    # Real postcode districts: the council's lower-tier authorities dealt out to the fictional
    # districts, so that each fictional district's postcodes lie together.
    real = [p for p in postcode_districts() if p.upper_tier == council_upper_tier()]
    authorities = sorted({p.district for p in real})
    rng.shuffle(authorities)
    pools: list[list[PostcodeDistrict]] = [[] for _ in district_names]
    for i, authority in enumerate(authorities):
        pools[i % len(district_names)] += [p for p in real if p.district == authority]

    def real_district(d: int) -> PostcodeDistrict:
        pool = pools[d] or max(pools, key=len)
        return pool.pop(rng.randrange(len(pool)))

    outcodes: list[Outcode] = []
    streets: list[_Street] = []
    districts: list[District] = []
    for d, district in enumerate(district_names):
        codes: list[str] = []
        for t, town in enumerate(towns_by_district[d]):
            taken: set[str] = set()
            count = per_town[all_towns.index((d, town))]
            for j in range(count):
                villages: tuple[str, ...] = ()
                if j > 0 or t > 0:
                    villages = tuple(_place_name(rng, used_names) for _ in range(rng.randint(0, 3)))
                postcodes = real_district(d)
                outcode = Outcode(postcodes.outcode, town, district, villages)
                outcodes.append(outcode)
                codes.append(outcode.code)
                streets += _streets_for(
                    rng, outcode, postcodes, rng.randint(*spec.streets), taken, j == 0
                )
        districts.append(
            District(district, towns_by_district[d][0], tuple(towns_by_district[d]), tuple(codes))
        )

    uprn_base = 900_000_000_000 + rng.randrange(1, 90) * 1_000_000_000
    starts = tuple(accumulate((street.units for street in streets[:-1]), initial=0))
    total = sum(street.units for street in streets)
    care_homes = []
    homes: list[str] = []
    while len(homes) < spec.care_homes:
        home = (
            f"{choice(rng, _CARE_HOME_FIRSTS)}{choice(rng, _CARE_HOME_MIDDLES)}"
            f" {choice(rng, _CARE_HOME_ENDS)}"
        )
        if home not in homes:
            homes.append(home)
    for i, home in enumerate(homes):
        street = choice(rng, [s for s in streets if not s.house_names])
        care_homes.append(
            AddressSpec(
                uprn=f"{uprn_base + total + i:012d}",
                flat="",
                building=home,
                house_number="",
                street=street.name,
                locality=street.locality,
                town=street.town,
                postcode=street.postcodes[0],
            )
        )
    return CouncilArea(
        name=name,
        council_name=council_name,
        upper_tier=council_upper_tier(),
        districts=tuple(districts),
        outcodes=tuple(outcodes),
        care_homes=tuple(care_homes),
        streets=tuple(streets),
        street_starts=starts,
        total_addresses=total,
        uprn_base=uprn_base,
    )
