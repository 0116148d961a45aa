"""Serves the portal for `make run`: CKAN's WSGI app on werkzeug, without reloader or
debugger, threaded.

One difference from `ckan run`: a request line carrying raw UTF-8 (what
`curl '...?q=公交'` sends; browsers percent-encode) is percent-encoded before parsing, as a
browser would have done. Python's parser otherwise splits such a line on the byte 0x85 and
answers 400.

Usage: python dev/serve.py INI HOST PORT
"""
import re
import sys

from werkzeug.serving import WSGIRequestHandler, run_simple

from ckan.cli import load_config
from ckan.config.middleware import make_app

_NON_ASCII = re.compile(rb"[\x80-\xff]")


class Utf8TolerantRequestHandler(WSGIRequestHandler):
    def parse_request(self) -> bool:
        self.raw_requestline = _NON_ASCII.sub(
            lambda m: b"%%%02X" % m.group()[0], self.raw_requestline)
        return super().parse_request()


def main(ini: str, host: str, port: str) -> None:
    app = make_app(load_config(ini))
    run_simple(host, int(port), app, use_reloader=False, use_debugger=False, threaded=True,
               request_handler=Utf8TolerantRequestHandler)


if __name__ == "__main__":
    main(*sys.argv[1:])
