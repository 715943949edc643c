"""The clouds the engine drives, each behind the same driver interface."""
