"""codeahead.emails: an email is a template triplet, sent as text with an HTML alternative."""

from __future__ import annotations

import pytest

from codeahead import emails


@pytest.fixture
def email_templates(tmp_path, settings):
    """A `notice` email in a templates folder of its own, searched before the project's."""
    folder = tmp_path / "emails" / "notice"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text("\n  Your answer about {{ code }} is ready  \n\n")
    (folder / "body.txt").write_text("Hello {{ name }},\nread it at {{ SITE_URL }}/answers/1/\n")
    (folder / "body.html").write_text(
        "<p>Hello {{ name }}, read it <a href='{{ SITE_URL }}/answers/1/'>here</a>.</p>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    return folder


def test_render_gives_a_one_line_subject_and_both_bodies(email_templates, settings):
    subject, text, html = emails.render("notice", {"code": "E11.9", "name": "Ann <b>"})

    assert subject == "Your answer about E11.9 is ready"
    assert text == f"Hello Ann <b>,\nread it at {settings.SITE_URL}/answers/1/\n"  # plain text: not escaped
    assert "<p>Hello Ann &lt;b&gt;, read it" in html  # the HTML body escapes what it is given


def test_send_delivers_a_multipart_message(email_templates, mailoutbox, settings):
    emails.send(
        "notice",
        to=["ann@example.org"],
        context={"code": "J1100", "name": "Ann"},
        reply_to=["help@example.org"],
    )

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ann@example.org"] and message.reply_to == ["help@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "Your answer about J1100 is ready"
    assert message.body.startswith("Hello Ann,")
    assert message.alternatives[0][1] == "text/html" and "<a href=" in message.alternatives[0][0]


def test_a_missing_email_is_an_error_not_a_blank_message(email_templates, mailoutbox):
    from django.template import TemplateDoesNotExist

    with pytest.raises(TemplateDoesNotExist):
        emails.send("no-such-email", to=["ann@example.org"], context={})
    assert mailoutbox == []
