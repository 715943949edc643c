"""PrivateLink endpoints of the JSON API."""
