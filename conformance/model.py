"""Cases and how one case is run and judged.

A case is a list of steps (frames to send, waits) and an expectation derived from RFC 6455: the
messages echoed back, the pongs, and the close code of the first close frame the server sends.
Every case ends with the server closing TCP: after answering our close (cases that end normally:
the driver sends close 1000 once the expected echoes have arrived) or after failing the connection
(§7.1.7 "_Fail the WebSocket Connection_", with the close code of §7.4.1).
"""
import asyncio
import struct
import time
from dataclasses import dataclass, field

from probe import connect

CASE_TIMEOUT_S = 30
TEXT, BINARY, CONT, CLOSE, PING, PONG = 1, 2, 0, 8, 9, 10


@dataclass
class Frame:
    opcode: int
    payload: bytes = b''
    fin: bool = True
    rsv: int = 0
    chopsize: int = None      # TCP writes of this many bytes (not WebSocket fragments)
    cut_after: int = None     # send only the first N wire bytes of the frame, never the rest

    def send(self, probe):
        if self.cut_after is not None:
            raw = probe.frame_bytes(opcode=self.opcode, payload=self.payload, fin=self.fin, rsv=self.rsv)
            probe.send_raw(raw[:self.cut_after])
        else:
            probe.sendFrame(opcode=self.opcode, payload=self.payload, fin=self.fin, rsv=self.rsv,
                            chopsize=self.chopsize)


@dataclass
class Wait:
    """Wait until this many messages and pongs have arrived (so later frames follow their echo)."""
    messages: int = 0
    pongs: int = 0


def close_payload(code, reason=b''):
    return struct.pack('!H', code) + reason


@dataclass
class Case:
    id: str
    family: str
    title: str
    rfc: str
    steps: list
    messages: list = field(default_factory=list)   # expected (is_binary, payload)
    pongs: list = field(default_factory=list)
    close: tuple = (1000,)    # acceptable codes of the server's first close frame (None = empty)
    fails: bool = False       # True: the server must close on its own (no close from the driver)
    lenient_echo: bool = False  # the RFC lets a failing server drop echoes already queued: a prefix is enough
    options: dict = field(default_factory=dict)    # Autobahn|Python protocol options
    path: str = '/echo'
    check: object = None      # extra check: probe -> problem text or None
    answer_close: bool = True  # False: the driver never answers the server's close frame
    protocols: list = None     # subprotocols the driver offers (Sec-WebSocket-Protocol)

    def expected_text(self):
        out = []
        if self.messages:
            sizes = sorted({len(p) for _, p in self.messages})
            out.append(f"{len(self.messages)} echo{'es' if len(self.messages) > 1 else ''}"
                       + (f" ({sizes[0]} B)" if len(sizes) == 1 else f" ({sizes[0]}..{sizes[-1]} B)")
                       + (" or a prefix" if self.lenient_echo else ""))
        if self.pongs:
            out.append(f"{len(self.pongs)} pong{'s' if len(self.pongs) > 1 else ''}")
        codes = '/'.join('empty' if c is None else str(c) for c in self.close)
        out.append(("server fails: close " if self.fails else "close answered: ") + codes)
        out.append("TCP closed by server")
        return ", ".join(out)


def describe(p):
    parts = [f"{len(p.messages)} messages", f"{len(p.pongs)} pongs"]
    if p.close_frames:
        code, _, _ = p.close_frames[0]
        parts.append(f"close {code if code is not None else 'empty'}")
    else:
        parts.append("no close frame")
    parts.append("TCP closed by server" if p.server_dropped_tcp else "TCP closed by client")
    return ", ".join(parts)


async def run_case(case, host, port):
    """Runs one case on a fresh connection; returns (passed, observed, problems, millis)."""
    start = time.monotonic()
    try:
        p = await connect(host, port, case.path, case.options, case.answer_close, case.protocols)
    except Exception as e:  # handshake refused or timed out
        return False, f"no connection: {e}", [str(e)], _ms(start)
    problems = []
    for step in case.steps:
        if isinstance(step, Wait):
            ok = await p.until(lambda: len(p.messages) >= step.messages and len(p.pongs) >= step.pongs,
                               CASE_TIMEOUT_S)
            if not ok:
                problems.append(f"waited for {step.messages} messages/{step.pongs} pongs, got "
                                f"{len(p.messages)}/{len(p.pongs)}")
                break
        else:
            step.send(p)
    if not case.fails and not problems:
        # Normal end: once everything expected is back, the driver starts the close handshake (§7.1.2).
        await p.until(lambda: (len(p.messages) >= len(case.messages) and len(p.pongs) >= len(case.pongs))
                      or p.close_frames, CASE_TIMEOUT_S)
        if not p.close_frames and not p.client_sent_close:
            p.sendClose(1000)
    try:
        await asyncio.wait_for(asyncio.shield(p.closed), CASE_TIMEOUT_S)
    except asyncio.TimeoutError:
        problems.append(f"connection still open after {CASE_TIMEOUT_S} s")
        p.dropConnection(abort=True)
    problems += judge(case, p)
    return not problems, describe(p), problems, _ms(start)


def judge(case, p):
    problems = list(p.violations)
    if case.check is not None and (problem := case.check(p)):
        problems.append(problem)
    if case.lenient_echo:
        if p.messages != case.messages[:len(p.messages)]:
            problems.append("echoes differ from the messages sent")
    elif p.messages != case.messages:
        problems.append(f"expected {len(case.messages)} echoes, got {len(p.messages)}"
                        if len(p.messages) != len(case.messages) else "echoed payloads differ")
    if p.pongs != case.pongs:
        problems.append(f"expected {len(case.pongs)} pongs, got {len(p.pongs)}" if len(p.pongs) != len(case.pongs)
                        else "pong payloads differ from the pings'")
    if not p.close_frames:
        problems.append("the server sent no close frame")
    else:
        code, _, after_ours = p.close_frames[0]
        if code not in case.close:
            problems.append(f"close code {code}, expected {'/'.join(map(str, case.close))}")
        if case.fails and after_ours:
            problems.append("the server did not close on its own")
    if not p.server_dropped_tcp:
        problems.append("the server did not close TCP after the close handshake (§7.1.1)")
    return problems


def _ms(start):
    return round((time.monotonic() - start) * 1000)
