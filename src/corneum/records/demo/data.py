"""The demo clinic's people, as data. Every name, address, email and phone number is invented:
emails use the reserved ``example.com``/``.example`` domains and phones the UK's range kept for
drama (+44 20 7946 0xxx), so none can reach a real person.

Dates are given as days before the seeding day, so the clinic always looks current.
"""

from __future__ import annotations

from dataclasses import dataclass

from corneum.records.accounts.tables import Role
from corneum.records.clients.tables import HistoryStatus

CLINIC_NAME = "Corneum Demo Clinic"
DEMO_PASSWORD = "demo-clinic-password"
"""Printed by ``corneum serve --demo``; a demo database holds nothing worth protecting."""


@dataclass(frozen=True)
class StaffSpec:
    email: str
    role: Role
    qualifications: tuple[str, ...] = ()


STAFF = (
    StaffSpec("admin@demo-clinic.example", "admin"),
    StaffSpec("dr.ashby@demo-clinic.example", "practitioner", ("doctor",)),
    StaffSpec("nadia.kerr@demo-clinic.example", "practitioner", ("cosmetologist",)),
    StaffSpec("front.desk@demo-clinic.example", "reception"),
)


@dataclass(frozen=True)
class HistorySpec:
    code: str
    status: HistoryStatus = "active"
    started_days_ago: int | None = None
    ended_days_ago: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class MedicationSpec:
    code: str
    last_taken_days_ago: int | None = None
    """None: the client still takes it."""
    note: str | None = None


@dataclass(frozen=True)
class ClientSpec:
    given_name: str
    family_name: str
    age: int
    birthday: tuple[int, int]
    """Month and day (never the 29th of February)."""
    phone: str
    address: str
    skin_type: str
    phototype: int
    area: str
    concerns: tuple[str, ...]
    risk_factors: tuple[str, ...] = ()
    history: tuple[HistorySpec, ...] = ()
    medications: tuple[MedicationSpec, ...] = ()
    allergies: tuple[str, ...] = ()
    past_sessions: int = 0
    """Sessions already held of the plan the assessment leads to (if it leads to one)."""

    @property
    def email(self) -> str:
        return f"{self.given_name}.{self.family_name}".lower().replace(" ", "") + "@example.com"


CLIENTS = (
    ClientSpec(
        given_name="Maren",
        family_name="Holloway",
        age=27,
        birthday=(3, 14),
        phone="+44 20 7946 0101",
        address="4 Larchmere Row, Eastbury",
        skin_type="oily",
        phototype=3,
        area="back",
        concerns=("blackheads", "excess_sebum", "enlarged_pores"),
        risk_factors=("hormonal_imbalance", "synthetic_clothing"),
        history=(HistorySpec("herpes_history", started_days_ago=2900, note="Cold sores, rare"),),
        past_sessions=3,
    ),
    ClientSpec(
        given_name="Tobias",
        family_name="Wrenfield",
        age=24,
        birthday=(11, 2),
        phone="+44 20 7946 0102",
        address="17 Quillon Street, Eastbury",
        skin_type="combination",
        phototype=2,
        area="back",
        concerns=("acne", "pimples", "post_acne_scars"),
        risk_factors=("frequent_stress",),
        medications=(MedicationSpec("isotretinoin", 95, "A six-month course, now finished"),),
    ),
    ClientSpec(
        given_name="Ines",
        family_name="Calloway",
        age=45,
        birthday=(6, 30),
        phone="+44 20 7946 0103",
        address="2 Orchard Mews, Westhollow",
        skin_type="sensitive",
        phototype=2,
        area="face",
        concerns=("uneven_tone", "photoaging", "dull_complexion"),
        history=(
            HistorySpec("rosacea", started_days_ago=1800, note="Flushing, worse in winter"),
            HistorySpec("telangiectasia", started_days_ago=1200),
        ),
        allergies=("Fragrance mix",),
        past_sessions=1,
    ),
    ClientSpec(
        given_name="Dariusz",
        family_name="Fenwick",
        age=31,
        birthday=(9, 9),
        phone="+44 20 7946 0104",
        address="88 Tannery Lane, Eastbury",
        skin_type="oily",
        phototype=4,
        area="back",
        concerns=("acne", "clogged_pores", "blackheads"),
        risk_factors=("genetic_predisposition", "unbalanced_diet"),
        history=(HistorySpec("psoriasis", started_days_ago=3650, note="Plaques on the elbows"),),
        past_sessions=2,
    ),
    ClientSpec(
        given_name="Lotte",
        family_name="Brannigan",
        age=23,
        birthday=(1, 21),
        phone="+44 20 7946 0105",
        address="9 Cobble Yard, Northmead",
        skin_type="oily",
        phototype=2,
        area="face",
        concerns=("blackheads", "whiteheads", "enlarged_pores"),
        risk_factors=("unsuitable_cosmetics", "improper_care"),
        past_sessions=2,
    ),
    ClientSpec(
        given_name="Samir",
        family_name="Okafor-Lund",
        age=39,
        birthday=(4, 5),
        phone="+44 20 7946 0106",
        address="31 Weaver's Close, Northmead",
        skin_type="normal",
        phototype=5,
        area="back",
        concerns=("uneven_texture", "post_acne_scars"),
        history=(HistorySpec("keloid_scars", started_days_ago=5000),),
        past_sessions=1,
    ),
    ClientSpec(
        given_name="Greta",
        family_name="Vanstone",
        age=52,
        birthday=(12, 12),
        phone="+44 20 7946 0107",
        address="6 Heron Walk, Westhollow",
        skin_type="dry",
        phototype=1,
        area="face",
        concerns=("fine_wrinkles", "aging_skin", "dryness"),
        history=(HistorySpec("eczema", "resolved", started_days_ago=4000, ended_days_ago=3000),),
        medications=(MedicationSpec("anticoagulant", None, "Apixaban, for atrial fibrillation"),),
        allergies=("Lanolin",),
    ),
    ClientSpec(
        given_name="Jonah",
        family_name="Pellerin",
        age=29,
        birthday=(8, 17),
        phone="+44 20 7946 0108",
        address="52 Millrace Road, Eastbury",
        skin_type="oily",
        phototype=3,
        area="shoulders",
        concerns=("acne", "pimples"),
        risk_factors=("frequent_stress", "unfavourable_environment"),
        medications=(MedicationSpec("topical_retinoid", None, "Adapalene 0.1% gel at night"),),
        past_sessions=1,
    ),
)

STAGE_PRODUCTS = {
    "Cleansing": "Lumen gentle cleansing milk",
    "Toning": "Lumen balancing toner",
    "Fruit-acid mask": "Fructa 10% fruit-acid mask",
    "High-concentration acid peel with massage": "Glycolic acid 35% gel",
    "Application": "Glycolic acid 35% gel",
    "Patch test": "Glycolic acid 35% gel",
    "Enzyme peel": "Papaina enzyme powder",
    "Enzymatic peel": "Papaina enzyme powder",
    "Hydrating gel": "Aqua hydrating gel",
    "Moisturising napkins and antibacterial lotion": "Clarex antibacterial lotion",
    "Calming mask": "Calma soothing mask",
    "Mask and light massage": "Calma soothing mask",
    "Finishing products": "Calma soothing mask",
    "Serum and finishing cream": "Barrier finishing cream",
    "Numbing cream": "Lidocaine 4% cream",
    "Anaesthetic cream": "Lidocaine 4% cream",
    "Antiseptic": "Chlorhexidine 0.05% solution",
    "Sun protection": "SPF 50 broad-spectrum sunscreen",
}
"""What the demo clinic uses at each stage it has a product for (invented brand names)."""

OBSERVATIONS = (
    "Skin tolerated the procedure well; mild erythema settled within 20 minutes.",
    "Comedones extracted easily after steaming; no bleeding.",
    "Client reported slight tingling during the peel, within the expected range.",
    "Fewer inflamed lesions than at the previous visit; sebum visibly reduced.",
    "Home care reviewed: gentle cleanser twice daily, SPF every morning.",
)

CLINIC_TIMEZONE = "Europe/London"
"""The demo's addresses are invented English towns; its clock is theirs."""
ROOMS = ("Treatment room 1", "Treatment room 2", "Treatment room 3")
DEVICES = (
    ("laser", "Fractional laser"),
    ("ultrasonic_device", "Ultrasonic scrubber"),
    ("vacuum_device", "Vacuum cleanser"),
    ("microdermabrasion_machine", "Microdermabrasion unit"),
)
"""One unit of every device type the calendar schedules, so every bookable procedure books."""
WEEKDAY_HOURS = ((9, 13), (14, 19))
WEEKEND_HOURS = ((10, 16),)
"""Every practitioner's pattern: long weekdays with a lunch break, shorter weekends (the demo
clinic opens every day, so a slot is there whatever day the demo starts on)."""
