"""digest: a static site generator for a curated digest of scraped articles."""

__version__ = "0.1.0"
