#!/usr/bin/env python3
"""Injects N messages over S parallel SMTP sessions and prints throughput and end-of-DATA-to-reply latencies.

Usage: inject.py HOST PORT SENDER RECIPIENT COUNT SESSIONS SIZE_BYTES
Each session sends its share of messages in one connection (MAIL, RCPT, DATA per message), like smtp-source.
Prints one line: sent=<n> failed=<n> seconds=<s> rate=<msg/s> p50_ms=<x> p99_ms=<y>
"""
import os, socket, sys, threading, time

host, port, sender, rcpt = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
count, sessions, size = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])

def message(i):
    head = (f"From: {sender}\r\nTo: {rcpt}\r\nSubject: bench {i}\r\nMessage-ID: <bench{i}@bench.example>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n")
    line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt\r\n"
    body = (line * (size // len(line) + 1))[:max(0, size - len(head))].rstrip("\r")  # never a bare CR
    if not body.endswith("\r\n"):
        body += "\r\n"
    return (head + body + ".\r\n").encode("ascii")

class Conn:
    def __init__(self):
        # RFC 5321 4.5.3.2: a client waits up to 10 minutes for the reply to the end of DATA
        self.s = socket.create_connection((host, port), timeout=float(os.environ.get("BENCH_TIMEOUT", "120")))
        # The end of DATA (".\r\n") goes out as its own small write so that its reply can be timed. With Nagle's
        # algorithm on, the kernel holds that write until the server ACKs the body, and Linux delays that ACK by
        # up to 40 ms: every message would wait for the client's own TCP stack (and the figures of both systems
        # would measure that wait). Real MTAs write the dot with the last block of the body; NODELAY gives the same.
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.f = self.s.makefile("rb")
        self.reply()
    def reply(self):
        lines = []
        while True:
            line = self.f.readline().decode("ascii", "replace")
            if not line:
                raise IOError("closed")
            lines.append(line)
            if len(line) < 4 or line[3] != "-":
                return lines[-1]
    def cmd(self, text):
        self.s.sendall((text + "\r\n").encode("ascii"))
        return self.reply()

latencies, failed, lock = [], [0], threading.Lock()

def worker(n, base):
    c = Conn()
    c.cmd("EHLO bench.example")
    for k in range(n):
        if not c.cmd(f"MAIL FROM:<{sender}>").startswith("250") or not c.cmd(f"RCPT TO:<{rcpt}>").startswith("250") \
                or not c.cmd("DATA").startswith("354"):
            with lock:
                failed[0] += 1
            c.cmd("RSET")
            continue
        data = message(base + k)
        c.s.sendall(data[:-3])
        t0 = time.perf_counter()
        c.s.sendall(data[-3:])
        r = c.reply()
        dt = (time.perf_counter() - t0) * 1000
        with lock:
            if r.startswith("250"):
                latencies.append(dt)
            else:
                failed[0] += 1
    c.cmd("QUIT")

start = time.perf_counter()
threads, per = [], count // sessions
for i in range(sessions):
    t = threading.Thread(target=worker, args=(per + (1 if i < count % sessions else 0), i * (per + 1)))
    t.start()
    threads.append(t)
for t in threads:
    t.join()
secs = time.perf_counter() - start
latencies.sort()
pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else float("nan")
print(f"sent={len(latencies)} failed={failed[0]} seconds={secs:.2f} rate={len(latencies) / secs:.1f} "
      f"p50_ms={pct(0.50):.1f} p99_ms={pct(0.99):.1f}")
