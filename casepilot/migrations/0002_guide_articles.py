"""The first guide articles, written by CodeAhead in our own words (staff edit them in the admin)."""

from __future__ import annotations

from django.db import migrations

ARTICLES = [
    {
        "slug": "em-code-selection",
        "title": "E/M code selection basics",
        "keywords": "e/m, e&m, evaluation and management, em services, e/m services, office visit, "
        "medical decision making, mdm, new patient, established patient, visit level, level of service",
        "summary": "An office or outpatient evaluation and management (E/M) visit is levelled by one of two "
        "measures: the medical decision making (MDM) the visit needed, or the clinician's total time on "
        "the date of the visit. Pick whichever the documentation supports better.",
        "body": """Medical decision making has three parts: the problems addressed at the visit (how many and how serious), the data reviewed or ordered (tests, records, an independent historian, a discussion with another clinician), and the risk of the management chosen (from over-the-counter advice up to a decision about hospital care). The level is the one that at least two of the three parts reach.

Time counts everything the billing clinician personally did for this patient on the date of the visit, face to face or not: reviewing results, examining, counselling, ordering, documenting. It does not count separately reported services or time spent by clinical staff. Each level has a minimum number of minutes.

History and examination are still documented as medically appropriate, but they no longer decide the level of an office visit.

A patient is new when neither the clinician nor anyone of the same specialty in the same group has given them a face-to-face professional service in the past three years; otherwise the patient is established, and the established-patient codes apply (for example CPT 99213 for low and 99214 for moderate decision making).

Check the payer's own rules: Medicare and many insurers follow these principles, but add-on codes for prolonged time and complexity differ between payers.""",
    },
    {
        "slug": "seventh-characters-and-x-placeholder",
        "title": "7th characters and the X placeholder",
        "keywords": "7th character, seventh character, 7th digit, seventh digit, placeholder, x placeholder, "
        "dummy x, initial encounter, subsequent encounter, sequela, extension",
        "summary": "Some ICD-10-CM categories (injuries, fractures, poisonings, some obstetric and "
        "musculoskeletal codes) need a 7th character, such as A for the initial encounter. When the code "
        "has fewer than six characters, the letter X fills the empty places so that the 7th character "
        "always sits in the seventh position.",
        "body": """The tabular list says when a 7th character is required, in a note at the category or subcategory, and lists the values that apply there. The nearest list wins: a subcategory may allow fewer values than its category.

For injuries the usual values are A (initial encounter: the patient is receiving active treatment), D (subsequent encounter: routine care during healing or recovery) and S (sequela: a late effect of the injury, coded after the condition the injury left behind). Fracture categories add values for open fractures and for delayed healing, nonunion and malunion.

A code that needs a 7th character is not valid without it. For example S52.521 (torus fracture of lower end of right radius) is not billable; S52.521A, the initial encounter for the closed fracture, is.

When the code before the 7th character is shorter than six characters, put X in each empty place: a five-character poisoning code takes one X and then the 7th character. The X carries no meaning of its own; it only holds the place. Some codes also use X as a placeholder for future expansion even without a 7th character.

"Active treatment" is about the care given, not about who gives it: a patient seen by a new doctor for the same fracture is still coded with the subsequent-encounter character once active treatment is over.""",
    },
    {
        "slug": "excludes1-vs-excludes2",
        "title": "Excludes1 vs Excludes2",
        "keywords": "excludes1, excludes 1, excludes2, excludes 2, excludes note, coded together, "
        "code together, together with, same time, both codes",
        "summary": "An Excludes1 note means \"not coded here\": the two conditions cannot be reported "
        "together, because one cannot occur with the other or one already includes it. An Excludes2 note "
        "means \"not included here\": the other condition is coded elsewhere, and both codes may be "
        "reported together when the patient has both.",
        "body": """Excludes notes sit at chapter, section, category or code level and apply to every code beneath the place they are written. When you check two codes, read the notes of each code and of every level above it.

Excludes1 is a hard stop: pick the code that fits the record, not both. The tabular list makes rare exceptions when the two conditions are clearly unrelated to each other; the official guidelines describe them.

Excludes2 is a pointer: the excluded condition is not part of this code, so if the patient also has it, add its own code.

CasePilot answers these questions from the notes loaded for each code, and says which note, at which level, links the two codes. When no note links them, that is said too: it means the notes do not forbid the pair, not that a payer's edits allow it.""",
    },
    {
        "slug": "code-first-use-additional-code",
        "title": "Code first and use additional code",
        "keywords": "code first, use additional code, additional code, sequencing, etiology, manifestation, "
        "code also, which code first, primary diagnosis order, order of codes",
        "summary": "A \"code first\" note says another condition must be listed before this code; a "
        "\"use additional code\" note says a second code should follow this one to complete the picture. "
        "Together they set the order of codes that describe one condition.",
        "body": """The classic pair is an underlying cause (etiology) and what it causes in a part of the body (manifestation). The manifestation code carries a "code first" note pointing to the cause; the cause carries a "use additional code" note pointing to the manifestation.

"Use additional code" notes also ask for details the first code cannot hold: the stage of a chronic kidney disease, the long-term drug a diabetic patient takes, a tobacco exposure with hypertension.

"Code also" is softer: two codes may be needed, and their order depends on the reason for the encounter.

Manifestation codes, often titled "in diseases classified elsewhere", are never listed first.""",
    },
    {
        "slug": "modifier-25",
        "title": "Modifier 25: a separate E/M service on the day of a procedure",
        "keywords": "modifier 25, -25, mod 25, significant separately identifiable, e/m with procedure, "
        "same day procedure",
        "summary": "Modifier 25 goes on an E/M code when, on the same day as a procedure or another "
        "service, the clinician also did a significant, separately identifiable evaluation beyond the "
        "usual care that comes with that procedure.",
        "body": """Every procedure includes a short assessment before it and the usual care after it. That work is part of the procedure's payment and needs no E/M code.

When the record shows more, for example a new problem worked up at the same visit, or a decision about the patient's other conditions, the E/M code may be reported with modifier 25. The E/M's own documentation should stand on its own without the procedure note.

The diagnoses need not differ, but a separate reason for the visit makes the case clearer.

Modifier 25 belongs on the E/M code, never on the procedure code. A decision for major surgery the day before or the day of the operation uses modifier 57 instead.""",
    },
    {
        "slug": "modifier-59-and-x-epsu",
        "title": "Modifier 59 and the X{EPSU} modifiers",
        "keywords": "modifier 59, -59, mod 59, distinct procedural service, xe, xp, xs, xu, x{epsu}, xepsu, "
        "ncci, unbundling, bypass an edit, separate encounter, separate structure, separate practitioner, "
        "unusual non-overlapping",
        "summary": "Modifier 59 says that two services a payer would normally bundle were in fact "
        "distinct: a different session, site, organ or incision. CMS's more specific X modifiers say "
        "which: XE separate encounter, XS separate structure, XP separate practitioner, XU unusual "
        "non-overlapping service.",
        "body": """NCCI procedure-to-procedure edits pair codes that usually are not reported together. Some of those edits allow a modifier to show that, this time, both services were separate; modifier 59 and the X modifiers are the main ones.

Use the most specific modifier: many payers prefer an X modifier to 59, and some require it. Use 59 only when no more specific modifier (such as a side, RT or LT, or a finger or toe) describes the difference.

The modifier belongs on the column-two code of the pair, and the record must show why the services were distinct. A modifier added only to get paid is unbundling.

Modifier 59 is not used with E/M codes: for a separate E/M on the day of a procedure see modifier 25.""",
    },
    {
        "slug": "professional-and-technical-components",
        "title": "Professional and technical components (modifiers 26 and TC)",
        "keywords": "modifier 26, modifier tc, 26, tc, professional component, technical component, "
        "professional and technical components, professional and technical, components, "
        "global service, pc/tc, interpretation, split billing, radiology component",
        "summary": "Many diagnostic tests have two parts: the professional component (the physician's "
        "supervision and interpretation, modifier 26) and the technical component (staff, equipment and "
        "supplies, modifier TC). Whoever provides both bills the code without a modifier; when they are "
        "split, each side bills its part.",
        "body": """The Medicare fee schedule's PC/TC indicator says whether a code may be split. Indicator 1 codes have separate rows for 26 and TC, and the two parts add up to the global payment. CasePilot reads this indicator for each code and says whether 26 or TC applies.

Codes that are only professional (an interpretation-only code) or only technical, and ordinary physician services such as office visits, take neither modifier.

A typical split: a hospital owns the equipment and bills the technical component, while the radiologist who reads the study bills the professional component with modifier 26.""",
    },
    {
        "slug": "global-surgery-days",
        "title": "Global surgery days",
        "keywords": "global surgery, global period, global days, postoperative period, post-op, "
        "000, 010, 090, zzz, xxx, modifier 24, modifier 78, modifier 79, modifier 58, modifier 57",
        "summary": "A surgical code's payment covers a package of care: the usual visits before and after "
        "the operation within its global period of 0, 10 or 90 days. The fee schedule gives each code's "
        "period; visits inside it for the usual recovery are not billed separately.",
        "body": """A 0-day period covers the day of the procedure; a 10-day period adds the ten days after it; a 90-day period (major surgery) covers the day before, the day of surgery and ninety days after. ZZZ marks an add-on code that falls inside its primary procedure's period, and XXX a code to which the concept does not apply.

Care outside the package can still be billed, with the modifier that says why: 24 for an unrelated E/M during the postoperative period, 57 for the visit at which the decision for major surgery was made, 58 for a planned or more extensive staged procedure, 78 for an unplanned return to the operating room for a related problem, and 79 for an unrelated procedure.

When surgeons share the care, modifiers 54 (surgery only), 55 (postoperative care only) and 56 (preoperative care only) split the payment by the shares the fee schedule lists.""",
    },
    {
        "slug": "bilateral-procedures",
        "title": "Bilateral procedures (modifier 50)",
        "keywords": "bilateral, both sides, modifier 50, -50, mod 50, left and right, rt and lt, rt, lt, "
        "both knees, both eyes",
        "summary": "When a procedure is done on both sides of the body at the same session, the fee "
        "schedule's bilateral indicator says how to report it and how it is paid: indicator 1 means "
        "modifier 50 and 150% of the single payment; 2 means the code already covers both sides; 3 means "
        "each side is paid in full; 0 and 9 mean no bilateral payment.",
        "body": """Report bilateral work with modifier 50 on one line, or with RT and LT on two lines, as the payer asks; Medicare generally takes one line with 50 and one unit.

If the code's description already says "bilateral" or "one or both sides", the bilateral indicator is 2 and modifier 50 adds nothing.

Radiology and other diagnostic tests are usually indicator 3: each side is billed and paid separately, typically with RT and LT.

CasePilot reads each code's bilateral indicator from the fee schedule we load and says whether modifier 50 applies.""",
    },
    {
        "slug": "surgical-team-modifiers",
        "title": "Multiple procedures, co-surgeons, team surgery and assistants",
        "keywords": "modifier 51, modifier 62, modifier 66, modifier 80, modifier 81, modifier 82, modifier as, "
        "multiple procedures, co-surgeon, co-surgery, team surgery, assistant surgeon, assistant at surgery",
        "summary": "The fee schedule's indicators say how Medicare pays when several procedures are done "
        "together (modifier 51), when two surgeons share one operation (62), when a team does it (66), and "
        "whether an assistant at surgery is paid (80, 81, 82 for physicians, AS for non-physician "
        "practitioners).",
        "body": """Multiple procedures: under the standard rule the highest-paid procedure is paid in full and each further one at half; endoscopies in the same family and some imaging and therapy services have their own reductions.

Co-surgeons: each of two surgeons of different specialties performs a distinct part of one procedure and bills it with modifier 62; each is paid a share of the single payment. The indicator says whether that is allowed, needs documentation, or is not permitted.

Team surgery (66) is for complex operations done by a team of more than two surgeons, paid by report.

Assistants: 80 for an assistant surgeon, 81 for a minimal assistant, 82 when no qualified resident was available (in teaching hospitals), AS for a physician assistant, nurse practitioner or clinical nurse specialist assisting. The assistant-at-surgery indicator says whether Medicare pays an assistant for the code.""",
    },
]


def create_articles(apps, schema_editor):
    GuideArticle = apps.get_model("casepilot", "GuideArticle")
    for article in ARTICLES:
        GuideArticle.objects.update_or_create(slug=article["slug"], defaults=article)


def remove_articles(apps, schema_editor):
    GuideArticle = apps.get_model("casepilot", "GuideArticle")
    GuideArticle.objects.filter(slug__in=[a["slug"] for a in ARTICLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("casepilot", "0001_initial")]

    operations = [migrations.RunPython(create_articles, remove_articles)]
