#!/usr/bin/env python3
"""https_server.py PORT CERT KEY DIR: a small HTTPS server for the tests.

GET /PATH for Host H serves DIR/H/PATH as text/plain.  DIR/H/redirect
(its content a URL) makes every answer a 301 there; DIR/H/type (its
content a media type) replaces text/plain.  Prints "ready" once it listens.
"""
import http.server
import os
import ssl
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        base = os.path.join(sys.argv[4], host)
        redirect = os.path.join(base, "redirect")
        if os.path.exists(redirect):
            self.send_response(301)
            self.send_header("Location", open(redirect).read().strip())
            self.end_headers()
            return
        path = os.path.normpath(os.path.join(base, self.path.lstrip("/")))
        if not path.startswith(base) or not os.path.isfile(path):
            self.send_error(404)
            return
        ctype = "text/plain"
        if os.path.exists(os.path.join(base, "type")):
            ctype = open(os.path.join(base, "type")).read().strip()
        body = open(path, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
srv = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print("ready", flush=True)
srv.serve_forever()
