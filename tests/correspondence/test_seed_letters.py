"""Every seed's letters, rendered and read back (docs/letters.md).

Per organisation a complaint (two where a regulation sends other letters on another path) is
carried through the steps that send letters, by the services the complaint page uses, on the
dates of the lifecycle stories (tests/lifecycle/test_story_*.py, whose due dates are counted by
hand on the nl-atw calendar). Then every ``Letter`` row's PDF is read back with pypdf and must
hold its letterhead, its reference, the text of every content its regulation requires, and the
concrete values listed here: names, dates, judgements, routes.
"""

from __future__ import annotations

from collections.abc import Callable

from klachtenregister.register.models import Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import Staff, UserFactory
from tests.support.clock_and_race import Clock, day
from tests.support.letters import PERSON_TEXTS, Story, check_letters, pdf_text

P = PERSON_TEXTS
OrganisationGetter = Callable[[str], Organisation]


# --- SmartPLUS ---------------------------------------------------------------------------------
#
# Story 1: received orally Mon 19 Apr 2027 about 12 Apr; eigen_termijn (own target, 4 weken):
# Tue 18 May 2027; beantwoording (6 weken): Mon 31 May 2027.


def test_smartplus_letters_from_intake_to_decision(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    smartplus = organisation("smartplus")
    eva = UserFactory(
        username="eva",
        full_name="Eva Schouten",
        memberships=[(smartplus, RoleKind.HANDLER)],
        email="",
    )
    story = Story(smartplus, staff(smartplus), clock)
    description = "De begeleider dreigde het traject te stoppen zonder proefplaatsing."
    story.register(
        "2027-04-19",
        channel="oral",
        facts_date=day("2027-04-12"),
        description=description,
        uwv_client=True,
        subjects=[("Frank de Wit", None)],
    )
    story.assign("2027-04-20", eva)
    story.step("subject_informed", "2027-04-20")
    story.step(
        "acknowledged",
        "2027-04-26",
        written={"outcome": "Opheldering over de dreiging en excuses."},
    )
    story.step("accepted", "2027-04-26")
    story.step("hearing_invitation_sent", "2027-04-27")
    story.step("hearing_held", "2027-05-11", details={"heard": ["Mevrouw De Vries", "Frank"]})
    story.step("hearing_report_sent", "2027-05-12")
    story.step("consultation_held", "2027-05-12", details={"outcome": "agreement"})
    story.step("agreement_letter_sent", "2027-05-12")
    story.step("progress_notice_sent", "2027-05-14")
    motivation = "De begeleider had geen reden om met stoppen te dreigen."
    story.step(
        "decision_made", "2027-05-24", details={"outcome": "founded", "motivation": motivation}
    )
    story.step("decision_sent", "2027-05-25")

    check_letters(
        story.complaint,
        {
            "klachtbrief_aan_medewerker": [description],
            "ontvangstbevestiging": [
                "12 april 2027",  # the facts date
                "26 april 2027",  # the acknowledgement date
                "Eva Schouten",  # handler and contact person
                P["facts"],
                "binnen 4 weken",
                "18 mei 2027",  # the expected term: the own target
            ],
            "uitnodiging_horen": [P["hearing_invitation"]],
            "verslag_horen": [P["hearing_report"]],
            "bevestiging_afspraken": [P["agreements"]],
            "mededeling_termijn_niet_gehaald": [P["delay_reason"]],
            "beslissing": [
                description,
                P["facts"],
                motivation,
                "gegrond",
                # The route names its body and website (Punt 8, slotzin).
                "U kunt zich wenden tot de Nationale Ombudsman (www.nationaleombudsman.nl).",
                "25 mei 2027",
            ],
        },
    )


# Story 2: conduct more than a year old, received Tue 4 May 2027; not taken into treatment.
def test_smartplus_inadmissibility_notice(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    smartplus = organisation("smartplus")
    dewi = UserFactory(
        username="dewi",
        full_name="Dewi Kartosen",
        memberships=[(smartplus, RoleKind.HANDLER)],
        email="",
    )
    story = Story(smartplus, staff(smartplus), clock)
    story.register("2027-05-04", facts_date=day("2026-03-01"))
    story.assign("2027-05-04", dewi)
    story.step("acknowledged", "2027-05-11", written={"outcome": "Uitleg over de overdracht."})
    reason = "De gedraging ligt meer dan een jaar voor de klacht."
    story.step(
        "declared_inadmissible",
        "2027-05-18",
        details={"ground": "ouder_dan_een_jaar", "reason": reason},
    )
    story.step("inadmissibility_notice_sent", "2027-05-28")

    check_letters(
        story.complaint,
        {
            "ontvangstbevestiging": ["1 maart 2026", "11 mei 2027", "Dewi Kartosen"],
            "bericht_niet_in_behandeling": [
                "langer dan één jaar voor de indiening",  # the ground, as the regulation says it
                reason,
                "U kunt zich wenden tot de Nationale Ombudsman (www.nationaleombudsman.nl).",
            ],
        },
    )


# --- Iskander ----------------------------------------------------------------------------------
#
# Story A: received Mon 19 Apr 2027; afhandeling (4 weken) rolls on to Tue 18 May 2027.


def test_iskander_letters_without_agreement(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    iskander = organisation("iskander")
    piet = UserFactory(
        username="piet",
        full_name="Piet Pietersen",
        memberships=[(iskander, RoleKind.HANDLER)],
        email="",
    )
    story = Story(iskander, staff(iskander), clock)
    story.register("2027-04-19", facts_date=day("2027-04-09"), subjects=[("Jan Jansen", None)])
    story.assign("2027-04-20", piet)
    story.step("acknowledged", "2027-04-21")
    story.step("consultation_held", "2027-04-29", details={"outcome": "no_agreement"})
    story.step("accepted", "2027-04-30")
    story.step("consultation_confirmation_sent", "2027-05-03")
    story.step("follow_up_information_sent", "2027-05-11")
    story.step("hearing_invitation_sent", "2027-05-11")
    story.step("hearing_held", "2027-05-12", details={"heard": ["Mevrouw De Vries", "Jan"]})
    story.step("hearing_report_sent", "2027-05-18")
    motivation = "De afspraken zijn afgezegd; de toon van het gesprek is niet vast te stellen."
    story.step(
        "decision_made",
        "2027-05-18",
        details={"outcome": "partly_founded", "motivation": motivation},
    )
    measure = "Afspraken worden voortaan uiterlijk een dag tevoren afgezegd."
    story.step(
        "measures_recorded", "2027-05-18", details={"type": "corrective", "description": measure}
    )
    story.step("decision_sent", "2027-05-18")

    letters = check_letters(
        story.complaint,
        {
            "ontvangstbevestiging": [
                # The procedure, from the regulation's terms, in sentences a complainant reads.
                "U krijgt binnen 5 werkdagen na ontvangst van uw klacht een schriftelijke "
                "bevestiging dat wij de klacht hebben ontvangen.",
                "Wij nodigen u graag uit voor een gesprek",
            ],
            "bevestiging_overleg": [P["consultation_summary"]],
            "vervolginformatie": [P["next_steps"], "Piet Pietersen", "18 mei 2027"],
            "uitnodiging_horen": [P["hearing_invitation"], "raadsman"],
            "verslag_bijeenkomst": [P["hearing_report"]],
            "afhandelingsbrief": ["deels gegrond", motivation, measure],
        },
    )
    # Stroomschema rij 2 en 5: Iskander engages a specialised external party itself when it
    # cannot handle the complaint impartially or the complainant does not consent; it is no
    # route for the complainant, and the decision letter does not offer it.
    decision = next(letter for letter in letters if letter.letter_id == "afhandelingsbrief")
    assert "externe partij" not in pdf_text(decision)


# Story B: received Tue 20 Apr 2027, settled in the consultation; the registered confirmation
# (posted Thu 6 May, delivered Mon 10 May) starts the five werkdagen of silence.
def test_iskander_registered_confirmation_of_the_agreements(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    iskander = organisation("iskander")
    piet = UserFactory(
        username="piet",
        full_name="Piet Pietersen",
        memberships=[(iskander, RoleKind.HANDLER)],
        email="",
    )
    story = Story(iskander, staff(iskander), clock)
    story.register(
        "2027-04-20",
        complainant_email="",
        complainant_address="Lindelaan 14\n3523 GK Utrecht",
        subjects=[("Jan Jansen", None)],
    )
    story.step("acknowledged", "2027-04-26")
    story.assign("2027-04-26", piet)
    story.step("consultation_held", "2027-04-28", details={"outcome": "agreement"})
    story.step("resolved_informally", "2027-04-28")
    story.step("agreement_letter_sent", "2027-05-04")
    registered = story.step("registered_letter_delivered", "2027-05-10", posted_on="2027-05-06")

    assert {(letter.delivery, letter.posted_on, letter.delivered_on) for letter in registered} == {
        ("registered_post", day("2027-05-06"), day("2027-05-10"))
    }
    check_letters(
        story.complaint,
        {
            "ontvangstbevestiging": ["Wij nodigen u graag uit voor een gesprek"],
            "afsprakenbrief": [P["agreements"]],
            "aangetekende_bevestiging_afspraken": [
                P["agreements"],
                "binnen 5 werkdagen na ontvangst van deze brief geen reactie",
                "naar tevredenheid afgerond",
                "6 mei 2027",  # dated when posted
            ],
        },
    )


def test_iskander_inadmissibility_notice(
    db: None, organisation: OrganisationGetter, staff: Staff, clock: Clock
) -> None:
    iskander = organisation("iskander")
    story = Story(iskander, staff(iskander), clock)
    story.register("2027-04-19", facts_date=day("2027-02-01"), subjects=[("Jan Jansen", None)])
    story.step("acknowledged", "2027-04-21")
    story.step(
        "declared_inadmissible",
        "2027-04-23",
        details={"ground": "feit_ouder_dan_vier_weken", "reason": "Ruim twee maanden geleden."},
    )
    story.step("inadmissibility_notice_sent", "2027-04-26")

    letters = check_letters(
        story.complaint,
        {
            "ontvangstbevestiging": [],
            "bericht_niet_in_behandeling": [
                "Het feit heeft langer dan vier weken voor indiening van de klacht plaatsgevonden"
            ],
        },
    )
    # Sent to the complainant and to the person the complaint is about.
    notices = [letter for letter in letters if letter.letter_id == "bericht_niet_in_behandeling"]
    assert sorted(letter.addressee_name for letter in notices) == ["Jan Jansen", "Mevrouw De Vries"]


# --- Integratiewerk ----------------------------------------------------------------------------
#
# Received Thu 22 Apr 2027; referred Tue 11 May; advies_klachtencommissie (3 weken) Tue 1 Jun,
# extended on Mon 31 May by 3 weken to Tue 22 Jun 2027; advice Fri 18 Jun; decision Thu 24 Jun.


def test_integratiewerk_letters_from_acknowledgement_to_decision(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    integratiewerk = organisation("integratiewerk")
    ingrid = UserFactory(
        username="ingrid",
        full_name="Ingrid de Graaf",
        memberships=[(integratiewerk, RoleKind.MANAGER)],
        email="ingrid@integratiewerk.example",
    )
    UserFactory(
        username="annelies",
        full_name="Annelies Brouwer",
        memberships=[(integratiewerk, RoleKind.COMMITTEE)],
        email="",
    )
    story = Story(integratiewerk, staff(integratiewerk), clock)
    description = "Toezeggingen over een stageplek worden niet nagekomen."
    story.register(
        "2027-04-22",
        facts_date=day("2027-03-15"),
        description=description,
        manager_name="Ingrid de Graaf",
        manager=ingrid,
    )
    story.step("acknowledged", "2027-05-10")
    story.step("consultation_held", "2027-05-11", details={"outcome": "no_agreement"})
    story.step("accepted", "2027-05-11")
    story.step("referred_to_committee", "2027-05-11")
    reason = "Betrokken medewerker met verlof."
    story.step(
        "extended",
        "2027-05-31",
        details={
            "deadline": "advies_klachtencommissie",
            "by": {"amount": 3, "unit": "weeks"},
            "reason": reason,
        },
    )
    # The committee's judgement precedes the director's decision: the register cannot know it.
    story.step(
        "committee_advice_given",
        "2027-06-18",
        written={"judgement": "De commissie acht de klacht gegrond."},
    )
    story.step(
        "decision_made",
        "2027-06-22",
        details={"outcome": "founded", "motivation": "Het advies wordt gevolgd."},
    )
    story.step("decision_sent", "2027-06-24")

    check_letters(
        story.complaint,
        {
            "ontvangstbevestiging": ["22 april 2027"],
            "voorlegging_klachtencommissie": [
                description,
                "10 mei 2027: Ontvangst schriftelijk bevestigd",  # the steps taken, from the log
            ],
            "bericht_voorlegging": [
                # The committee's working method: its duties and its advice term.
                "De klachtencommissie brengt binnen drie weken een bindend advies uit aan de "
                "directeur",
                "De commissie brengt binnen 3 weken advies uit.",
            ],
            "bericht_verlenging_advies": ["22 juni 2027"],
            "bindend_advies": ["De commissie acht de klacht gegrond."],
            "besluit": ["gegrond"],
        },
    )


# --- IN FOCUS Samen ----------------------------------------------------------------------------
#
# Story A: a UWV client's complaint received Tue 20 Apr 2027; uitspraak (4 weken) Tue 18 May,
# extended on Thu 13 May by 2 weken to Tue 1 Jun 2027.


def test_infocus_samen_letters_for_a_uwv_client(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    infocus = organisation("infocus-samen")
    anna = UserFactory(
        username="anna",
        full_name="Anna Akkerman",
        memberships=[(infocus, RoleKind.COMMITTEE)],
        email="",
    )
    bert = UserFactory(
        username="bert", full_name="Bert Bos", memberships=[(infocus, RoleKind.COMMITTEE)], email=""
    )
    story = Story(infocus, staff(infocus), clock)
    story.register("2027-04-20", uwv_client=True, subjects=[("Jan Jansen", None)])
    story.appoint("2027-04-20", [anna, bert], chair=bert)
    story.step("acknowledged", "2027-04-26")
    story.step("accepted", "2027-04-26")
    story.step("hearing_invitation_sent", "2027-04-27")
    story.step("hearing_held", "2027-05-12", details={"heard": ["Mevrouw De Vries", "Jan"]})
    story.step(
        "extended",
        "2027-05-13",
        details={
            "deadline": "uitspraak",
            "by": {"amount": 2, "unit": "weeks"},
            "reason": "Werkgever pas later bereikbaar.",
        },
    )
    motivation = "De afspraken zijn volgens het trajectplan verzet."
    story.step(
        "decision_made", "2027-05-28", details={"outcome": "unfounded", "motivation": motivation}
    )
    story.step("decision_sent", "2027-05-31")

    check_letters(
        story.complaint,
        {
            "ontvangstbevestiging": [
                "Anna Akkerman, Bert Bos (voorzitter)",  # the committee's composition
                "binnen 4 weken",
                "18 mei 2027",
            ],
            "uitnodiging_horen": [P["hearing_invitation"]],
            "bericht_nieuwe_termijn": ["1 juni 2027"],
            "uitspraak": [
                "ongegrond",
                motivation,
                # The route as the preset names its body (seed: "Arbeidsdeskundige van UWV").
                "Omdat u cliënt bent van UWV, kunt u zich wenden tot uw arbeidsdeskundige van UWV.",
            ],
        },
    )


def test_infocus_samen_decision_names_uwv_only_for_a_uwv_client(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    infocus = organisation("infocus-samen")
    anna = UserFactory(
        username="anna",
        full_name="Anna Akkerman",
        memberships=[(infocus, RoleKind.COMMITTEE)],
        email="",
    )
    bert = UserFactory(
        username="bert", full_name="Bert Bos", memberships=[(infocus, RoleKind.COMMITTEE)], email=""
    )
    story = Story(infocus, staff(infocus), clock)
    story.register("2027-04-20", uwv_client=False)
    story.appoint("2027-04-20", [anna, bert])
    story.step("acknowledged", "2027-04-26")
    story.step("accepted", "2027-04-26")
    # De procedure 5: all parties are heard before the committee judges.
    story.step("hearing_held", "2027-05-04", details={"heard": ["Mevrouw De Vries", "Jan"]})
    story.step(
        "decision_made", "2027-05-10", details={"outcome": "founded", "motivation": "Klopt."}
    )
    story.step("decision_sent", "2027-05-11")

    letters = check_letters(
        story.complaint, {"ontvangstbevestiging": ["Anna Akkerman"], "uitspraak": ["gegrond"]}
    )
    decision = next(letter for letter in letters if letter.letter_id == "uitspraak")
    assert "arbeidsdeskundige" not in pdf_text(decision)


# Story B: received Thu 8 Apr 2027; declared inadmissible without a listed ground (the seed lists
# none): the reason given is the ground.
def test_infocus_samen_inadmissibility_notice(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    infocus = organisation("infocus-samen")
    anna = UserFactory(
        username="anna",
        full_name="Anna Akkerman",
        memberships=[(infocus, RoleKind.COMMITTEE)],
        email="",
    )
    bert = UserFactory(
        username="bert", full_name="Bert Bos", memberships=[(infocus, RoleKind.COMMITTEE)], email=""
    )
    story = Story(infocus, staff(infocus), clock)
    story.register("2027-04-08")
    story.appoint("2027-04-08", [anna, bert])
    story.step("acknowledged", "2027-04-13")
    reason = "De onvrede is door de direct aangesprokene al weggenomen."
    story.step("declared_inadmissible", "2027-04-30", details={"reason": reason})
    story.step("inadmissibility_notice_sent", "2027-05-10")

    check_letters(
        story.complaint,
        {"ontvangstbevestiging": ["Anna Akkerman"], "bericht_niet_in_behandeling": [reason]},
    )


# --- Loket3 ------------------------------------------------------------------------------------
#
# Story 1: received orally Thu 22 Apr 2027 about 20 Apr; afhandeling (21 werkdagen) Fri 28 May
# 2027; settled by telephone Wed 12 May, decision letter Thu 20 May, report Thu 10 Jun.


def test_loket3_letters_from_acknowledgement_to_report(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    loket3 = organisation("loket3")
    anna = UserFactory(
        username="anna",
        full_name="Anna van Loon",
        memberships=[(loket3, RoleKind.HANDLER)],
        email="",
    )
    story = Story(loket3, staff(loket3), clock)
    description = "De consulent verscheen niet op de afspraak bij de werkgever."
    story.register(
        "2027-04-22",
        channel="oral",
        facts_date=day("2027-04-20"),
        description=description,
        subjects=[("Bram Willemse", None)],
    )
    story.assign("2027-04-23", anna)
    story.step("acknowledged", "2027-04-30")
    story.step("accepted", "2027-04-30")
    story.step("subject_informed", "2027-05-03")
    story.step("hearing_held", "2027-05-04", details={"heard": ["Bram"]})
    motivation = "De rapportage had eerst aan de klant voorgelegd moeten worden."
    story.step(
        "decision_made", "2027-05-11", details={"outcome": "founded", "motivation": motivation}
    )
    story.step("consultation_held", "2027-05-12", details={"outcome": "agreement"})
    corrective = "Aangepaste rapportage opnieuw verstuurd."
    story.step(
        "measures_recorded",
        "2027-05-12",
        details={"type": "corrective", "description": corrective},
    )
    story.step("decision_sent", "2027-05-20")
    preventive = "Rapportages gaan voortaan eerst ter reactie naar de klant."
    story.step(
        "measures_recorded",
        "2027-06-09",
        details={"type": "preventive", "description": preventive},
    )
    story.step("report_sent", "2027-06-10")

    check_letters(
        story.complaint,
        {
            "ontvangstbevestiging": [
                description,
                P["date_place_circumstances"],
                "21 werkdagen",
                "28 mei 2027",
            ],
            "bevestiging_aanbod": [
                P["findings"],
                motivation,
                "gegrond",
                P["offer"],
                corrective,
                P["consultation_summary"],
            ],
            "schriftelijk_verslag": ["gegrond", corrective, preventive, "20 mei 2027"],
        },
    )


def test_loket3_decision_names_each_route_with_its_body(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    """Handelswijze 5 and 9: the opdrachtgever the complaint names, the klachtenbureau UWV (a UWV
    client), the Nationale Ombudsman with its website, the ombudsman in the gemeente and the
    interest groups the seed lists, each once, in the complainant's letter only."""
    loket3 = organisation("loket3")
    anna = UserFactory(
        username="anna",
        full_name="Anna van Loon",
        memberships=[(loket3, RoleKind.HANDLER)],
        email="",
    )
    story = Story(loket3, staff(loket3), clock)
    story.register(
        "2027-04-22",
        facts_date=day("2027-04-20"),
        uwv_client=True,
        commissioning_party="UWV Tilburg",
        subjects=[("Bram Willemse", None)],
    )
    story.assign("2027-04-23", anna)
    story.step("acknowledged", "2027-04-30")
    story.step("accepted", "2027-04-30")
    story.step("subject_informed", "2027-05-03")
    story.step("hearing_held", "2027-05-04", details={"heard": ["Bram"]})
    story.step(
        "decision_made", "2027-05-11", details={"outcome": "founded", "motivation": "Klopt."}
    )
    story.step("consultation_held", "2027-05-12", details={"outcome": "agreement"})
    story.step(
        "measures_recorded",
        "2027-05-12",
        details={"type": "corrective", "description": "Rapportage opnieuw verstuurd."},
    )
    letters = story.step("decision_sent", "2027-05-20")

    [to_complainant] = [one for one in letters if one.addressee_name == "Mevrouw De Vries"]
    text = pdf_text(to_complainant)
    routes = [
        "U kunt uw klacht voorleggen aan de opdrachtgever van uw traject, UWV Tilburg.",
        "U kunt zich melden bij het klachtenbureau UWV (www.uwv.nl).",
        "U kunt zich wenden tot de Nationale Ombudsman (www.nationaleombudsman.nl).",
        "U kunt zich wenden tot de Ombudsman in uw gemeente.",
        "U kunt ook terecht bij instanties die de belangen van cliënten en kandidaten behartigen, "
        "zoals Arcon (Landelijke Vereniging Arbeidsongeschikten)",
    ]
    for route in routes:
        assert text.count(route) == 1, f"{route!r} not once in the letter:\n{text}"
    for letter in letters:
        if letter is not to_complainant:
            assert "www.uwv.nl" not in pdf_text(letter)


def test_loket3_inadmissibility_notice(
    db: None, organisation: OrganisationGetter, staff: Staff, clock: Clock
) -> None:
    loket3 = organisation("loket3")
    story = Story(loket3, staff(loket3), clock)
    story.register("2027-04-22", facts_date=day("2027-04-20"))
    story.step("acknowledged", "2027-04-26")
    reason = "De klacht gaat over een dienst van een andere organisatie."
    story.step("declared_inadmissible", "2027-04-28", details={"reason": reason})
    story.step("inadmissibility_notice_sent", "2027-04-30")

    check_letters(
        story.complaint,
        {"ontvangstbevestiging": ["21 werkdagen"], "bericht_niet_in_behandeling": [reason]},
    )
