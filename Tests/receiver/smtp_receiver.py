#!/usr/bin/env python3
"""A loopback SMTP server for narrate's mail tests (aiosmtpd). Prints "listening on PORT", then
keeps every accepted message in DIR as NNN.eml with NNN.json (the envelope).

usage: smtp_receiver.py DIR [--user U --password P] [--reject ADDRESS]...
Runs until its stdin closes.
"""
import argparse
import json
import os
import socket
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Keeper:
    def __init__(self, directory, rejected):
        self.directory = directory
        self.rejected = set(rejected)
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rejected:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, "%03d" % self.count)
        with open(base + ".eml", "wb") as out:
            out.write(envelope.original_content)
        with open(base + ".json", "w") as out:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "login": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None}, out)
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--reject", action="append", default=[])
    options = parser.parse_args()

    def authenticate(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == options.user \
                and auth_data.password.decode() == options.password:
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    extra = {}
    if options.user:
        extra = {"authenticator": authenticate, "auth_required": True, "auth_require_tls": False}
    controller = Controller(Keeper(options.directory, options.reject), hostname="127.0.0.1", port=port, **extra)
    controller.start()
    print("listening on %d" % port, flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
