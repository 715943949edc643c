"""A local Google Compute Engine for Private Service Connect: VPC networks, subnetworks,
internal load balancers, service attachments and consumer endpoints, driven by the real
`google-cloud-compute` SDK."""
