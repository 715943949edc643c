"""Properties of the principal validator: it accepts exactly what AWS accepts, returns a
canonical list, and meets any other input with InvalidInput naming the principals field."""

import re

from hypothesis import given
from hypothesis import strategies as st

from console.errors import InvalidInput
from privatelink.principals import MAX_PRINCIPALS, clean_principal, clean_principals

PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-"
AWS_PRINCIPAL = re.compile(
    r"^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:(root|user/[\w+=,.@-]{1,64}|role/[\w+=,.@-]{1,64})$",
    re.ASCII,
)
WHITESPACE = st.text(alphabet=" \t\n", max_size=3)


@st.composite
def principals(draw: st.DrawFn, partition: str | None = None) -> str:
    """An IAM principal AWS allows on an endpoint service: account root, user or role."""
    part = partition or draw(st.sampled_from(PARTITIONS))
    account = draw(st.text(alphabet="0123456789", min_size=12, max_size=12))
    kind = draw(st.sampled_from(("root", "user", "role")))
    if kind == "root":
        return f"arn:{part}:iam::{account}:root"
    name = draw(st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=64))
    return f"arn:{part}:iam::{account}:{kind}/{name}"


def _refusal(values: object) -> InvalidInput | None:
    """The error clean_principals answers with, or None when it accepts the list."""
    try:
        clean_principals(values)  # type: ignore[arg-type]
    except InvalidInput as exc:
        return exc
    return None


def _invalid_input(value: object) -> InvalidInput:
    try:
        clean_principal(value)
    except InvalidInput as exc:
        return exc
    raise AssertionError(f"{value!r} was accepted")


@given(principals(), WHITESPACE, WHITESPACE)
def test_every_principal_aws_allows_is_accepted_without_surrounding_space(
    principal: str, before: str, after: str
) -> None:
    assert clean_principal(before + principal + after) == principal


@given(st.text(max_size=120))
def test_any_text_is_accepted_only_when_aws_would_accept_it(text: str) -> None:
    stripped = text.strip()
    aws_accepts = stripped == "*" or bool(AWS_PRINCIPAL.match(stripped))
    if aws_accepts:
        assert clean_principal(text) == stripped
    else:
        error = _invalid_input(text)
        assert error.field == "principals"
        assert error.message


@given(principals(), st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=8))
def test_principal_with_a_path_is_refused_with_a_message_about_the_path(
    principal: str, folder: str
) -> None:
    if principal.endswith(":root"):
        return
    arn_prefix, name = principal.rsplit("/", 1)
    with_path = f"{arn_prefix}/{folder}/{name}"
    error = _invalid_input(with_path)
    assert "path" in error.message
    assert with_path in error.message


@given(
    st.one_of(
        st.none(),
        st.integers(),
        st.floats(allow_nan=False),
        st.booleans(),
        st.binary(),
        st.lists(st.text(max_size=5), max_size=2),
        st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
    )
)
def test_a_principal_that_is_not_text_is_refused_as_input(value: object) -> None:
    assert _invalid_input(value).field == "principals"


@given(st.lists(st.one_of(principals("aws"), st.just("*")), min_size=1, max_size=40), WHITESPACE)
def test_a_list_of_valid_principals_becomes_sorted_distinct_and_within_the_limit(
    given_principals: list[str], padding: str
) -> None:
    distinct = sorted(set(given_principals))
    padded = [padding + p + padding for p in given_principals]
    if len(distinct) > MAX_PRINCIPALS:
        error = _refusal(padded)
        assert error is not None, f"{len(distinct)} principals were accepted"
        assert str(MAX_PRINCIPALS) in error.message
        assert error.field == "principals"
        return
    cleaned = clean_principals(padded)
    assert cleaned == distinct
    assert clean_principals(cleaned) == cleaned


@given(
    st.lists(principals("aws"), min_size=1, max_size=4),
    st.lists(principals("aws-cn"), min_size=1, max_size=4),
)
def test_principals_of_two_partitions_are_refused_naming_both(
    standard: list[str], china: list[str]
) -> None:
    error = _refusal(standard + china)
    assert error is not None, "principals of two partitions were accepted"
    assert "aws" in error.message
    assert "aws-cn" in error.message


@given(
    st.one_of(
        st.none(),
        st.text(max_size=20),
        st.binary(max_size=20),
        st.lists(st.one_of(st.text(max_size=30), st.integers(), st.none()), max_size=20),
    )
)
def test_any_input_list_is_either_a_canonical_list_or_one_clear_error(value: object) -> None:
    error = _refusal(value)
    if error is not None:
        assert error.field == "principals"
        assert error.message
    else:
        cleaned = clean_principals(value)  # type: ignore[arg-type]
        assert 1 <= len(cleaned) <= MAX_PRINCIPALS
        assert cleaned == sorted(set(cleaned))
        assert all(p == "*" or AWS_PRINCIPAL.match(p) for p in cleaned)


@given(
    principals("aws"),
    st.characters(min_codepoint=0x80, categories=("L", "N")),
)
def test_a_principal_with_a_letter_or_digit_outside_ascii_is_refused(
    principal: str, foreign: str
) -> None:
    # AWS allows only ASCII in account ids and IAM names; Python's \w and \d allow more.
    if principal.endswith(":root"):
        prefix, account_and_root = principal.split("::", 1)
        altered = f"{prefix}::{foreign}{account_and_root[1:]}"
    else:
        altered = principal + foreign
    assert _invalid_input(altered).field == "principals"
