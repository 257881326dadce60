"""The demo library: the ESCO reference (the shared files when present, else a small set) and about forty
records in French and English, in the three visibilities, a few harvested from sister centres."""

import csv
import io
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from cite.models import Area, Centre
from resources.esco import import_esco
from resources.harvest import Harvested, take_record
from resources.models import IscoGroup, Occupation, Record
from resources.services import create_record

NAMESPACE = uuid.UUID("6f1c1f0e-2b7a-4f0e-9d3c-8a1e5c0b7d21")
ESCO_DIR = Path(settings.BASE_DIR).parent / "shared" / "data" / "esco"
OCCUPATION = "http://data.europa.eu/esco/occupation/"

# A small reference for when ESCO's files are not there: (code, English, French).
DEMO_GROUPS = [
    ("2", "Professionals", "Professions intellectuelles et scientifiques"),
    ("21", "Science and engineering professionals", "Spécialistes des sciences techniques"),
    ("216", "Architects, planners, surveyors and designers", "Architectes, urbanistes, géomètres et concepteurs"),
    ("2166", "Graphic and multimedia designers", "Concepteurs graphiques, multimédia – graphistes"),
    ("22", "Health professionals", "Spécialistes de la santé"),
    ("222", "Nursing and midwifery professionals", "Cadres infirmiers et sages-femmes"),
    ("2221", "Nursing professionals", "Cadres infirmiers"),
    ("24", "Business and administration professionals", "Spécialistes en administration d’entreprises"),
    ("241", "Finance professionals", "Spécialistes en finances"),
    ("2411", "Accountants", "Cadres comptables"),
    ("242", "Administration professionals", "Spécialistes des fonctions administratives"),
    ("2423", "Personnel and careers professionals", "Spécialistes, ressources humaines et évolution de carrière"),
    ("25", "Information and communications technology professionals", "Spécialistes des TIC"),
    ("251", "Software and applications developers and analysts", "Concepteurs et analystes de logiciels"),
    ("2512", "Software developers", "Concepteurs de logiciels"),
    ("2513", "Web and multimedia developers", "Concepteurs de sites internet et de multimédia"),
    ("3", "Technicians and associate professionals", "Professions intermédiaires"),
    ("34", "Legal, social, cultural and related associate professionals", "Professions intermédiaires du social"),
    ("341", "Legal, social and religious associate professionals", "Professions intermédiaires du travail social"),
    ("3412", "Social work associate professionals", "Professions intermédiaires du travail social"),
    ("5", "Service and sales workers", "Personnel des services directs aux particuliers, commerçants et vendeurs"),
    ("51", "Personal service workers", "Personnel des services directs aux particuliers"),
    ("512", "Cooks", "Cuisiniers"),
    ("5120", "Cooks", "Cuisiniers"),
    ("513", "Waiters and bartenders", "Serveurs et barmen"),
    ("5131", "Waiters", "Serveurs"),
    ("7", "Craft and related trades workers", "Métiers qualifiés de l’industrie et de l’artisanat"),
    ("71", "Building and related trades workers, excluding electricians", "Métiers qualifiés du bâtiment"),
    ("712", "Building finishers and related trades workers", "Métiers qualifiés du bâtiment (finitions)"),
    ("7126", "Plumbers and pipe fitters", "Plombiers et tuyauteurs"),
    ("74", "Electrical and electronic trades workers", "Métiers de l’électricité et de l’électrotechnique"),
    ("741", "Electrical equipment installers and repairers", "Installateurs et réparateurs, équipements électriques"),
    ("7411", "Building and related electricians", "Électriciens du bâtiment et assimilés"),
    (
        "75",
        "Food processing, wood working, garment and other craft workers",
        "Métiers de l’alimentation et de l’artisanat",
    ),
    ("751", "Food processing and related trades workers", "Métiers qualifiés de l’alimentation et assimilés"),
    ("7512", "Bakers, pastry-cooks and confectionery makers", "Boulangers, pâtissiers et confiseurs"),
]
# (ESCO id, ISCO unit group, English, French, English alternatives, French alternatives)
DEMO_OCCUPATIONS = [
    (
        "ed3cf43d-c2c1-4c46-82fc-1375e27e0290",
        "7126",
        "plumber",
        "plombier/plombière",
        ["gas fitter"],
        ["plombier sanitaire"],
    ),
    (
        "8d3e8aaa-791b-4c75-a465-f3f827028f50",
        "2221",
        "nurse responsible for general care",
        "infirmier de soins généraux/infirmière de soins généraux",
        ["practice nurse"],
        ["infirmier en soins généraux"],
    ),
    ("1aadb308-432a-4d01-b54b-b4f7f76dd419", "7512", "baker", "boulanger/boulangère", ["bread baker"], ["fournier"]),
    (
        "c40a2919-48a9-40ea-b506-1f34f693496d",
        "2513",
        "web developer",
        "développeur web/développeuse web",
        ["web engineer"],
        ["développeur Internet"],
    ),
    (
        "5d0cc30d-068a-424c-8463-f42872a7149e",
        "2423",
        "career guidance advisor",
        "conseiller d'orientation/conseillère d'orientation",
        ["careers officer", "career coach"],
        ["conseillère d'orientation professionnelle"],
    ),
    (
        "e4112a88-973f-4c7a-97f5-2241e6b6833f",
        "2423",
        "employment and vocational integration consultant",
        "chargé de bilan de compétence/chargée de bilan de compétence",
        ["vocational counsellor"],
        ["conseiller en insertion professionnelle", "conseiller en recherche d'emploi"],
    ),
    (
        "4910419f-b4af-4f59-b544-9dbebc8a74f0",
        "7411",
        "electrician",
        "électricien/électricienne",
        ["electrical worker"],
        [],
    ),
    ("90f75f67-495d-49fa-ab57-2f320e251d7e", "5120", "cook", "cuisinier/cuisinière", ["food cook"], ["chef de partie"]),
    ("eda0d957-3c3c-4139-b89a-a18bc9e18897", "2411", "accountant", "comptable", ["bookkeeper"], []),
    (
        "f4525ed8-54eb-4a3b-90db-55cc01b0d9fd",
        "3412",
        "care at home worker",
        "assistant de vie dépendance/assistante de vie dépendance",
        ["home care assistant"],
        ["aide à domicile"],
    ),
    (
        "f2b15a0e-e65a-438a-affb-29b9d50b77d1",
        "2512",
        "software developer",
        "développeur de logiciels/développeuse de logiciels",
        ["programmer"],
        ["développeur applications"],
    ),
    (
        "69bcbb0a-8d80-4ecd-b0a4-9adea2a40de2",
        "2166",
        "graphic designer",
        "graphiste",
        ["graphic design expert"],
        ["designer graphiste"],
    ),
    (
        "d5db9d5c-2ebf-4a54-a79a-1b7e7ff70471",
        "5131",
        "waiter/waitress",
        "serveur/serveuse",
        ["waiting staff"],
        ["serveur en restauration"],
    ),
]
PLUMBER, NURSE, BAKER, WEB, GUIDANCE, INTEGRATION, ELECTRICIAN, COOK, ACCOUNTANT, CARE, SOFTWARE, GRAPHIC, WAITER = (
    row[0] for row in DEMO_OCCUPATIONS
)

# (key, title, kind, language, areas, audiences, occupations, groups, visibility, extra fields)
RECORDS = [
    (
        "fiche-plombier",
        "Plombier / plombière : la fiche métier",
        "occupation-sheet",
        "fr",
        ["choose-path", "find-training"],
        ["young-people", "job-seekers"],
        [PLUMBER],
        [],
        "public",
        {
            "description": "Installer et réparer les canalisations d'eau et de gaz, poser les sanitaires, "
            "entretenir les "
            "chauffe-eau. Accès par le CAP monteur en installations sanitaires ou le BP, en apprentissage le "
            "plus souvent. "
            "Un métier qui recrute partout, avec de réelles possibilités de créer son entreprise.",
            "creator": "Onisep",
            "publisher": "Onisep",
            "date": "2024-03",
            "keywords": ["bâtiment", "apprentissage", "CAP"],
            "rights": "Licence ouverte 2.0",
            "url": "https://www.onisep.fr/",
            "cover": True,
        },
    ),
    (
        "fiche-infirmier",
        "Infirmier, infirmière : le métier, les études, les concours",
        "occupation-sheet",
        "fr",
        ["choose-path", "find-training"],
        ["young-people"],
        [NURSE],
        [],
        "public",
        {
            "description": "Soins techniques, accompagnement des patients, travail en équipe à l'hôpital, en "
            "clinique ou à "
            "domicile. Trois ans d'études en institut de formation en soins infirmiers (IFSI), accessible par "
            "Parcoursup "
            "ou par la formation professionnelle continue pour les adultes en reconversion.",
            "creator": "Onisep",
            "date": "2023-11",
            "keywords": ["santé", "Parcoursup", "IFSI"],
            "cover": True,
        },
    ),
    (
        "fiche-boulanger",
        "Boulanger, boulangère",
        "occupation-sheet",
        "fr",
        ["choose-path"],
        ["young-people", "job-seekers"],
        [BAKER],
        [],
        "public",
        {
            "description": "Pétrir, façonner, cuire : le boulanger fabrique le pain et les viennoiseries, "
            "souvent de nuit. "
            "CAP boulanger en un ou deux ans, puis brevet professionnel pour s'installer.",
            "creator": "Chambre de métiers et de l'artisanat",
            "date": "2022",
            "keywords": ["artisanat", "alimentation"],
        },
    ),
    (
        "fiche-developpeur-web",
        "Développeur web, développeuse web",
        "occupation-sheet",
        "fr",
        ["choose-path", "change-career"],
        ["young-people", "employees"],
        [WEB, SOFTWARE],
        [],
        "public",
        {
            "description": "Concevoir et programmer des sites et des applications web. Formations de bac+2 à "
            "bac+5, mais "
            "aussi des formations courtes et intensives pour les adultes en reconversion.",
            "creator": "APEC",
            "date": "2024-01",
            "keywords": ["numérique", "reconversion", "informatique"],
            "cover": True,
        },
    ),
    (
        "fiche-conseiller-insertion",
        "Conseiller en insertion professionnelle, conseillère en insertion professionnelle",
        "occupation-sheet",
        "fr",
        ["choose-path"],
        ["counsellors", "job-seekers"],
        [INTEGRATION],
        [],
        "public",
        {
            "description": "Accompagner des personnes éloignées de l'emploi : diagnostic, projet "
            "professionnel, lien avec "
            "les entreprises. Titre professionnel CIP de niveau bac+2, accessible en formation continue.",
            "creator": "France Travail",
            "date": "2023-06",
            "keywords": ["accompagnement", "social", "titre professionnel"],
        },
    ),
    (
        "fiche-electricien",
        "Électricien, électricienne du bâtiment",
        "occupation-sheet",
        "fr",
        ["choose-path", "find-job"],
        ["young-people", "job-seekers"],
        [ELECTRICIAN],
        [],
        "public",
        {
            "description": "Installer les réseaux électriques des logements et des bureaux, poser les équipements, "
            "vérifier la sécurité. Une filière qui évolue avec la domotique et les énergies renouvelables.",
            "creator": "Onisep",
            "date": "2024-02",
            "keywords": ["bâtiment", "énergie"],
        },
    ),
    (
        "fiche-cuisinier",
        "Cuisinier, cuisinière",
        "occupation-sheet",
        "fr",
        ["choose-path", "find-job"],
        ["young-people", "job-seekers"],
        [COOK],
        [],
        "network",
        {
            "description": "Préparer les plats, gérer les stocks, respecter l'hygiène. Du CAP cuisine au BTS "
            "management en hôtellerie-restauration ; nombreuses offres saisonnières.",
            "creator": "Onisep",
            "date": "2023-09",
            "keywords": ["restauration", "hôtellerie", "saisonnier"],
        },
    ),
    (
        "fiche-comptable",
        "Comptable",
        "occupation-sheet",
        "fr",
        ["choose-path"],
        ["young-people", "employees"],
        [ACCOUNTANT],
        [],
        "public",
        {
            "description": "Enregistrer les opérations, établir les bilans, conseiller la direction. BTS "
            "comptabilité et "
            "gestion, DCG puis DSCG pour évoluer vers l'expertise comptable.",
            "creator": "APEC",
            "date": "2022-10",
            "keywords": ["gestion", "finance"],
        },
    ),
    (
        "fiche-aide-domicile",
        "Assistant de vie aux familles, assistante de vie aux familles",
        "occupation-sheet",
        "fr",
        ["choose-path", "find-job", "change-career"],
        ["job-seekers", "employees"],
        [CARE],
        [],
        "public",
        {
            "description": "Aider des personnes âgées ou en situation de handicap dans les gestes du quotidien, à leur "
            "domicile. Titre professionnel ADVF ; un secteur qui recrute fortement.",
            "creator": "France Travail",
            "date": "2024-04",
            "keywords": ["aide à domicile", "services à la personne"],
        },
    ),
    (
        "fiche-graphiste",
        "Graphiste",
        "occupation-sheet",
        "fr",
        ["choose-path"],
        ["young-people"],
        [GRAPHIC],
        [],
        "public",
        {
            "description": "Créer l'identité visuelle d'une marque, mettre en page, illustrer. DN MADE, BTS ou écoles "
            "d'arts appliqués ; beaucoup de graphistes travaillent en indépendants.",
            "creator": "Onisep",
            "date": "2023-05",
            "keywords": ["design", "création", "indépendant"],
        },
    ),
    (
        "guide-cv",
        "Réussir son CV et sa lettre de motivation",
        "guide",
        "fr",
        ["find-job"],
        ["job-seekers", "young-people"],
        [],
        [],
        "public",
        {
            "description": "Un guide pas à pas pour présenter son parcours, valoriser ses compétences et adapter sa "
            "candidature à chaque offre, avec des exemples commentés de CV et de lettres.",
            "creator": "Cité des métiers",
            "publisher": "Cité des métiers",
            "date": "2024-09",
            "keywords": ["CV", "lettre de motivation", "candidature"],
            "rights": "CC BY 4.0",
            "cover": True,
            "pdf": True,
        },
    ),
    (
        "guide-entretien",
        "Préparer un entretien d'embauche",
        "guide",
        "fr",
        ["find-job"],
        ["job-seekers"],
        [],
        [],
        "public",
        {
            "description": "Se renseigner sur l'entreprise, préparer ses réponses aux questions difficiles, poser les "
            "bonnes questions : la méthode des conseillers de la Cité.",
            "creator": "Cité des métiers",
            "date": "2024-09",
            "keywords": ["entretien", "recrutement"],
            "cover": True,
        },
    ),
    (
        "guide-vae",
        "La validation des acquis de l'expérience (VAE) en cinq étapes",
        "guide",
        "fr",
        ["find-training", "change-career"],
        ["employees", "job-seekers"],
        [],
        [],
        "public",
        {
            "description": "Obtenir un diplôme grâce à son expérience : recevabilité, accompagnement, dossier, jury. "
            "Ce que dit la réforme de 2023 et où se faire aider.",
            "creator": "France VAE",
            "date": "2024-01",
            "keywords": ["VAE", "certification", "diplôme"],
        },
    ),
    (
        "guide-cpf",
        "Utiliser son compte personnel de formation",
        "guide",
        "fr",
        ["find-training", "change-career"],
        ["employees", "job-seekers"],
        [],
        [],
        "public",
        {
            "description": "Consulter ses droits, choisir une formation certifiante, éviter les arnaques au CPF.",
            "creator": "Caisse des dépôts",
            "date": "2024-05",
            "keywords": ["CPF", "financement", "formation"],
            "url": "https://www.moncompteformation.gouv.fr/",
        },
    ),
    (
        "guide-creation",
        "Créer son entreprise : les premières démarches",
        "guide",
        "fr",
        ["start-business"],
        ["job-seekers", "employees"],
        [],
        [],
        "public",
        {
            "description": "De l'idée au projet : étude de marché, statut juridique, financement, aides à la création "
            "pour les demandeurs d'emploi (ARCE, ACRE).",
            "creator": "BPI France Création",
            "date": "2023-12",
            "keywords": ["création d'entreprise", "micro-entreprise"],
        },
    ),
    (
        "guide-micro",
        "Micro-entrepreneur : le guide pratique",
        "guide",
        "fr",
        ["start-business"],
        ["job-seekers"],
        [],
        [],
        "network",
        {
            "description": "Déclarer son activité, facturer, payer ses cotisations : tout ce qu'il faut savoir sur le "
            "régime de la micro-entreprise.",
            "creator": "URSSAF",
            "date": "2024-02",
            "keywords": ["micro-entreprise", "URSSAF"],
        },
    ),
    (
        "guide-reconversion",
        "Changer de métier à 40 ans : témoignages et conseils",
        "guide",
        "fr",
        ["change-career"],
        ["employees"],
        [],
        [],
        "public",
        {
            "description": "Huit adultes racontent leur reconversion : bilan de compétences, formation, "
            "premiers pas dans "
            "le nouveau métier. Avec les conseils des conseillers en évolution professionnelle.",
            "creator": "Centre Inffo",
            "date": "2023-04",
            "keywords": ["reconversion", "bilan de compétences", "CEP"],
        },
    ),
    (
        "guide-apprentissage",
        "L'apprentissage, mode d'emploi",
        "guide",
        "fr",
        ["find-training"],
        ["young-people", "employers"],
        [],
        [],
        "public",
        {
            "description": "Trouver un employeur, signer un contrat, être rémunéré pendant sa formation : "
            "l'apprentissage "
            "expliqué aux jeunes et aux entreprises.",
            "creator": "Ministère du Travail",
            "date": "2024-06",
            "keywords": ["apprentissage", "alternance", "contrat"],
        },
    ),
    (
        "guide-international",
        "Travailler en Europe : les démarches",
        "guide",
        "fr",
        ["work-abroad"],
        ["job-seekers", "young-people"],
        [],
        [],
        "public",
        {
            "description": "Chercher un emploi dans un autre pays de l'Union, faire reconnaître ses diplômes, "
            "garder sa "
            "protection sociale. Avec les adresses du réseau EURES.",
            "creator": "EURES",
            "date": "2023-10",
            "keywords": ["Europe", "mobilité", "EURES"],
            "coverage": "Union européenne",
        },
    ),
    (
        "video-metiers-batiment",
        "Les métiers du bâtiment en vidéo",
        "video",
        "fr",
        ["choose-path"],
        ["young-people"],
        [PLUMBER, ELECTRICIAN],
        ["71"],
        "public",
        {
            "description": "Six professionnels présentent leur quotidien sur un chantier : plombière, "
            "électricien, maçon, "
            "couvreur, peintre, menuisier.",
            "creator": "Fédération du bâtiment",
            "date": "2023-03",
            "url": "https://www.example.org/videos/batiment",
            "format": "video/mp4",
            "keywords": ["bâtiment", "témoignages"],
        },
    ),
    (
        "video-infirmiere",
        "Une journée avec une infirmière de nuit",
        "video",
        "fr",
        ["choose-path"],
        ["young-people"],
        [NURSE],
        [],
        "public",
        {
            "description": "Reportage de douze minutes dans un service de médecine d'un hôpital public.",
            "creator": "Cité des métiers",
            "date": "2024-10",
            "url": "https://www.example.org/videos/infirmiere",
            "keywords": ["santé", "hôpital"],
        },
    ),
    (
        "video-pitch",
        "Se présenter en deux minutes (le pitch)",
        "video",
        "fr",
        ["find-job"],
        ["job-seekers"],
        [],
        [],
        "network",
        {
            "description": "Atelier filmé : construire et répéter sa présentation pour un forum ou un job dating.",
            "creator": "Cité des métiers",
            "date": "2024-05",
            "keywords": ["pitch", "job dating"],
        },
    ),
    (
        "site-orientation",
        "Le portail national de l'orientation",
        "website",
        "fr",
        ["choose-path", "find-training"],
        ["young-people", "counsellors"],
        [],
        [],
        "public",
        {
            "description": "Fiches métiers, formations et établissements ; un service de conseil en ligne par tchat.",
            "publisher": "Onisep",
            "url": "https://www.onisep.fr/",
            "keywords": ["orientation", "formations"],
        },
    ),
    (
        "site-emploi-store",
        "Trouver des offres d'emploi et d'alternance",
        "website",
        "fr",
        ["find-job"],
        ["job-seekers", "young-people"],
        [],
        [],
        "public",
        {
            "description": "Le site du service public de l'emploi : offres, simulateurs, ateliers en ligne.",
            "publisher": "France Travail",
            "url": "https://www.francetravail.fr/",
            "keywords": ["offres d'emploi"],
        },
    ),
    (
        "methode-atelier-cv",
        "Animer un atelier CV en groupe",
        "method",
        "fr",
        ["find-job"],
        ["counsellors"],
        [],
        [],
        "network",
        {
            "description": "Déroulé d'un atelier de deux heures pour huit à douze personnes, avec les supports à "
            "imprimer et la grille d'évaluation.",
            "creator": "Cité des métiers",
            "date": "2024-02",
            "keywords": ["atelier", "animation", "CV"],
        },
    ),
    (
        "methode-accueil",
        "Accueillir sans rendez-vous : la méthode de la Cité",
        "method",
        "fr",
        ["choose-path", "find-job", "find-training", "change-career", "start-business"],
        ["counsellors"],
        [],
        [],
        "internal",
        {
            "description": "Les principes de l'accueil anonyme et gratuit, l'orientation vers les pôles, l'entretien "
            "court. Document interne de formation des nouveaux conseillers.",
            "creator": "Direction de la Cité",
            "date": "2024-01",
            "keywords": ["accueil", "entretien", "formation interne"],
        },
    ),
    (
        "methode-bilan",
        "Outils pour un premier entretien d'orientation",
        "method",
        "fr",
        ["choose-path"],
        ["counsellors"],
        [GUIDANCE],
        [],
        "internal",
        {
            "description": "Questionnaire d'intérêts, cartes métiers et trame d'entretien pour les conseillers "
            "d'orientation.",
            "creator": "Pôle orientation",
            "date": "2023-09",
            "keywords": ["orientation", "outils"],
        },
    ),
    (
        "annuaire-formations",
        "Annuaire des formations qualifiantes de la région",
        "training-directory",
        "fr",
        ["find-training"],
        ["job-seekers", "counsellors"],
        [],
        [],
        "public",
        {
            "description": "Toutes les formations financées par la Région pour les demandeurs d'emploi, par secteur.",
            "publisher": "Carif-Oref",
            "date": "2024-08",
            "coverage": "Île-de-France",
            "keywords": ["formation", "Région"],
        },
    ),
    (
        "annuaire-alternance",
        "Où se former en alternance : annuaire des CFA",
        "training-directory",
        "fr",
        ["find-training"],
        ["young-people"],
        [],
        [],
        "public",
        {
            "description": "Les centres de formation d'apprentis par métier et par département.",
            "publisher": "Carif-Oref",
            "date": "2024-07",
            "keywords": ["CFA", "alternance"],
        },
    ),
    (
        "forum-emploi",
        "Forum emploi et recrutement : programme et liste des entreprises",
        "event-material",
        "fr",
        ["find-job"],
        ["job-seekers"],
        [COOK, WAITER],
        ["5"],
        "public",
        {
            "description": "Quarante entreprises de l'hôtellerie, de la restauration et des services recrutent lors du "
            "forum de printemps de la Cité.",
            "creator": "Cité des métiers",
            "date": "2025-03",
            "keywords": ["forum", "recrutement", "hôtellerie"],
        },
    ),
    (
        "etude-metiers-tension",
        "Les métiers en tension en 2024",
        "study",
        "fr",
        ["find-job", "change-career"],
        ["counsellors", "employers"],
        [NURSE, CARE, COOK],
        [],
        "network",
        {
            "description": "Analyse des difficultés de recrutement par métier et par région, d'après l'enquête "
            "Besoins en "
            "main-d'œuvre.",
            "creator": "DARES",
            "date": "2024-11",
            "keywords": ["marché du travail", "recrutement"],
        },
    ),
    (
        "en-career-guide",
        "Choosing a career: a guide for young people",
        "guide",
        "en",
        ["choose-path"],
        ["young-people"],
        [GUIDANCE],
        [],
        "public",
        {
            "description": "How to explore your interests, discover occupations and talk with careers counsellors. "
            "Includes worksheets for a first guidance interview.",
            "creator": "Careers Service",
            "date": "2023",
            "keywords": ["careers", "guidance"],
            "cover": True,
        },
    ),
    (
        "en-cv-guide",
        "Writing a CV that gets you an interview",
        "guide",
        "en",
        ["find-job"],
        ["job-seekers"],
        [],
        [],
        "public",
        {
            "description": "Practical advice for job seekers: structure, skills, wording, and common mistakes.",
            "creator": "National Careers Service",
            "date": "2024-02",
            "keywords": ["CV", "applications"],
        },
    ),
    (
        "en-software-sheet",
        "Software developer: occupation profile",
        "occupation-sheet",
        "en",
        ["choose-path"],
        ["young-people", "employees"],
        [SOFTWARE],
        [],
        "public",
        {
            "description": "What software developers do, the skills employers ask for, and the training routes, from "
            "apprenticeships to degrees and bootcamps.",
            "creator": "National Careers Service",
            "date": "2024-03",
            "keywords": ["programming", "digital"],
        },
    ),
    (
        "en-counsellors-toolkit",
        "Toolkit for employment counsellors",
        "method",
        "en",
        ["find-job", "change-career"],
        ["counsellors"],
        [INTEGRATION],
        ["2423"],
        "network",
        {
            "description": "Interview techniques, labour market information and referral practices for counsellors "
            "working with adults changing careers.",
            "creator": "Cedefop",
            "date": "2023-05",
            "keywords": ["counselling", "adult guidance"],
            "rights": "CC BY 4.0",
        },
    ),
    (
        "en-working-abroad",
        "Working abroad: video testimonies",
        "video",
        "en",
        ["work-abroad"],
        ["young-people"],
        [],
        [],
        "public",
        {
            "description": "Young Europeans tell how they found a job or an apprenticeship in another country.",
            "creator": "EURES",
            "date": "2022",
            "url": "https://www.example.org/videos/abroad",
            "keywords": ["mobility"],
        },
    ),
]

# Records harvested from sister centres: (centre name, key, title, kind, language, areas, audiences, occupations,
# visibility, description)
SISTER_RECORDS = [
    (
        "Cité des métiers de Genève",
        "ge-apprentissage",
        "L'apprentissage en Suisse romande",
        "guide",
        "fr",
        ["find-training"],
        ["young-people"],
        [],
        "public",
        "Le système dual suisse expliqué aux jeunes et aux parents : CFC, AFP, maturité professionnelle.",
    ),
    (
        "Cité des métiers de Genève",
        "ge-boulanger",
        "Boulanger-pâtissier-confiseur CFC",
        "occupation-sheet",
        "fr",
        ["choose-path"],
        ["young-people"],
        [BAKER],
        "network",
        "Fiche métier genevoise : formation en trois ans, entreprises formatrices, salaires d'apprentis.",
    ),
    (
        "Cité des métiers de Bruxelles",
        "bx-recherche-emploi",
        "Chercher un emploi à Bruxelles",
        "website",
        "fr",
        ["find-job"],
        ["job-seekers"],
        [],
        "public",
        "Les services d'Actiris, les offres d'emploi et les ateliers de recherche d'emploi de la région bruxelloise.",
    ),
    (
        "Cidade das Profissões",
        "pt-web-developer",
        "Programador web: perfil profissional",
        "occupation-sheet",
        "pt",
        ["choose-path"],
        ["young-people"],
        [WEB],
        "network",
        "O que faz um programador web, as competências pedidas e as formações disponíveis em Portugal.",
    ),
]


def build():
    """Idempotent: the reference is imported by URI, records are created once (fixed identifiers)."""
    if ESCO_DIR.is_dir():
        import_esco(directory=ESCO_DIR)
    elif not Occupation.objects.exists():
        import_esco(directory=_write_demo_reference())
    create_records()
    create_sister_records()


def _write_demo_reference():
    folder = Path(tempfile.mkdtemp(prefix="cite-esco-demo-"))
    for language, column in (("en", 1), ("fr", 2)):
        with open(folder / f"ISCOGroups_{language}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["conceptType", "conceptUri", "code", "preferredLabel", "altLabels", "description"])
            for row in DEMO_GROUPS:
                writer.writerow(
                    ["ISCOGroup", f"http://data.europa.eu/esco/isco/C{row[0]}", row[0], row[column], "", ""]
                )
        with open(folder / f"occupations_{language}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description"])
            for esco_id, code, english, french, alt_en, alt_fr in DEMO_OCCUPATIONS:
                label, alternatives = (english, alt_en) if language == "en" else (french, alt_fr)
                writer.writerow(["Occupation", OCCUPATION + esco_id, code, label, "\n".join(alternatives), ""])
    return folder


KIND_COLOURS = {
    "occupation-sheet": "#1d4f73",
    "guide": "#1e6b3a",
    "video": "#a2261e",
    "method": "#6a3d9a",
    "website": "#0b6b73",
}


def _cover(title, kind, *, pdf=False):
    """A simple cover: the kind's colour and the title, as a PNG (or as a one-page PDF)."""
    image = Image.new("RGB", (600, 820), KIND_COLOURS.get(kind, "#8a4b08"))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 560, 780), outline="white", width=6)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 44)
    except OSError:
        font = ImageFont.load_default(size=44)
    words, lines, line = title.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > 460 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    y = 140
    for text in lines[:9]:
        draw.text((70, y), text, fill="white", font=font)
        y += 60
    output = io.BytesIO()
    image.save(output, "PDF" if pdf else "PNG")
    return output.getvalue()


@transaction.atomic
def create_records():
    areas = {area.code: area for area in Area.objects.all()}
    occupations = {occupation.uri: occupation for occupation in Occupation.objects.all()}
    groups = {group.code: group for group in IscoGroup.objects.all()}
    for key, title, kind, language, area_codes, audiences, occupation_ids, group_codes, visibility, extra in RECORDS:
        record_uuid = uuid.uuid5(NAMESPACE, key)
        if Record.all_objects.filter(uuid=record_uuid).exists():
            continue
        extra = dict(extra)
        cover, pdf = extra.pop("cover", False), extra.pop("pdf", False)
        files = []
        if cover:
            data = _cover(title, kind, pdf=pdf)
            name = f"{key}.pdf" if pdf else f"{key}.png"
            files.append(SimpleUploadedFile(name, data, "application/pdf" if pdf else "image/png"))
        create_record(
            data={
                "uuid": record_uuid,
                "title": title,
                "kind": kind,
                "language": language,
                "visibility": visibility,
                "audiences": audiences,
                "areas": [areas[code] for code in area_codes if code in areas],
                "occupations": [
                    occupations[OCCUPATION + esco] for esco in occupation_ids if OCCUPATION + esco in occupations
                ],
                "isco_groups": [groups[code] for code in group_codes if code in groups],
                **extra,
            },
            files=files,
        )


def create_sister_records():
    """Records as the harvester would have taken them in from the sister centres' providers."""
    areas = dict(Area.objects.values_list("code", "pk"))
    lookups = {
        "areas": areas,
        "occupations": dict(Occupation.objects.values_list("uri", "pk")),
        "groups": dict(IscoGroup.objects.values_list("uri", "pk")),
    }
    for (
        centre_name,
        key,
        title,
        kind,
        language,
        area_codes,
        audiences,
        occupation_ids,
        visibility,
        description,
    ) in SISTER_RECORDS:
        centre = Centre.objects.filter(name=centre_name).first()
        if centre is None:
            continue
        host = centre.oai_base_url.split("/")[2] if centre.oai_base_url else "example.org"
        harvested = Harvested(
            identifier=f"oai:{host}:{uuid.uuid5(NAMESPACE, key)}",
            datestamp="2025-01-15T10:00:00Z",
            deleted=False,
            set_specs=[f"kind:{kind}", f"visibility:{visibility}"]
            + [f"theme:{code}" for code in area_codes]
            + [f"audience:{audience}" for audience in audiences],
            dc={
                "title": [title],
                "description": [description],
                "language": [language],
                "publisher": [centre_name],
                "subject": [OCCUPATION + esco for esco in occupation_ids],
                "identifier": [f"{centre.website or 'https://example.org/'}ressources/{key}"],
            },
        )
        take_record(centre=centre, harvested=harvested, lookups=lookups)
