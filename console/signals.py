"""The documented way for console changes to reach apps that build infrastructure.

`privatelink` imports `console`, never the reverse, so the console announces changes
here and privatelink listens. Both are sent on transaction commit.
"""

from django.dispatch import Signal

# A service's user config changed. kwargs: service, before (dict), after (dict).
user_config_changed = Signal()

# A Project VPC was requested or must be rebuilt. kwargs: project_vpc.
project_vpc_requested = Signal()

# A service's nodes changed: added or removed by a plan change, or one replaced (new
# private IP). kwargs: service.
service_nodes_changed = Signal()

# A service is being terminated (state DELETING): what apps built for it must be torn
# down, then its row deleted. kwargs: service.
service_terminating = Signal()
