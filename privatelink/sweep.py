"""The periodic sweep (placeholder until written)."""


def sweep() -> None:
    return None
