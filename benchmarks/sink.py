"""The loopback webhook sink the benchmarks post to: answers every POST at once."""
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Without it every keep-alive request waits ~40 ms for a delayed ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"id":"1"}' if "/discord/" in self.path else b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class SinkServer(ThreadingHTTPServer):
    # narrate opens a connection to each of the 100 targets at once: the default backlog of 5
    # drops SYNs, and the clients wait seconds for their retransmission.
    request_queue_size = 1024
    daemon_threads = True


def serve(server_class=SinkServer, handler=Sink):
    """Starts a sink on a loopback port in a thread of its own; returns its base URL and the
    environment with every target's URL (generate.environment), also set in this process."""
    import os
    import threading
    import generate
    server = server_class(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    os.environ.update(generate.environment(url))
    return url, dict(os.environ)
