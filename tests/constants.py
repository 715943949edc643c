"""AWS identities the tests use as customers: one place for each account and principal."""

from pathlib import Path

# The customer of most tests: the account whose role the PrivateLink allows.
CUSTOMER_ACCOUNT = "111122223333"
CUSTOMER_ROLE = f"arn:aws:iam::{CUSTOMER_ACCOUNT}:role/app"
# A second role of the same account, so a connection stays covered when one role goes.
SAME_ACCOUNT_ROLE = f"arn:aws:iam::{CUSTOMER_ACCOUNT}:role/batch"
# A role of another account, whose removal cuts that account's connections.
OTHER_ACCOUNT_ROLE = "arn:aws:iam::444455556666:role/ops"

# The account and user of the platform's PrivateLink documentation examples.
EXAMPLE_ACCOUNT = "012345678901"
EXAMPLE_USER = f"arn:aws:iam::{EXAMPLE_ACCOUNT}:user/mwf"
EXAMPLE_OTHER_ACCOUNT = "210987654321"

# The password of every user the tests make.
PASSWORD = "correct horse battery staple"
# The browser tests' stack: a project owner, a read-only member and an outsider.
OWNER = "owner@example.com"
VIEWER = "viewer@example.com"
OUTSIDER = "outsider@example.com"

# The repository's root, where manage.py and the Makefile are.
BASE_DIR = Path(__file__).resolve().parents[1]

# The header htmx sends with each of its requests, as Django's test client takes it.
HTMX = {"HTTP_HX_REQUEST": "true"}
