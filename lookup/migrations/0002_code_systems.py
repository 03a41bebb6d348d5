"""The four code systems the site knows: reference data every import and page needs."""

from django.db import migrations

CODE_SYSTEMS = [
    {
        "slug": "cpt",
        "name": "CPT",
        "full_name": "Current Procedural Terminology",
        "publisher": "American Medical Association",
        "copyright_line": "© Copyright 2026 American Medical Association. All rights reserved.",
        "text_licence": "AMA",
        "aliases": "cpt-4,cpt4",
        "position": 1,
    },
    {
        "slug": "hcpcs",
        "name": "HCPCS Level II",
        "full_name": "Healthcare Common Procedure Coding System, Level II",
        "publisher": "Centers for Medicare & Medicaid Services",
        "copyright_line": "HCPCS Level II is maintained by CMS and is in the public domain.",
        "text_licence": "",
        "aliases": "hcpcs-level-ii,hcpcs-ii,hcpcs2,level-ii",
        "position": 2,
    },
    {
        "slug": "icd-10-cm",
        "name": "ICD-10-CM",
        "full_name": "International Classification of Diseases, Tenth Revision, Clinical Modification",
        "publisher": "CDC National Center for Health Statistics",
        "copyright_line": "ICD-10-CM is published by CDC/NCHS and is in the public domain.",
        "text_licence": "",
        "aliases": "icd10cm,icd10-cm,icd-10cm,icd10",
        "position": 3,
    },
    {
        "slug": "icd-10-pcs",
        "name": "ICD-10-PCS",
        "full_name": "International Classification of Diseases, Tenth Revision, Procedure Coding System",
        "publisher": "Centers for Medicare & Medicaid Services",
        "copyright_line": "ICD-10-PCS is published by CMS and is in the public domain.",
        "text_licence": "",
        "aliases": "icd10pcs,icd10-pcs,icd-10pcs,pcs",
        "position": 4,
    },
]


def create_code_systems(apps, schema_editor):
    CodeSystem = apps.get_model("lookup", "CodeSystem")
    for fields in CODE_SYSTEMS:
        CodeSystem.objects.update_or_create(slug=fields["slug"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("lookup", "0001_initial")]

    operations = [migrations.RunPython(create_code_systems, migrations.RunPython.noop)]
