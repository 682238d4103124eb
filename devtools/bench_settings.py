"""The production settings, as served to `manage.py benchmark_pages` and `manage.py loadtest`.

Everything of `woonoverlast.settings.prod` unchanged, plus one outermost middleware that
counts the database queries of each request (session save included) and reports the count
in the `X-Bench-Queries` response header. Never used outside the benchmarks; production
itself does not count.
"""

from woonoverlast.settings.prod import *  # noqa: F403
from woonoverlast.settings.prod import MIDDLEWARE

MIDDLEWARE = ["devtools.benchserver.QueryCountMiddleware", *MIDDLEWARE]
