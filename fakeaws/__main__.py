"""Command line: `python -m fakeaws serve` and `python -m fakeaws customer ...`."""

from __future__ import annotations

import argparse
import sys

from botocore.exceptions import BotoCoreError, ClientError

from fakeaws.addresses import HOST
from fakeaws.customer import Customer, checkout_environment, fake_aws_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fakeaws", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="run the fake AWS server")
    serve_parser.add_argument("--host", default=HOST)
    serve_parser.add_argument(
        "--port", type=int, default=None, help="default: $FAKEAWS_PORT, else 5055"
    )

    customer_parser = commands.add_parser("customer", help="act as a customer account")
    customer_parser.add_argument(
        "--endpoint-url",
        default=None,
        help="default: http://127.0.0.1:$FAKEAWS_PORT, else the port of AWS_ENDPOINT_URL "
        "(set, or in the checkout's .env), else 5055",
    )
    customer_parser.add_argument(
        "--region", default=checkout_environment().get("AWS_DEFAULT_REGION", "eu-west-1")
    )
    actions = customer_parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create-endpoint", help="create an Interface endpoint")
    create.add_argument("--service-name", required=True)
    delete = actions.add_parser("delete-endpoint", help="delete an endpoint")
    delete.add_argument("--endpoint-id", required=True)
    listing = actions.add_parser("list-endpoints", help="list the account's Interface endpoints")
    for action in (create, delete, listing):
        action.add_argument("--account", required=True, help="12-digit customer account id")
        action.add_argument(
            "--principal",
            default=None,
            help="IAM ARN the customer acts as (user, role or root; default: the account root)",
        )

    args = parser.parse_args(argv)
    if args.command == "serve":
        from fakeaws.server import serve  # moto loads only for the server

        serve(args.host, args.port)
        return 0
    return run_customer(args)


def run_customer(args: argparse.Namespace) -> int:
    principal = args.principal or f"arn:aws:iam::{args.account}:root"
    try:
        customer = Customer(
            args.account, principal, args.endpoint_url or fake_aws_url(), args.region
        )
        if args.action == "create-endpoint":
            endpoints = [customer.create_endpoint(args.service_name)]
        elif args.action == "delete-endpoint":
            customer.delete_endpoint(args.endpoint_id)
            endpoints = [customer.describe_endpoint(args.endpoint_id)]
        else:
            endpoints = customer.list_endpoints()
    except (ValueError, RuntimeError, ClientError, BotoCoreError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for endpoint in endpoints:
        print(f"{endpoint.id}\t{endpoint.state}\t{endpoint.dns_name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
