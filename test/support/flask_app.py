"""Upstream app for Portcullis tests: echoes each request as JSON, so a test can see exactly
what reached the target behind the proxy (every header, raw and merged, cookies, body size).

Usage: python3 flask_app.py PORT   (listens on 127.0.0.1 only)
Works with Debian's Flask 2.2 and Flask 3.x.
"""
import hashlib
import json
import sys
import time

from flask import Flask, Response, redirect, request
from werkzeug.serving import WSGIRequestHandler

app = Flask(__name__)


class RawHeadersHandler(WSGIRequestHandler):
    """WSGI folds `X_Foo` and `X-Foo` into one environ key; tests of header stripping need the
    headers exactly as they arrived on the wire, so keep them alongside."""

    def make_environ(self):
        environ = super().make_environ()
        environ["portcullis.raw_headers"] = [[k, v] for k, v in self.headers.items()]
        return environ


@app.get("/healthz")
def healthz():
    return "ok"


@app.get("/sse")
def sse():
    count = int(request.args.get("count", "3"))
    interval = float(request.args.get("interval", "0.05"))

    def events():
        for i in range(count):
            yield f"id: {i}\ndata: {json.dumps({'n': i})}\n\n"
            time.sleep(interval)

    return Response(events(), mimetype="text/event-stream", headers={"Cache-Control": "no-cache"})


@app.route("/upload", methods=["POST", "PUT"])
def upload():
    digest = hashlib.sha256()
    length = 0
    while True:
        chunk = request.stream.read(65536)
        if not chunk:
            break
        digest.update(chunk)
        length += len(chunk)
    return {"sha256": digest.hexdigest(), "length": length}


@app.get("/redirect")
def redirect_to():
    return redirect(request.args.get("to", "/"), code=int(request.args.get("status", "302")))


@app.get("/app/api/userinfo")
def api_userinfo():
    """The test shop's API: who the proxy says is signed in, from the identity headers."""
    return {
        "user": request.headers.get("X-Forwarded-User"),
        "email": request.headers.get("X-Forwarded-Email"),
        "groups": request.headers.get("X-Forwarded-Groups"),
    }


@app.route("/", defaults={"path": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@app.route("/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def echo(path):
    body = request.get_data()
    return {
        "method": request.method,
        "path": request.path,
        "rawUri": request.environ.get("REQUEST_URI", ""),
        "query": request.args.to_dict(flat=False),
        "headers": {k.lower(): v for k, v in request.headers.items()},
        "rawHeaders": request.environ.get("portcullis.raw_headers", []),
        "cookies": request.cookies.to_dict(),
        "bodyLength": len(body),
        "remoteAddr": request.remote_addr,
    }


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]), threaded=True, request_handler=RawHeadersHandler)
