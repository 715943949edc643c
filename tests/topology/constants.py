"""Names the topology's processes are set up with and the test logs in with."""

ADMIN_EMAIL = "admin@topology.example.com"
ADMIN_PASSWORD = "topology-admin-password-1"
REGION = "eu-west-1"
