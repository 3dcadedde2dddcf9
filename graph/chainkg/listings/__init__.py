"""Listings side table (issue #16): builders of long listings from the seed tables."""
