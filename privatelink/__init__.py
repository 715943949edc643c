"""AWS PrivateLink for services: desired state, the reconciler that builds it, and its pages."""
