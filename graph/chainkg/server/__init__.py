"""`chainkg serve`: the built graph behind a read-only SPARQL endpoint and a query page."""

from chainkg.server.app import ChainkgServer, ServeConfig

__all__ = ["ChainkgServer", "ServeConfig"]
