#!/usr/bin/python3
"""A minimal SMTP sink: every message accepted becomes one .eml file in the maildir.

    tests/fakes/mailsink.py --port N --maildir D

A recipient whose address starts with "bounce-" is refused for good (550 5.1.1), as a
relay refuses an unknown mailbox. A recipient with a file of its address in the maildir's
`.greylist/` is put off (450 4.7.1, try again later), as a greylisting relay does, until the
file is removed. While the maildir holds a file `.refuse-sender`, every MAIL FROM is refused
(553 5.7.1), as a relay refuses a sender it does not send for, until the file is removed.
After a message to an address that starts with "close-after-", the connection's next MAIL
FROM is answered 421 and the connection closed, as a relay that takes a few messages per
connection does. Each message says which connection carried it (`X-Sink-Connection`, a
number per connection).
Speaks what libcurl's and Python's SMTP clients need: EHLO/HELO, MAIL FROM, RCPT TO, DATA
(with dot-unstuffing), RSET, NOOP, QUIT (VRFY answered 252). No AUTH, no STARTTLS.
Each message is written to a temporary name and renamed, so a reader never sees half a file;
`Return-Path` and `X-Envelope-To` are prepended with the envelope. Stdlib only (no smtpd).
"""
import argparse
import itertools
import os
import re
import socket
import socketserver
import sys
import time

MAX_MESSAGE = 20 * 1024 * 1024
ADDR_RE = re.compile(rb"^\s*(?:FROM|TO)\s*:\s*<([^>]*)>(.*)$", re.I)
counter = itertools.count(1)
connections = itertools.count(1)


class SMTPHandler(socketserver.StreamRequestHandler):
    timeout = 120

    def reply(self, line):
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def reset(self):
        self.mail_from = None
        self.rcpts = []

    def handle(self):
        self.serial = next(connections)
        self.closing = False
        self.reset()
        self.reply("220 %s Konfirmado mail sink ready" % socket.gethostname())
        while True:
            try:
                line = self.rfile.readline(65536)
            except (OSError, socket.timeout):
                return
            if not line:
                return
            line = line.rstrip(b"\r\n")
            verb, _, arg = line.partition(b" ")
            verb = verb.upper().decode("ascii", "replace")
            if verb == "EHLO":
                # one write, as relays answer: line by line, Nagle's algorithm holds each
                # line after the first until the client's delayed ACK (40 ms a connection)
                self.reply("250-%s\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE %d"
                           % (socket.gethostname(), MAX_MESSAGE))
            elif verb == "HELO":
                self.reply("250 %s" % socket.gethostname())
            elif verb == "MAIL":
                m = ADDR_RE.match(arg)
                if not m or not arg.upper().lstrip().startswith(b"FROM"):
                    self.reply("501 Syntax: MAIL FROM:<address>")
                elif os.path.exists(os.path.join(self.server.maildir, ".refuse-sender")):
                    self.reply("553 5.7.1 Sender address rejected: not owned by user")
                elif self.closing:
                    self.reply("421 4.7.0 Too many messages on one connection, closing")
                    return
                else:
                    self.reset()
                    self.mail_from = m.group(1).decode("utf-8", "replace")
                    self.reply("250 OK")
            elif verb == "RCPT":
                m = ADDR_RE.match(arg)
                if self.mail_from is None:
                    self.reply("503 Need MAIL first")
                elif not m or not arg.upper().lstrip().startswith(b"TO") or not m.group(1):
                    self.reply("501 Syntax: RCPT TO:<address>")
                elif m.group(1).lower().startswith(b"bounce-"):
                    # a mailbox the relay knows does not exist: refused for good
                    self.reply("550 5.1.1 Recipient address rejected: User unknown")
                elif self.greylisted(m.group(1)):
                    self.reply("450 4.7.1 Recipient address rejected: greylisted, try again later")
                else:
                    self.rcpts.append(m.group(1).decode("utf-8", "replace"))
                    self.reply("250 OK")
            elif verb == "DATA":
                if not self.rcpts:
                    self.reply("503 Need RCPT first")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = self.read_data()
                if data is None:
                    return
                name = self.store(data)
                self.reply("250 OK queued as %s" % name)
                self.closing = any(r.lower().startswith("close-after-") for r in self.rcpts)
                self.reset()
            elif verb == "RSET":
                self.reset()
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "VRFY":
                self.reply("252 Cannot verify, will accept")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def greylisted(self, address):
        name = address.decode("utf-8", "replace").lower()
        return "/" not in name and os.path.exists(os.path.join(self.server.maildir, ".greylist", name))

    def read_data(self):
        """Lines up to a lone '.', dot-unstuffed; CRLF line ends kept as in the message."""
        out, size = [], 0
        while True:
            line = self.rfile.readline(1 << 20)
            if not line:
                return None
            if line.rstrip(b"\r\n") == b".":
                return b"".join(out)
            if line.startswith(b"."):
                line = line[1:]
            size += len(line)
            if size <= MAX_MESSAGE:
                out.append(line)

    def store(self, data):
        maildir = self.server.maildir
        name = "%d-%06d-%d.eml" % (time.time_ns(), next(counter), os.getpid())
        header = ("Return-Path: <%s>\r\nX-Envelope-To: %s\r\nX-Sink-Connection: %d\r\n"
                  % (self.mail_from, ", ".join(self.rcpts), self.serial))
        tmp = os.path.join(maildir, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(header.encode("utf-8") + data)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, os.path.join(maildir, name))
        sys.stderr.write("stored %s from <%s> to %s\n" % (name, self.mail_from, self.rcpts))
        sys.stderr.flush()
        return name


class SinkServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port, maildir):
        super().__init__(("127.0.0.1", port), SMTPHandler)
        self.maildir = maildir


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--maildir", required=True)
    opts = ap.parse_args()
    os.makedirs(opts.maildir, exist_ok=True)
    server = SinkServer(opts.port, opts.maildir)
    sys.stderr.write("mail sink on 127.0.0.1:%d -> %s\n" % (opts.port, opts.maildir))
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
