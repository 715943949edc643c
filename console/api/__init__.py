"""The JSON API of the platform inventory, compatible with the platform's public API."""
