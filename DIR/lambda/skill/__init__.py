"""Gentle Yoga: a voice skill that leads a whole yoga class hands-free."""
from __future__ import annotations

__version__ = "0.1.0"
