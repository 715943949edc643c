"""The worker side: what a Celery task runs to make the cloud match the database.

The web side (actions, forms, views, api, admin) writes desired state and queues a
reconcile; it imports from here only the pure helpers that plan ports and names
(planner, naming).
"""
