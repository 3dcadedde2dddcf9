"""Build the graph and the HTML views from seeds/ into out/ (same as `chainkg build`)."""

import sys

from chainkg.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
