"""The listings side table's blocks at several zlib levels, side by side (not a test):

    python bench/listings_compression.py OUT/listings.sqlite [--levels 1 2 3 6]

Decompresses every block of a built side table once, then for each level compresses them
all and decompresses the result (CPU seconds of each, the total size): what
`chainkg.listings.COMPRESSION` trades between the build's writer and a page's read.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
import zlib
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("listings", type=Path)
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 2, 3, 6])
    args = parser.parse_args()
    con = sqlite3.connect(f"file:{args.listings}?mode=ro", uri=True)
    try:
        raw = [zlib.decompress(cells) for (cells,) in con.execute("SELECT cells FROM blocks")]
    finally:
        con.close()
    print(f"{len(raw):,} blocks, {sum(map(len, raw)) / 1e6:.0f} MB of JSON\n")
    print("| zlib level | compress CPU-s | MB | decompress CPU-s |\n|---|---|---|---|")
    for level in args.levels:
        start = time.process_time()
        packed = [zlib.compress(block, level) for block in raw]
        compress = time.process_time() - start
        start = time.process_time()
        for block in packed:
            zlib.decompress(block)
        decompress = time.process_time() - start
        size = sum(map(len, packed)) / 1e6
        print(f"| {level} | {compress:.2f} | {size:.0f} | {decompress:.2f} |")


if __name__ == "__main__":
    main()
