"""A query worker process: `python -m chainkg.server.worker GRAPH FD_IN FD_OUT MB`."""

import sys
from multiprocessing.connection import Connection

from chainkg.server.pool import worker_main

if __name__ == "__main__":
    worker_main(
        sys.argv[1],
        Connection(int(sys.argv[2]), writable=False),
        Connection(int(sys.argv[3]), readable=False),
        int(sys.argv[4]),
    )
