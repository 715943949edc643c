"""Command line: `python -m fakeazure serve` and `python -m fakeazure customer ...`."""

from __future__ import annotations

import argparse
import sys

from azure.core.exceptions import AzureError

from fakeazure.addresses import HOST, cert_dir_from_environment, default_endpoint_url
from fakeazure.tls import CERT_NAME


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fakeazure", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="run the fake Azure server")
    serve_parser.add_argument("--host", default=HOST)
    serve_parser.add_argument(
        "--port", type=int, default=None, help="default: $FAKEAZURE_PORT, else 5056"
    )

    customer_parser = commands.add_parser("customer", help="act as a customer subscription")
    customer_parser.add_argument(
        "--endpoint-url", default=None, help="default: https://127.0.0.1:$FAKEAZURE_PORT"
    )
    customer_parser.add_argument(
        "--certificate",
        default=None,
        help="the fake's certificate; default: $FAKEAZURE_CERT_DIR/cert.pem, else var/fakeazure/",
    )
    actions = customer_parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser(
        "create-endpoint", help="create a private endpoint asking a private link service"
    )
    create.add_argument("--resource", required=True, help="the service's alias or resource id")
    create.add_argument("--name", default=None, help="the endpoint's name (default: generated)")
    listing = actions.add_parser("list-endpoints", help="list the subscription's endpoints")
    delete = actions.add_parser("delete-endpoint", help="delete a private endpoint")
    delete.add_argument("--endpoint-id", required=True, help="the endpoint's resource id")
    for action in (create, listing, delete):
        action.add_argument("--subscription-id", required=True, help="the customer's subscription")

    args = parser.parse_args(argv)
    if args.command == "serve":
        from fakeazure.server import serve

        serve(args.host, args.port)
        return 0
    return run_customer(args)


def run_customer(args: argparse.Namespace) -> int:
    from fakeazure.customer import Customer  # the SDK loads only for the customer

    certificate = args.certificate or cert_dir_from_environment() / CERT_NAME
    try:
        customer = Customer(
            args.subscription_id, args.endpoint_url or default_endpoint_url(), certificate
        )
        if args.action == "create-endpoint":
            endpoint = customer.create_endpoint(args.resource, args.name)
            print(endpoint.id)
            return 0
        if args.action == "delete-endpoint":
            customer.delete_endpoint(args.endpoint_id)
            return 0
        for item in customer.list_endpoints():
            print(f"{item.id}\t{item.status}\t{item.ip_address}")
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except AzureError as error:
        print(f"error: {_first_line(error)}", file=sys.stderr)
        return 1
    return 0


def _first_line(error: AzureError) -> str:
    return str(error.message).splitlines()[0] if error.message else type(error).__name__


if __name__ == "__main__":
    sys.exit(main())
