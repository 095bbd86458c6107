"""The check-in itself: what the phone sends, the decision, its evidence, the photo check."""
