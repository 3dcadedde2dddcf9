"""chainkg: an evidence-backed knowledge graph of enterprises and industrial chains."""

__version__ = "0.1.0"
