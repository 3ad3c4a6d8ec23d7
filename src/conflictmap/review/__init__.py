"""Review in the browser: a report's text beside the map, each mention a decision, and a
claims file that keeps every correction (``conflictmap review``)."""

from conflictmap.review.server import ReviewServer, review
from conflictmap.review.session import ReviewSession, StaleReview
from conflictmap.review.training import export_places, export_training

__all__ = ["ReviewServer", "ReviewSession", "StaleReview", "export_places", "export_training", "review"]
