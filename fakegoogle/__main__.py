"""Command line: `python -m fakegoogle serve` and `python -m fakegoogle customer ...`."""

from __future__ import annotations

import argparse
import sys

from fakegoogle.addresses import HOST, default_endpoint_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fakegoogle", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="run the fake Google server")
    serve_parser.add_argument("--host", default=HOST)
    serve_parser.add_argument(
        "--port", type=int, default=None, help="default: $FAKEGOOGLE_PORT, else 5057"
    )

    customer_parser = commands.add_parser("customer", help="act as a customer project")
    customer_parser.add_argument(
        "--endpoint-url", default=None, help="default: http://127.0.0.1:$FAKEGOOGLE_PORT"
    )
    actions = customer_parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser(
        "create-endpoint", help="create a PSC endpoint asking a service attachment"
    )
    create.add_argument(
        "--service-attachment",
        required=True,
        help="projects/<p>/regions/<r>/serviceAttachments/<name>",
    )
    create.add_argument("--name", default=None, help="the endpoint's name (default: generated)")
    listing = actions.add_parser("list-endpoints", help="list the project's PSC endpoints")
    delete = actions.add_parser("delete-endpoint", help="delete a PSC endpoint")
    delete.add_argument("--region", required=True)
    delete.add_argument("--name", required=True, help="the endpoint's name")
    for action in (create, listing, delete):
        action.add_argument("--project", required=True, help="the customer's project")

    args = parser.parse_args(argv)
    if args.command == "serve":
        from fakegoogle.server import serve

        serve(args.host, args.port)
        return 0
    return run_customer(args)


def run_customer(args: argparse.Namespace) -> int:
    # The SDK loads only for the customer.
    from google.api_core.exceptions import GoogleAPIError

    from fakegoogle.customer import Customer

    try:
        customer = Customer(args.project, args.endpoint_url or default_endpoint_url())
        if args.action == "create-endpoint":
            endpoint = customer.create_endpoint(args.service_attachment, args.name)
            print(endpoint.psc_connection_id)
            return 0
        if args.action == "delete-endpoint":
            customer.delete_endpoint(args.region, args.name)
            return 0
        for item in customer.list_endpoints():
            print(
                f"{item.region}/{item.name}\t{item.psc_connection_id}\t{item.status}\t"
                f"{item.ip_address}"
            )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except GoogleAPIError as error:
        print(f"error: {_reason(error)}", file=sys.stderr)
        return 1
    return 0


def _reason(error: Exception) -> str:
    """Google's own message, without the method and URL the SDK puts before it."""
    details = getattr(error, "errors", None) or []
    if details and isinstance(details[0], dict) and details[0].get("message"):
        return str(details[0]["message"])
    return str(getattr(error, "message", error))


if __name__ == "__main__":
    sys.exit(main())
