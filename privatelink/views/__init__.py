"""PrivateLink pages and fragments: the PrivateLink page of a service and the panels it
adds to the Service Overview page."""
