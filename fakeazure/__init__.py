"""A local Azure Resource Manager for Microsoft.Network: virtual networks, Standard internal
load balancers, private link services and private endpoints, driven by the real SDK."""
