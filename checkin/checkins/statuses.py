"""A check-in's status. Automatic outcomes are only accepted or flagged; only a supervisor rejects."""

ACCEPTED = "accepted"
FLAGGED = "flagged"
REJECTED = "rejected"
