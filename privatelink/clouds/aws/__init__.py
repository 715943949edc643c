"""AWS: the driver of the PrivateLink engine for one platform account in one region."""
