"""The console's forms. Each carries its CSRF token (Flask-WTF) and validates its own input."""

from __future__ import annotations

from typing import TypeVar

from flask import abort
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import DateTimeLocalField, HiddenField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, Optional

MAX_URL_LIST_CHARS = 2_000_000
F = TypeVar("F", bound=FlaskForm)


class SignInForm(FlaskForm):
    secret = PasswordField("Password or token", validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A button that changes something (retry, cancel, sign out...): only the token."""


class SubmitForm(FlaskForm):
    urls = TextAreaField("URLs, one a line", validators=[Optional(), Length(max=MAX_URL_LIST_CHARS)])
    sitemap = StringField("Sitemap or site URL", validators=[Optional(), URL(require_tld=False)])
    uploads = MultipleFileField("HTML files, a .zip of them, or a WARC")
    base_url = StringField("Base URL for uploaded files without a canonical link",
                           validators=[Optional(), URL(require_tld=False)])


class ReindexForm(FlaskForm):
    mode = RadioField("Kind", validators=[DataRequired()],
                      choices=[SelectChoice("reclean", "Reclean"), SelectChoice("migrate", "Migrate")])


class RulesForm(FlaskForm):
    rules = TextAreaField("Rules (TOML)", validators=[Length(max=1_000_000)])


class PreviewForm(FlaskForm):
    url = StringField("Page URL", validators=[Optional(), URL(require_tld=False)])
    page = FileField("or a saved page")


class TakedownForm(FlaskForm):
    url = StringField("URL", validators=[DataRequired(), URL(require_tld=False)])
    reason = StringField("Reason", validators=[DataRequired(), Length(max=500)])



class _Edit(FlaskForm):
    """What every curation edit carries: who made it (for the audit trail; the console has one
    shared password, so it cannot know), after the gate warned the editor's confirmation, and
    the version of the rule the editor opened (an edit replaces that one, or is refused)."""

    editor = StringField("Your name, for the audit trail", validators=[Optional(), Length(max=100)])
    confirm = HiddenField()
    version = HiddenField()


class DeleteForm(_Edit):
    """Deleting a rule: gated like a save, and refused if the rule changed since it was opened."""


class BestBetForm(_Edit):
    query = StringField("Query", validators=[DataRequired(), Length(max=200)])
    match = RadioField("Applies to", default="exact", validators=[DataRequired()],
                       choices=[SelectChoice("exact", "this query exactly"),
                                SelectChoice("contains", "every query containing these words")])
    pins = TextAreaField("Pin: one a line, position then the article's URL (1 https://…)",
                         validators=[Optional(), Length(max=20_000)])
    hidden = TextAreaField("Hide: one article URL a line", validators=[Optional(), Length(max=20_000)])
    starts = DateTimeLocalField("From (UTC)", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    ends = DateTimeLocalField("Until (UTC, not included)", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    note = StringField("Note", validators=[Optional(), Length(max=500)])


class SynonymForm(_Edit):
    rule = StringField("Rule", validators=[DataRequired(), Length(max=500)])
    note = StringField("Note", validators=[Optional(), Length(max=500)])
    q = StringField("Preview on the query", validators=[Optional(), Length(max=1000)])


class JudgmentsForm(FlaskForm):
    """The grades themselves are ``grade-<n>`` fields beside ``url-<n>``, one per result shown."""

    q = HiddenField(validators=[DataRequired(), Length(max=1000)])
    editor = StringField("Your name, for the audit trail", validators=[Optional(), Length(max=100)])

def submitted(form: F, message: str = "The form was incomplete; reload the page and try again.") -> F:
    """The form, validated; a 400 with ``message`` when it is not."""
    if not form.validate_on_submit():
        abort(400, message)
    return form
