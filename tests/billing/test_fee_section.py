from __future__ import annotations

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from billing.sections import fee_schedule_section
from lookup import sections
from lookup.models import Code
from tests.factories import make_account

pytestmark = pytest.mark.usefixtures("fee_schedules")


def section_html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="fee-schedule"')
    return html[start : html.index("</section>", start)]


def test_a_guest_sees_the_locked_block_and_none_of_the_data(client):
    html = client.get("/cpt/77307/").content.decode()

    assert "Medicare Physician Fee Schedule (locked)" in html
    assert "Create a free account to unlock this content" in html
    assert 'id="fee-schedule"' not in html
    for secret in ["$283.36", "283.36", "32.3465", "8.76", "Professional component"]:
        assert secret not in html


def test_an_unverified_account_sees_the_locked_block_too(client):
    client.force_login(make_account("new@example.com", verified=False))

    html = client.get("/cpt/77307/").content.decode()

    assert "Medicare Physician Fee Schedule (locked)" in html
    assert "283.36" not in html


def test_a_guest_cannot_unlock_it_with_query_parameters(client):
    html = client.get("/cpt/77307/?year=2024&locality=01182-18").content.decode()

    assert "282.26" not in html and "321.30" not in html


@pytest.mark.usefixtures("member")
def test_a_member_sees_national_payments_split_and_change(client):
    html = section_html(client, "/cpt/77307/")

    assert "Medicare Physician Fee Schedule" in html
    assert "$283.36" in html  # global, 8.76 x 32.3465
    assert "$149.44" in html and "$133.91" in html  # 26 and TC
    assert "Professional component (26)" in html and "Technical component (TC)" in html
    # 2024 -> 2025: $282.26 -> $283.36 is +$1.10
    assert "Change from 2024" in html and "+$1.10" in html and "from $282.26" in html
    assert "8.76 × 32.3465 = 283.35534" in html
    assert "Diagnostic test with a professional part (modifier 26)" in html  # PC/TC indicator 1


@pytest.mark.usefixtures("member")
def test_the_year_selector_is_a_plain_link(client):
    html = section_html(client, "/cpt/77307/")
    assert 'href="?year=2024#fee-schedule"' in html

    earlier = section_html(client, "/cpt/77307/?year=2024")

    assert "National payment, CY2024" in earlier
    assert "$282.26" in earlier and "$283.36" not in earlier


@pytest.mark.usefixtures("member")
def test_a_locality_shows_the_adjusted_payment_and_the_formula(client):
    html = section_html(client, "/cpt/77307/?year=2025&locality=01182-18")

    assert "$321.30" in html  # 9.93296 adjusted RVUs x 32.3465
    assert (
        "Payment = [(work RVU × work GPCI) + (PE RVU × PE GPCI) + (MP RVU × MP GPCI)] × conversion factor"
        in html
    )
    assert "[(2.90 × 1.042) + (5.69 × 1.194) + (0.17 × 0.690)] × 32.3465" in html
    assert '<option value="01182-18" selected>' in html


@pytest.mark.usefixtures("member")
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?year=1999", "No 1999 fee schedule for 77307; showing 2025."),
        ("?year=abc", "No abc fee schedule for 77307; showing 2025."),
        ("?year=%3Cscript%3E", "No &lt;script&gt; fee schedule"),
        ("?year=%C2%B2", "No ² fee schedule"),  # a digit to str.isdigit(), not to int()
        ("?locality=99999-99", "No Medicare locality 99999-99 in 2025; showing national amounts."),
        ("?locality=%3Cb%3E", "No Medicare locality that value in 2025"),
        ("?year=2024&locality=" + "9" * 500, "No Medicare locality that value in 2024"),
    ],
)
def test_bad_year_or_locality_is_ignored_with_a_message(client, query, message):
    html = section_html(client, "/cpt/77307/" + query)

    assert message in html
    assert "<script>" not in html


@pytest.mark.usefixtures("member")
def test_a_code_known_only_from_the_fee_schedule_has_a_page(client):
    response = client.get("/cpt/93000/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "The official descriptor requires an AMA licence." in html
    assert "$13.91" in html  # 0.43 total RVUs x 32.3465 = 13.908995
    assert "Global-test-only code" in html  # PC/TC indicator 4


def test_a_code_known_only_from_the_fee_schedule_is_found_by_number(client):
    response = client.get("/search", {"q": "93005"})

    assert "/cpt/93005/" in response.content.decode()


@pytest.mark.usefixtures("member")
def test_hcpcs_pages_have_the_section_too(client):
    html = section_html(client, "/hcpcs/G0439/")

    assert "$126.47" in html  # 3.91 x 32.3465 = 126.474815


@pytest.mark.usefixtures("member")
def test_surgery_shows_its_global_period_and_surgery_indicators(client):
    html = section_html(client, "/cpt/27447/")

    assert "90-day global" in html
    assert "0.10 / 0.69 / 0.21" in html
    assert "150% bilateral payment applies" in html
    assert "An assistant at surgery may be paid." in html


@pytest.mark.usefixtures("member")
def test_a_drug_excluded_from_the_schedule_says_so_once_and_points_to_asp(client):
    html = section_html(client, "/hcpcs/J1100/")

    assert "Status E: no payment under the physician fee schedule." in html
    assert "excludes this code from the physician fee schedule" in html
    assert "ASP pricing files" in html
    # Not a page of zeros and "does not apply" rules.
    assert "$0.00" not in html and "0.00" not in html
    assert "Relative value units" not in html and "Payment rules" not in html
    assert "concept does not apply" not in html and 'name="locality"' not in html


@pytest.mark.usefixtures("member")
@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/hcpcs/A0428/", "another fee schedule prices it (ambulance"),  # X: statutory exclusion
        ("/cpt/0001F/", "Medicare does not accept this code"),  # I: not valid for Medicare
        ("/hcpcs/D0120/", "only in narrow cases"),  # R without RVUs: a dental code
    ],
)
def test_other_unpaid_codes_explain_their_status_without_drug_pricing(client, path, words):
    html = section_html(client, path)

    assert words in html
    assert "ASP pricing files" not in html and "$0.00" not in html


@pytest.mark.usefixtures("member")
def test_na_replaces_the_amount_and_money_sits_in_number_cells(client):
    html = section_html(client, "/hcpcs/G0439/")  # facility NA in the file

    row = html[html.index('<th scope="row">G0439') : html.index("</tr>", html.index('<th scope="row">G0439'))]
    cells = row.split("<td")[1:3]
    assert 'class="num">$126.47' in cells[0]
    assert ">NA</abbr>" in cells[1] and "$" not in cells[1]


@pytest.mark.usefixtures("member")
def test_icd_pages_have_no_fee_schedule(client):
    html = client.get("/icd-10-cm/E11.9/").content.decode()

    assert 'id="fee-schedule"' not in html


def test_the_section_costs_three_queries_whatever_the_localities(django_assert_num_queries):
    code = Code.objects.select_related("system").get(system__slug="cpt", key="77307")

    with django_assert_num_queries(3):
        section = fee_schedule_section(code=code, params=QueryDict("year=2024&locality=01182-18"))

    # Los Angeles 2024 GPCIs 1.042 / 1.194 / 0.690, CF 32.7442; 77307 RVUs from PPRRVU24:
    # global (2.90, 5.56, 0.16): 3.0218 + 6.63864 + 0.1104 = 9.77084 x 32.7442 = 319.938339 -> 319.94
    # 26 (2.90, 1.51, 0.12): 3.0218 + 1.80294 + 0.0828 = 4.90754 x 32.7442 = 160.693471 -> 160.69
    # TC (0.00, 4.05, 0.04): 0 + 4.8357 + 0.0276 = 4.8633 x 32.7442 = 159.244868 -> 159.24
    assert [(line.item.modifier, str(line.local_nonfacility)) for line in section.lines] == [
        ("", "319.94"),
        ("26", "160.69"),
        ("TC", "159.24"),
    ]


@pytest.mark.usefixtures("member")
def test_the_section_adds_three_queries_to_the_code_page(client, monkeypatch):
    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured.captured_queries)

    path = "/cpt/77307/?year=2024&locality=01182-18"
    client.get(path)  # first view of the code: the quota records it
    with_section = queries(path)
    monkeypatch.delitem(sections._registry, "fee-schedule")
    without_section = queries(path)

    # The template reads only what the three queries fetched: no query per row or locality.
    assert with_section - without_section == 3
