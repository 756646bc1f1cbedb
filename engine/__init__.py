"""dealbook: turn a negotiation playbook into deal-specific guidance."""

__version__ = "0.1.0"
