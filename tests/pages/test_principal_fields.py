"""The principal form fields: what a person typed becomes the principals the actions take,
and a refusal reads as the actions word it."""

import pytest
from django import forms

from privatelink.forms import PrincipalField, PrincipalsField

ROLE = "arn:aws:iam::012345678901:role/app"
USER = "arn:aws:iam::012345678901:user/ci"


def test_one_principal_is_stripped():
    assert PrincipalField().clean(f"  {ROLE} ") == ROLE


def test_one_malformed_principal_is_refused_in_the_actions_words():
    with pytest.raises(forms.ValidationError) as refused:
        PrincipalField().clean("arn:aws:iam::012345678901:role/path/app")
    assert "has a path" in refused.value.messages[0]


def test_a_list_is_read_one_principal_per_line_sorted_without_blank_lines():
    assert PrincipalsField().clean(f"{USER}\n\n  {ROLE}\n{USER}\n") == [ROLE, USER]


def test_an_empty_optional_list_is_refused_by_the_principals_check():
    with pytest.raises(forms.ValidationError) as refused:
        PrincipalsField(required=False).clean("  \n ")
    assert refused.value.messages == ["Allow at least one principal."]


def test_a_list_shows_one_principal_per_line():
    assert PrincipalsField().prepare_value([ROLE, USER]) == f"{ROLE}\n{USER}"


def test_a_reordered_list_has_not_changed_and_a_new_or_bad_one_has():
    field = PrincipalsField()
    assert not field.has_changed([ROLE, USER], f"{USER}\n{ROLE}")
    assert field.has_changed([ROLE], f"{ROLE}\n{USER}")
    assert field.has_changed([ROLE], "nobody")
