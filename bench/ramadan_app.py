"""The app as gunicorn serves it, for the Ramadan-night bench: each request that the page cache's fast path did not
answer is marked in its WSGI environ (`bench.flask`), which the access log writes, so the bench can count cache hits
from outside without a change to the app."""

from jood import create_app

app = create_app()
_fast_path = app.wsgi_app  # jood.cache.FastPath (ProxyFix, when configured, sits in front of it: not in the bench)
_to_flask = _fast_path.wsgi_app


def _marked(environ, start_response):
    environ["bench.flask"] = "1"
    return _to_flask(environ, start_response)


_fast_path.wsgi_app = _marked
