"""Demo data of partners: eight partner institutions of a French Cité, their agreements and counsellors,
two working groups with meetings and actions, two shared projects, and the network's links and events.

Idempotent: every object is found by a stable key and created once; dates are relative to the day the
demo is first built, so flags such as "ending within 60 days" and "overdue" have something to show.
Contacts are fictional (example.org addresses, 01 23 45 67 xx numbers).
"""

import datetime
import io
import zlib

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from cite.models import Area, Centre
from partners import services
from partners.models import (
    Action,
    Agreement,
    Attendance,
    Contact,
    Exchange,
    Institution,
    Meeting,
    MentoringLink,
    NetworkEvent,
    Objective,
    Project,
    Secondment,
    WorkingGroup,
)

K = Institution.Kind
A = Agreement.Kind
S = Agreement.Stage

# (name, kind, website, colour, areas, description); contacts' addresses are at <domain>.example.org
INSTITUTIONS = [
    (
        "France Travail",
        K.EMPLOYMENT,
        "https://www.francetravail.fr/",
        "#1d4f73",
        ["find-job", "change-career"],
        "Service public de l'emploi : inscription, accompagnement des demandeurs d'emploi, offres.",
    ),
    (
        "Mission Locale Val-de-Seine",
        K.EMPLOYMENT,
        "",
        "#1e6b3a",
        ["choose-path", "find-job", "find-training"],
        "Accompagnement des jeunes de 16 à 25 ans : emploi, formation, santé, logement.",
    ),
    (
        "CIO Val-de-Seine",
        K.GUIDANCE,
        "",
        "#6a3d9a",
        ["choose-path", "find-training"],
        "Centre d'information et d'orientation de l'Éducation nationale.",
    ),
    (
        "CCI Val-de-Seine",
        K.CHAMBER,
        "",
        "#0b6b73",
        ["start-business", "find-training"],
        "Chambre de commerce et d'industrie : création d'entreprise, apprentissage, formalités.",
    ),
    (
        "Chambre de Métiers et de l'Artisanat",
        K.CHAMBER,
        "",
        "#8a4b08",
        ["start-business", "find-training"],
        "Métiers de l'artisanat, apprentissage, création et reprise d'entreprises artisanales.",
    ),
    (
        "AFPA",
        K.TRAINING,
        "https://www.afpa.fr/",
        "#a2261e",
        ["find-training", "change-career"],
        "Formation professionnelle des adultes et reconversion.",
    ),
    (
        "BGE Val-de-Seine",
        K.ASSOCIATION,
        "",
        "#b8520b",
        ["start-business"],
        "Réseau associatif d'appui aux créateurs d'entreprise.",
    ),
    (
        "Département du Val-de-Seine",
        K.LOCAL_AUTHORITY,
        "",
        "#4a5565",
        ["change-career", "work-abroad"],
        "Insertion professionnelle des allocataires du RSA ; cofinance la Cité.",
    ),
]

DOMAINS = {
    "France Travail": "francetravail",
    "Mission Locale Val-de-Seine": "missionlocale-valdeseine",
    "CIO Val-de-Seine": "cio-valdeseine",
    "CCI Val-de-Seine": "cci-valdeseine",
    "Chambre de Métiers et de l'Artisanat": "cma-valdeseine",
    "AFPA": "afpa",
    "BGE Val-de-Seine": "bge-valdeseine",
    "Département du Val-de-Seine": "valdeseine",
}

# institution -> [(name, role, email local part)]; phones are given in order: 01 23 45 67 01, 02…
CONTACTS = {
    "France Travail": [
        ("Claire Dumas", "Directrice d'agence", "claire.dumas"),
        ("Karim Belkacem", "Conseiller référent Cité des métiers", "karim.belkacem"),
    ],
    "Mission Locale Val-de-Seine": [
        ("Élodie Fontaine", "Directrice", "elodie.fontaine"),
        ("Mathieu Perrin", "Conseiller insertion", "mathieu.perrin"),
    ],
    "CIO Val-de-Seine": [("Anne Rousseau", "Directrice du CIO", "anne.rousseau")],
    "CCI Val-de-Seine": [
        ("Laurent Giraud", "Responsable création d'entreprise", "laurent.giraud"),
        ("Fatou Diallo", "Chargée de l'apprentissage", "fatou.diallo"),
    ],
    "Chambre de Métiers et de l'Artisanat": [("Pierre Lambert", "Développeur de l'apprentissage", "pierre.lambert")],
    "AFPA": [("Nathalie Chevalier", "Responsable du centre", "nathalie.chevalier")],
    "BGE Val-de-Seine": [("Hugo Marchetti", "Conseiller création", "hugo.marchetti")],
    "Département du Val-de-Seine": [
        ("Sandrine Roux", "Cheffe du service insertion", "sandrine.roux"),
        ("Olivier Petit", "Chargé de mission emploi", "olivier.petit"),
    ],
}

# (institution, title, kind, days from today to start, to end, stage, committed hours)
AGREEMENTS = [
    ("France Travail", "Convention de mise à disposition de conseillers", A.SECONDMENT, -420, 680, S.SIGNED, 35),
    ("Mission Locale Val-de-Seine", "Convention de partenariat", A.PARTNERSHIP, -680, 45, S.SIGNED, 17.5),
    ("CIO Val-de-Seine", "Convention de mise à disposition", A.SECONDMENT, -300, 430, S.SIGNED, 14),
    ("CCI Val-de-Seine", "Convention de partenariat", A.PARTNERSHIP, 30, 760, S.DRAFT, 7),
    ("Chambre de Métiers et de l'Artisanat", "Convention de partenariat", A.PARTNERSHIP, -1100, -40, S.EXPIRED, 7),
    ("Chambre de Métiers et de l'Artisanat", "Renouvellement de la convention", A.PARTNERSHIP, 10, 740, S.DRAFT, 7),
    ("AFPA", "Convention de partenariat", A.PARTNERSHIP, -200, 530, S.SIGNED, 10.5),
    ("BGE Val-de-Seine", "Convention d'animation d'ateliers création", A.PARTNERSHIP, -90, 275, S.SIGNED, 3.5),
    ("Département du Val-de-Seine", "Convention-cadre et de financement", A.FUNDING, -500, 595, S.SIGNED, 0),
]

# counsellor email -> institution
SECONDMENTS = {
    "conseil@demo.example.org": "France Travail",
    "conseil2@demo.example.org": "Mission Locale Val-de-Seine",
    "conseil3@demo.example.org": "CIO Val-de-Seine",
}


def _logo(name, colour):
    """A square logo with the institution's initials, for the demo only."""
    first = name.split()[0]
    initials = first if first.isupper() else "".join(w[0] for w in name.replace("'", " ").split() if w[0].isupper())
    initials = initials[:4]
    image = Image.new("RGB", (240, 240), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size={1: 130, 2: 110, 3: 84}.get(len(initials), 64))
    draw.text((120, 120), initials, fill="#ffffff", font=font, anchor="mm")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return ContentFile(output.getvalue(), name="logo.png")


def _pdf(text):
    """A one-page PDF saying `text`: stands in for a scanned, signed agreement."""
    line = text.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = zlib.compress(b"BT /F1 16 Tf 72 760 Td (" + line + b") Tj 0 -28 Td (Document de demonstration) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    body = io.BytesIO()
    body.write(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(body.tell())
        body.write(b"%d 0 obj\n" % number + content + b"\nendobj\n")
    xref = body.tell()
    body.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        body.write(b"%010d 00000 n \n" % offset)
    body.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return ContentFile(body.getvalue(), name="signed.pdf")


def _at(day, hour, minute=0):
    """An aware datetime on `day` at a local time of the centre."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@transaction.atomic
def build_institutions(today):
    areas = {area.code: area for area in Area.objects.all()}
    institutions = {}
    phone = 1
    for name, kind, website, colour, area_codes, description in INSTITUTIONS:
        institution, created = Institution.objects.get_or_create(
            name=name, defaults={"kind": kind, "website": website, "description": description}
        )
        if created:
            institution.logo.save("logo.png", _logo(name, colour), save=True)
            institution.areas.set([areas[code] for code in area_codes if code in areas])
        institutions[name] = institution
        domain = DOMAINS[name]
        if not institution.address:
            Institution.objects.filter(pk=institution.pk).update(
                address=f"{10 + phone} rue des Partenaires\n92000 Val-de-Seine",
                phone=f"+33123450{phone:03d}",
                email=f"accueil@{domain}.example.org",
            )
        for contact_name, role, local in CONTACTS.get(name, []):
            Contact.objects.get_or_create(
                institution=institution,
                name=contact_name,
                defaults={"role": role, "email": f"{local}@{domain}.example.org", "phone": f"+331234567{phone:02d}"},
            )
            phone += 1
    return institutions


def build_agreements(institutions, today):
    for name, title, kind, start, end, stage, hours in AGREEMENTS:
        institution = institutions[name]
        agreement, created = Agreement.objects.get_or_create(
            institution=institution,
            title=title,
            defaults={
                "kind": kind,
                "start_date": today + datetime.timedelta(days=start),
                "end_date": today + datetime.timedelta(days=end),
                "committed_hours": hours,
            },
        )
        if not created or stage == S.DRAFT:
            continue
        # Signed on the day it started: sign it "on that day", then let expiry run as cron would.
        signed_on = agreement.start_date - datetime.timedelta(days=12)
        services.sign_agreement(
            agreement=agreement,
            signature_date=signed_on,
            document=_pdf(f"{title} - {name}"),
            today=signed_on,
        )
    services.expire_agreements(today=today)


def build_secondments(institutions, today):
    User = get_user_model()
    for email, name in SECONDMENTS.items():
        user = User.objects.filter(email=email).first()
        if user and not Secondment.objects.filter(user=user).exists():
            services.second_counsellor(
                user=user, institution=institutions[name], start_date=today - datetime.timedelta(days=300)
            )


@transaction.atomic
def build_groups(institutions, today):
    User = get_user_model()
    staff = {user.email.split("@")[0]: user for user in User.objects.filter(email__endswith="@demo.example.org")}
    needed = {"backoffice", "conseil", "conseil2", "conseil3", "direction"}
    if not needed <= staff.keys():
        return []

    forum, created = WorkingGroup.objects.get_or_create(
        name="Forum de l'alternance",
        defaults={
            "objective": "Organiser avec les partenaires le forum annuel de l'alternance : 40 entreprises, "
            "600 visiteurs, des ateliers CV et entretien animés par les conseillers.",
            "lead": staff["backoffice"],
        },
    )
    if created:
        forum.members.set([staff["backoffice"], staff["conseil"], staff["conseil2"]])
        forum.institutions.set(
            [institutions[n] for n in ("CCI Val-de-Seine", "Chambre de Métiers et de l'Artisanat", "France Travail")]
        )
        forum.documents.create(title="Rétroplanning du forum", link="https://drive.example.org/forum-alternance")
        past = Meeting.objects.create(
            group=forum,
            starts_at=_at(today - datetime.timedelta(days=20), 9, 30),
            ends_at=_at(today - datetime.timedelta(days=20), 11),
            place="Salle Ariane, 1er étage",
            agenda="1. Bilan du forum de l'an dernier\n2. Date et lieu du prochain forum\n3. Répartition des ateliers",
            published_at=_at(today - datetime.timedelta(days=18), 10),
            minutes="Le forum de l'an dernier a accueilli 540 visiteurs et 31 entreprises. Les partenaires "
            "souhaitent davantage d'entreprises de l'artisanat et un espace dédié aux métiers du numérique.",
            decisions="Le forum aura lieu un samedi de mars, dans le hall de la Cité.\n"
            "La CMA mobilise dix entreprises artisanales.\nUn atelier « Réussir son entretien » par heure.",
        )
        Attendance.objects.bulk_create(
            [
                Attendance(meeting=past, user=staff["backoffice"]),
                Attendance(meeting=past, user=staff["conseil"]),
                Attendance(meeting=past, user=staff["conseil2"], status=Attendance.Status.EXCUSED),
                Attendance(meeting=past, contact=Contact.objects.get(name="Fatou Diallo")),
                Attendance(meeting=past, contact=Contact.objects.get(name="Pierre Lambert")),
                Attendance(
                    meeting=past, guest_name="Julie Navarro (lycée des métiers)", status=Attendance.Status.GUEST
                ),
            ]
        )
        Meeting.objects.create(
            group=forum,
            starts_at=_at(today + datetime.timedelta(days=10), 14),
            ends_at=_at(today + datetime.timedelta(days=10), 16),
            place="Salle Ariane, 1er étage",
            agenda="1. Liste des entreprises inscrites\n2. Plan du hall\n3. Communication",
        )
        for description, owner, due, status in [
            ("Envoyer le bilan chiffré du dernier forum aux partenaires", "conseil", -6, Action.Status.OPEN),
            ("Préparer l'atelier « Réussir son entretien »", "conseil", 12, Action.Status.IN_PROGRESS),
            ("Réserver le hall et le mobilier", "backoffice", -2, Action.Status.OPEN),
            ("Relancer les entreprises de l'an dernier", "conseil2", 5, Action.Status.OPEN),
            ("Mettre à jour la page du forum", "backoffice", -10, Action.Status.DONE),
        ]:
            action = services.assign_action(
                group=forum,
                meeting=past,
                description=description,
                owner=staff[owner],
                due_date=today + datetime.timedelta(days=due),
            )
            if status != Action.Status.OPEN:
                services.set_action_status(action=action, status=status, by=staff["backoffice"])

    youth, created = WorkingGroup.objects.get_or_create(
        name="Jeunes sans solution",
        defaults={
            "objective": "Construire un parcours commun d'accueil et d'orientation des jeunes de 16 à 25 ans "
            "sortis de l'école sans diplôme, de leur première visite à une solution.",
            "lead": staff["conseil2"],
        },
    )
    if created:
        youth.members.set([staff["conseil"], staff["conseil2"], staff["conseil3"], staff["direction"]])
        youth.institutions.set(
            [
                institutions[n]
                for n in ("Mission Locale Val-de-Seine", "CIO Val-de-Seine", "Département du Val-de-Seine")
            ]
        )
        past = Meeting.objects.create(
            group=youth,
            starts_at=_at(today - datetime.timedelta(days=35), 14),
            ends_at=_at(today - datetime.timedelta(days=35), 16, 30),
            place="Mission Locale Val-de-Seine, salle 2",
            agenda="1. Chiffres de fréquentation des 16-25 ans\n2. Fiche de liaison entre partenaires\n3. Calendrier",
            published_at=_at(today - datetime.timedelta(days=33), 10),
            minutes="Les 16-25 ans représentent 28 % des visites. Le groupe rédige une fiche de liaison commune "
            "pour qu'un jeune orienté d'un partenaire à l'autre n'ait pas à tout raconter de nouveau.",
            decisions="Une fiche de liaison commune, sans donnée nominative.\nUn point d'étape tous les deux mois.",
        )
        Attendance.objects.bulk_create(
            [
                Attendance(meeting=past, user=staff["conseil2"]),
                Attendance(meeting=past, user=staff["conseil"]),
                Attendance(meeting=past, user=staff["conseil3"]),
                Attendance(meeting=past, user=staff["direction"], status=Attendance.Status.EXCUSED),
                Attendance(meeting=past, contact=Contact.objects.get(name="Mathieu Perrin")),
                Attendance(meeting=past, contact=Contact.objects.get(name="Sandrine Roux")),
            ]
        )
        Meeting.objects.create(
            group=youth,
            starts_at=_at(today + datetime.timedelta(days=21), 10),
            ends_at=_at(today + datetime.timedelta(days=21), 12),
            place="Cité des métiers, salle Curie",
            agenda="1. Relecture de la fiche de liaison\n2. Présentation au comité de pilotage",
        )
        for description, owner, due in [
            ("Rédiger le projet de fiche de liaison", "conseil", -3),
            ("Recenser les dispositifs pour les 16-18 ans (obligation de formation)", "conseil3", 14),
            ("Présenter les chiffres 16-25 ans au comité de pilotage", "direction", 25),
        ]:
            services.assign_action(
                group=youth,
                meeting=past,
                description=description,
                owner=staff[owner],
                due_date=today + datetime.timedelta(days=due),
            )
    return [forum, youth]


@transaction.atomic
def build_projects(groups):
    if not groups:
        return
    forum, youth = groups
    for name, description, group, objectives in [
        (
            "Développer l'alternance sur le territoire",
            "Faire connaître l'apprentissage et le contrat de professionnalisation aux jeunes et aux adultes, "
            "et rapprocher les entreprises qui recrutent en alternance.",
            forum,
            [
                ("Entreprises présentes au forum", 40, 27, "entreprises", 120),
                ("Ateliers alternance animés dans l'année", 12, 5, "ateliers", 250),
            ],
        ),
        (
            "Mieux orienter les jeunes sans solution",
            "Un accueil sans rupture pour les 16-25 ans sans diplôme, partagé par tous les partenaires.",
            youth,
            [
                ("Jeunes de 16 à 25 ans reçus en entretien", 300, 118, "jeunes", 200),
                ("Partenaires utilisant la fiche de liaison", 6, 2, "partenaires", 90),
            ],
        ),
    ]:
        project, created = Project.objects.get_or_create(name=name, defaults={"description": description})
        if not created:
            continue
        project.working_groups.set([group])
        today = timezone.localdate()
        for title, target, progress, unit, days in objectives:
            Objective.objects.create(
                project=project,
                title=title,
                target=target,
                progress=progress,
                unit=unit,
                deadline=today + datetime.timedelta(days=days),
            )


@transaction.atomic
def build_network(today):
    centres = {centre.city: centre for centre in Centre.objects.all()}
    if not {"Paris", "Choisy-le-Roi", "Marseille", "Genève", "Bruxelles", "Porto"} <= centres.keys():
        return
    for mentor, mentee, start, end in [
        ("Paris", "Porto", datetime.date(1997, 9, 1), datetime.date(1999, 6, 30)),
        ("Paris", "Genève", datetime.date(2006, 10, 1), datetime.date(2008, 6, 30)),
        ("Choisy-le-Roi", "Bruxelles", datetime.date(2011, 9, 1), datetime.date(2013, 6, 30)),
        ("Genève", "Bruxelles", datetime.date(2012, 1, 15), None),
    ]:
        MentoringLink.objects.get_or_create(
            mentor=centres[mentor], mentee=centres[mentee], start_date=start, defaults={"end_date": end}
        )

    User = get_user_model()
    people = {user.email: user for user in User.objects.filter(email__endswith="@demo.example.org")}
    next_winter = datetime.date(today.year + (today.month > 2), 2, 3)
    for name, kind, start, days, place, host, emails, description in [
        (
            f"Winter School {next_winter.year}",
            NetworkEvent.Kind.WINTER_SCHOOL,
            next_winter,
            3,
            "Genève",
            "Genève",
            ["backoffice@demo.example.org", "direction@demo.example.org", "conseil@demo.example.org"],
            "Rencontre annuelle du réseau : ateliers de pratiques, visites, chiffres comparés.",
        ),
        (
            f"Winter School {next_winter.year - 1}",
            NetworkEvent.Kind.WINTER_SCHOOL,
            next_winter.replace(year=next_winter.year - 1),
            3,
            "Bruxelles",
            "Bruxelles",
            ["direction@demo.example.org", "conseil2@demo.example.org"],
            "Thème : l'accueil des publics les plus éloignés de l'emploi.",
        ),
        (
            "Séminaire des documentalistes du réseau",
            NetworkEvent.Kind.SEMINAR,
            today + datetime.timedelta(days=40),
            1,
            "Marseille",
            "Marseille",
            ["backoffice@demo.example.org"],
            "Mutualisation des notices et moissonnage OAI-PMH entre Cités.",
        ),
    ]:
        event, created = NetworkEvent.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "starts_on": start,
                "ends_on": start + datetime.timedelta(days=days - 1),
                "place": place,
                "host": centres[host],
                "description": description,
            },
        )
        if created:
            event.participants.set([people[email] for email in emails if email in people])


def build():
    today = timezone.localdate()
    institutions = build_institutions(today)
    build_agreements(institutions, today)
    build_secondments(institutions, today)
    groups = build_groups(institutions, today)
    build_projects(groups)
    build_network(today)
    build_exchanges(institutions, today)


def build_exchanges(institutions, today):
    """A few exchanges with partners, logged by the back office, as the log shows them."""
    User = get_user_model()
    back_office = User.objects.filter(email="backoffice@demo.example.org").first()
    if back_office is None or Exchange.objects.exists():
        return
    for name, kind, days, note, follow_up in EXCHANGES:
        institution = institutions[name]
        services.log_exchange(
            institution=institution,
            kind=kind,
            date=today - datetime.timedelta(days=days),
            note=note,
            follow_up=follow_up,
            follow_up_due=today + datetime.timedelta(days=14) if follow_up else None,
            staff=[back_office],
            contacts=list(institution.contacts.all()[:1]),
            by=back_office,
        )


EXCHANGES = [
    (
        "France Travail",
        Exchange.Kind.MEETING,
        21,
        "Point annuel sur la convention : la permanence du jeudi passe à une journée entière à la rentrée.",
        "Envoyer le projet d'avenant",
    ),
    (
        "France Travail",
        Exchange.Kind.CALL,
        4,
        "Appel au sujet du forum de l'alternance : deux conseillers disponibles le samedi matin.",
        "",
    ),
    (
        "Mission Locale Val-de-Seine",
        Exchange.Kind.EMAIL,
        9,
        "Demande de chiffres de fréquentation des 16-25 ans pour leur rapport d'activité.",
        "Transmettre le tableau du trimestre",
    ),
]
