"""Hand-built looked-after children for the SSDA903 golden files, made through the children's
services (never around them). Collection year 2026 = 1 April 2025 – 31 March 2026; last year's
(2025) return is built from the same records.

Each child is one edge case; their LA numbers follow the order they are made in.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kith.access.services import restriction_group_create, restriction_set
from kith.accounts import services as accounts
from kith.children import services_cla as cla
from kith.children.models import HealthCheck
from kith.people import services as people
from kith.people.identifiers import upn_check_letter
from kith.people.models import Person, PersonIdentifier, RelationshipType
from kith.work.services import allocation_end, allocation_start
from tests import factories

D = dt.date
HOME = "ME15 6AA"  # Maidstone, Kent (E10000016)
NEAR = "ME14 1XQ"
CANTERBURY = "CT1 2EH"
ASHFORD = "TN23 1PL"


def upn(serial: int) -> str:
    body = f"88620151{serial:04d}"
    return upn_check_letter(body) + body


def foster(place: str = "U4", **kw: str) -> cla.PlacementDetails:
    values: dict[str, Any] = {
        "place": place,
        "place_provider": "PR1",
        "carer": "Mr and Mrs Lee",
        "urn": "SC123456",
        "pl_post": NEAR,
        "home_post": HOME,
    }
    values.update(kw)
    return cla.PlacementDetails(**values)


def child(given: str, born: dt.date, sex: str, ethnicity: str = "WBRI", upn_serial: int = 0):
    person = factories.person(given, "Return", date_of_birth=born, sex=sex, ethnicity=ethnicity)
    if upn_serial:
        people.identifier_add(
            actor=None, person=person, kind=PersonIdentifier.Kind.UPN, value=upn(upn_serial)
        )
    return person


def sw(person: Person, sw_id: str, start: dt.date, end: dt.date | None = None, reason: str = ""):
    cla.sw_episode_add(
        actor=None, person=person, sw_id=sw_id, start_date=start, end_date=end, reason=reason
    )


@dataclass
class Cases:
    crossing: Person
    same_day: Person
    uasc: Person
    adopted: Person
    care_leaver: Person
    missing: Person
    short_breaks: Person
    mother: Person
    baby: Person
    new_no_upn: Person
    derived_sw: Person
    not_yet: Person


def make_cases() -> Cases:
    # 1. Looked after since last year, moved in the year (P, CARPL) and again after 31 March:
    # the episode open on 31 March is shown open. Continuously looked after: OC2.
    crossing = child("Ava", D(2012, 5, 14), "F", upn_serial=1)
    cla.care_start(
        actor=None,
        person=crossing,
        start_date=D(2024, 5, 10),
        ls="C2",
        cin="N1",
        placement=foster(),
    )
    cla.placement_change(
        actor=None,
        person=crossing,
        on=D(2025, 9, 1),
        placement=foster("U6", carer="Ms Khan", urn="SC654321", pl_post=CANTERBURY),
        same_carer=False,
        reason_place_change="CARPL",
    )
    cla.placement_change(
        actor=None,
        person=crossing,
        on=D(2026, 4, 15),
        placement=foster("U4", carer="Mr Gray", urn="SC222222"),
        same_carer=False,
        reason_place_change="CHILD",
    )
    for day, code in (
        (D(2024, 6, 5), "PN1"),
        (D(2024, 9, 4), "PN1"),
        (D(2025, 3, 3), "PN2"),
        (D(2025, 9, 2), "PN1"),
    ):
        cla.review_record(actor=None, person=crossing, review_date=day, participation=code)
    cla.health_check_add(
        actor=None,
        person=crossing,
        kind=HealthCheck.Kind.HEALTH_ASSESSMENT,
        check_date=D(2025, 7, 1),
    )
    cla.health_check_add(
        actor=None, person=crossing, kind=HealthCheck.Kind.DENTAL_CHECK, check_date=D(2025, 8, 12)
    )
    cla.health_check_add(
        actor=None,
        person=crossing,
        kind=HealthCheck.Kind.IMMUNISATIONS,
        check_date=D(2025, 7, 1),
        up_to_date=True,
    )
    cla.sdq_add(actor=None, person=crossing, sdq_date=D(2025, 6, 20), score=14)
    cla.wellbeing_add(
        actor=None,
        person=crossing,
        recorded_on=D(2025, 6, 20),
        substance_misuse=False,
        convicted=False,
    )
    cla.missing_record(
        actor=None,
        person=crossing,
        kind="M",
        start_date=D(2025, 3, 28),
        end_date=D(2025, 4, 2),
        rhi_offered=True,
        rhi_accepted=True,
    )
    cla.previous_permanence_record(actor=None, person=crossing, prev_perm="Z1")
    sw(crossing, "SW100001", D(2024, 5, 10))

    # 2. Starts in the year; legal status changes (L), then placement and legal status change
    # the same day with the same carer (U): each earlier episode closes X1 that day.
    same_day = child("Ben", D(2013, 2, 3), "M", "MWBC", upn_serial=2)
    cla.care_start(
        actor=None,
        person=same_day,
        start_date=D(2025, 5, 1),
        ls="V2",
        cin="N4",
        placement=foster("U6", pl_post=ASHFORD),
    )
    cla.legal_status_change(actor=None, person=same_day, on=D(2025, 6, 16), ls="C1")
    cla.placement_change(
        actor=None,
        person=same_day,
        on=D(2025, 8, 1),
        placement=foster("U4", pl_post=ASHFORD),
        same_carer=True,
        reason_place_change="CARPL",
        ls="C2",
    )
    cla.previous_permanence_record(
        actor=None, person=same_day, prev_perm="P2", la_perm="886", date_perm=D(2019, 4, 2)
    )
    cla.review_record(actor=None, person=same_day, review_date=D(2025, 5, 29), participation="PN3")
    sw(same_day, "SW100002", D(2025, 5, 1), D(2025, 11, 30), "LEFTRL")
    sw(same_day, "SW100003", D(2025, 12, 1))

    # 3. Unaccompanied asylum-seeking child, UASC until their 18th birthday (in the year),
    # when they leave care for supported independent living.
    uasc = child("Dawit", D(2008, 1, 20), "M", "BAFR", upn_serial=3)
    cla.care_start(
        actor=None,
        person=uasc,
        start_date=D(2024, 10, 1),
        ls="V2",
        cin="N8",
        placement=foster("U6", pl_post=NEAR, home_post=""),
    )
    cla.uasc_record(actor=None, person=uasc, start_date=D(2024, 10, 1), ceased_date=D(2026, 1, 20))
    cla.care_end(actor=None, person=uasc, on=D(2026, 1, 20), rec="E5")
    cla.previous_permanence_record(actor=None, person=uasc, prev_perm="Z1")
    # the worker's episode ended the day care did: the return shows it open (SW17STG2)
    sw(uasc, "SW100004", D(2024, 10, 1), D(2026, 1, 20), reason="CHCHAN")

    # 4. Adoption: decision, placement order (L to E1), placed with adopters (P, A6), adopted.
    adopted = child("Cara", D(2023, 3, 1), "F", "WBRI")
    cla.care_start(
        actor=None,
        person=adopted,
        start_date=D(2024, 6, 3),
        ls="C1",
        cin="N1",
        placement=foster("U4"),
    )
    adoption = cla.adoption_record(actor=None, person=adopted, adm_decision_date=D(2025, 4, 10))
    cla.legal_status_change(actor=None, person=adopted, on=D(2025, 5, 1), ls="E1")
    cla.adoption_record(
        actor=None,
        person=adopted,
        record=adoption,
        matched_date=D(2025, 7, 15),
        placed_date=D(2025, 8, 1),
        foster_care="0",
        nb_adoptr="2",
        sex_adoptr="MF",
        ls_adoptr="L11",
    )
    cla.placement_change(
        actor=None,
        person=adopted,
        on=D(2025, 8, 1),
        placement=foster("A6", carer="Adopters", urn="SC777777", pl_post=CANTERBURY),
        same_carer=False,
        reason_place_change="CARPL",
    )
    for day in (D(2024, 7, 1), D(2024, 10, 1), D(2025, 4, 1)):
        cla.review_record(actor=None, person=adopted, review_date=day, participation="PN0")
    cla.care_end(actor=None, person=adopted, on=D(2026, 2, 10), rec="E11")
    cla.previous_permanence_record(actor=None, person=adopted, prev_perm="Z1")
    sw(adopted, "SW100005", D(2024, 6, 3))

    # 5. Care leaver: left care at 17 last year; 18th birthday in the year, in touch.
    care_leaver = child("Eli", D(2007, 9, 10), "M", "WIRI", upn_serial=5)
    cla.care_start(
        actor=None,
        person=care_leaver,
        start_date=D(2021, 1, 4),
        ls="C2",
        cin="N5",
        placement=foster("U4"),
    )
    cla.care_end(actor=None, person=care_leaver, on=D(2025, 3, 20), rec="E5")
    cla.care_leaver_contact_add(
        actor=None,
        person=care_leaver,
        eligibility="former_relevant",
        contact_date=D(2025, 8, 20),
        in_touch="YES",
        accommodation="K1",
        activity="F2",
    )
    sw(care_leaver, "SW100006", D(2021, 1, 4))

    # 6. A children's home; missing and away; substance misuse, an intervention offered not
    # received; convicted; a change of social worker; a DoLO open on 31 March; legal status
    # changes on 1 April.
    missing = child("Finn", D(2010, 2, 1), "M", "WOTH", upn_serial=6)
    cla.care_start(
        actor=None,
        person=missing,
        start_date=D(2023, 1, 9),
        ls="C1",
        cin="N6",
        placement=foster(
            "K2", place_provider="PR4", carer="Oak House", urn="SC555555", pl_post=CANTERBURY
        ),
    )
    cla.legal_status_change(actor=None, person=missing, on=D(2025, 4, 1), ls="C2")
    cla.missing_record(
        actor=None,
        person=missing,
        kind="A",
        start_date=D(2025, 6, 1),
        end_date=D(2025, 6, 2),
        rhi_offered=True,
        rhi_accepted=False,
    )
    cla.missing_record(
        actor=None,
        person=missing,
        kind="M",
        start_date=D(2026, 3, 30),
        end_date=D(2026, 4, 3),
        rhi_offered=True,
    )
    cla.wellbeing_add(
        actor=None,
        person=missing,
        recorded_on=D(2025, 9, 9),
        substance_misuse=True,
        intervention_received=False,
        intervention_offered=True,
        convicted=True,
    )
    cla.health_check_add(
        actor=None,
        person=missing,
        kind=HealthCheck.Kind.HEALTH_ASSESSMENT,
        check_date=D(2025, 1, 15),
    )
    cla.health_check_add(
        actor=None,
        person=missing,
        kind=HealthCheck.Kind.IMMUNISATIONS,
        check_date=D(2025, 1, 15),
        up_to_date=False,
    )
    cla.sdq_add(actor=None, person=missing, sdq_date=D(2024, 10, 1), score=30)
    cla.sdq_add(actor=None, person=missing, sdq_date=D(2025, 10, 1), reason="SDQ4")
    cla.dolo_record(actor=None, person=missing, start_date=D(2025, 11, 3))
    cla.review_record(actor=None, person=missing, review_date=D(2025, 7, 7), participation="PN4")
    sw(missing, "SW100007", D(2023, 1, 9), D(2025, 10, 1), "LEFTRL")
    sw(missing, "SW100008", D(2025, 10, 1))

    # 7. Short breaks (V3) in a foster placement: the validator's rules 214 and 218 disagree.
    short_breaks = child("Gus", D(2014, 11, 11), "M", "AIND")
    cla.care_start(
        actor=None,
        person=short_breaks,
        start_date=D(2025, 7, 1),
        ls="V3",
        cin="N2",
        placement=foster("U6"),
    )
    cla.care_end(actor=None, person=short_breaks, on=D(2025, 7, 5), rec="E4A")
    cla.previous_permanence_record(actor=None, person=short_breaks, prev_perm="Z1")
    sw(short_breaks, "SW100009", D(2025, 6, 2))

    # 8. A looked-after girl who became a mother in the year.
    mother = child("Hana", D(2009, 5, 5), "F", "WBRI", upn_serial=8)
    cla.care_start(
        actor=None,
        person=mother,
        start_date=D(2024, 2, 5),
        ls="C2",
        cin="N1",
        placement=foster("U4"),
    )
    baby = factories.person("Iris", "Return", date_of_birth=D(2025, 12, 1), sex="F")
    people.relationship_add(actor=None, person=mother, other=baby, kind=RelationshipType.PARENT)
    cla.health_check_add(
        actor=None,
        person=mother,
        kind=HealthCheck.Kind.HEALTH_ASSESSMENT,
        check_date=D(2025, 11, 1),
    )
    cla.health_check_add(
        actor=None, person=mother, kind=HealthCheck.Kind.DENTAL_CHECK, check_date=D(2024, 12, 1)
    )
    cla.sdq_add(actor=None, person=mother, sdq_date=D(2024, 5, 5), score=18)
    cla.sdq_add(actor=None, person=mother, sdq_date=D(2025, 5, 5), score=22)
    cla.review_record(actor=None, person=mother, review_date=D(2025, 8, 4), participation="PN1")
    sw(mother, "SW100010", D(2024, 2, 5))

    # 9. Newly looked after in the year, of school age, no UPN yet: UN4.
    new_no_upn = child("Jo", D(2016, 1, 30), "F", "OOTH")
    cla.care_start(
        actor=None,
        person=new_no_upn,
        start_date=D(2025, 10, 6),
        ls="L2",
        cin="N1",
        placement=foster("U6"),
    )
    cla.legal_status_change(actor=None, person=new_no_upn, on=D(2025, 10, 13), ls="C1")
    cla.previous_permanence_record(actor=None, person=new_no_upn, prev_perm="Z1")
    sw(new_no_upn, "SW100011", D(2025, 10, 6))

    # 10. Social worker episodes not yet derived: the return derives them from allocations.
    team = factories.team("Children in care")
    worker, _ = accounts.user_create(
        actor=None,
        username="sw.return",
        first_name="Sam",
        last_name="Worker",
        email="sw.return@kith-council.example",
        password=factories.PASSWORD,
        swe_number="SW123987",
    )
    other, _ = accounts.user_create(
        actor=None,
        username="sw.return2",
        first_name="Pat",
        last_name="Worker",
        email="sw.return2@kith-council.example",
        password=factories.PASSWORD,
        swe_number="SW123988",
    )
    for user in (worker, other):
        accounts.membership_create(
            actor=None, user=user, team=team, role_code="social_worker", start_date=D(2020, 1, 1)
        )
    derived_sw = child("Kit", D(2011, 8, 8), "M", "WBRI", upn_serial=10)
    factories.involve(derived_sw, team)
    first = allocation_start(
        actor=None, person=derived_sw, team=team, worker=worker, start_date=D(2024, 3, 4)
    )
    allocation_end(actor=None, allocation=first, end_date=D(2025, 7, 1), reason="MANAGE")
    allocation_start(
        actor=None, person=derived_sw, team=team, worker=other, start_date=D(2025, 7, 1)
    )
    cla.care_start(
        actor=None,
        person=derived_sw,
        start_date=D(2024, 3, 4),
        ls="C2",
        cin="N3",
        placement=foster("U4"),
    )
    cla.health_check_add(
        actor=None,
        person=derived_sw,
        kind=HealthCheck.Kind.HEALTH_ASSESSMENT,
        check_date=D(2025, 9, 1),
    )
    cla.sdq_add(actor=None, person=derived_sw, sdq_date=D(2024, 9, 1), score=11)
    cla.sdq_add(actor=None, person=derived_sw, sdq_date=D(2025, 9, 1), score=9)

    # 11. Starts to be looked after after 31 March: not in the 2026 return at all.
    not_yet = child("Lee", D(2012, 12, 12), "F", "WBRI", upn_serial=11)
    cla.care_start(
        actor=None,
        person=not_yet,
        start_date=D(2026, 4, 20),
        ls="V2",
        cin="N1",
        placement=foster("U4"),
    )

    # The mother's record is sealed: a statutory return includes her all the same.
    group = restriction_group_create(actor=worker, name="Sealed for the return test")
    restriction_set(actor=worker, person_id=mother.pk, level="sealed", group=group, reason="Test")

    return Cases(
        crossing,
        same_day,
        uasc,
        adopted,
        care_leaver,
        missing,
        short_breaks,
        mother,
        baby,
        new_no_upn,
        derived_sw,
        not_yet,
    )
