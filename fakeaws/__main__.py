"""Command line: `python -m fakeaws serve` and `python -m fakeaws customer ...`."""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

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
    reach = actions.add_parser(
        "reach",
        help="tell, per zone of an endpoint, whether a client there reaches a healthy target",
    )
    reach.add_argument("--endpoint-id", required=True)
    reach.add_argument("--host", required=True, help="the name the client connects to")
    reach.add_argument("--port", required=True, type=int)
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
    if args.action == "reach":
        return run_reach(args)
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


def run_reach(args: argparse.Namespace) -> int:
    """Print one line per zone of the endpoint; exit 0 only when every zone reaches."""
    query = urllib.parse.urlencode(
        {"endpoint_id": args.endpoint_id, "host": args.host, "port": args.port}
    )
    server = args.endpoint_url or fake_aws_url()
    url = f"{server}/fakeaws/reach?{query}"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - the fake's URL
            zones = json.loads(response.read())["zones"]
    except urllib.error.HTTPError as error:
        print(f"error: {json.loads(error.read()).get('error', error)}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError) as error:
        print(
            f"error: fake AWS at {url.split('/fakeaws/')[0]} unreachable: {error}", file=sys.stderr
        )
        return 1
    if not zones:
        print(f"error: {args.endpoint_id} has no subnet", file=sys.stderr)
        return 1
    for zone in zones:
        verdict = "reachable" if zone["reachable"] else "unreachable"
        print(f"{zone['zone_id']}\t{zone['zone']}\t{verdict}\t{zone['reason']}")
    return 0 if all(zone["reachable"] for zone in zones) else 1


if __name__ == "__main__":
    sys.exit(main())
