"""Families 1-5: framing and echo, ping/pong, reserved bits, opcodes, fragmentation.
Expectations come from RFC 6455; the section is named in each case."""
from model import BINARY, CLOSE, CONT, PING, PONG, TEXT, Case, Frame, Wait, close_payload

SIZES = [0, 1, 125, 126, 127, 128, 65535, 65536, 65537]   # 7-, 16- and 64-bit length forms (§5.2)


def t(payload):
    return (False, payload)


def b(payload):
    return (True, payload)


def family1():
    cases = []
    for i, n in enumerate(SIZES, 1):
        p = b'*' * n
        cases.append(Case(f"1.1.{i}", "1 framing", f"text message of {n} bytes", "§5.2, §5.6",
                          [Frame(TEXT, p)], [t(p)]))
    for i, n in enumerate(SIZES, 1):
        p = b'\xfe' * n
        cases.append(Case(f"1.2.{i}", "1 framing", f"binary message of {n} bytes", "§5.2, §5.6",
                          [Frame(BINARY, p)], [b(p)]))
    cases.append(Case("1.3.1", "1 framing", "65536-byte text sent in 997-byte TCP writes", "§5.2",
                      [Frame(TEXT, b'x' * 65536, chopsize=997)], [t(b'x' * 65536)]))
    cases.append(Case("1.3.2", "1 framing", "binary frame sent one byte per TCP write", "§5.2",
                      [Frame(BINARY, bytes(range(200)), chopsize=1)], [b(bytes(range(200)))]))
    cases.append(Case("1.3.3", "1 framing", "unmasked client frame", "§5.1: server MUST close",
                      [Frame(TEXT, b'hello')], fails=True, close=(1002,),
                      options={"maskClientFrames": False}))
    return cases


def family2():
    ping = lambda p, **kw: Frame(PING, p, **kw)
    c = [
        Case("2.1", "2 ping/pong", "ping without payload", "§5.5.2, §5.5.3", [ping(b'')], pongs=[b'']),
        Case("2.2", "2 ping/pong", "ping with 125-byte text payload", "§5.5.3: identical application data",
             [ping(b'p' * 125)], pongs=[b'p' * 125]),
        Case("2.3", "2 ping/pong", "ping with binary payload", "§5.5.3",
             [ping(bytes([0, 255, 254, 253, 252, 251, 250, 249]))], pongs=[bytes([0, 255, 254, 253, 252, 251, 250, 249])]),
        Case("2.4", "2 ping/pong", "ping with 126-byte payload", "§5.5: control payload <= 125",
             [ping(b'p' * 126)], fails=True, close=(1002,)),
        Case("2.5", "2 ping/pong", "125-byte ping in 1-byte TCP writes", "§5.5.2",
             [ping(b'q' * 125, chopsize=1)], pongs=[b'q' * 125]),
        Case("2.6", "2 ping/pong", "unsolicited pong without payload, then a ping", "§5.5.3: no response expected",
             [Frame(PONG, b''), ping(b'after')], pongs=[b'after']),
        Case("2.7", "2 ping/pong", "unsolicited pong with payload, then a ping", "§5.5.3",
             [Frame(PONG, b'unsolicited'), ping(b'after')], pongs=[b'after']),
        Case("2.8", "2 ping/pong", "10 pings in a row: every one answered, in order",
             "§5.5.3 (a server MAY answer only the last; ours answer each, docs/wire-protocol.md)",
             [ping(f"ping-{i}".encode()) for i in range(10)], pongs=[f"ping-{i}".encode() for i in range(10)]),
        Case("2.9", "2 ping/pong", "10 pings, each in 1-byte TCP writes", "§5.5.2",
             [ping(f"ping-{i}".encode(), chopsize=1) for i in range(10)], pongs=[f"ping-{i}".encode() for i in range(10)]),
        Case("2.10", "2 ping/pong", "pong with 126-byte payload", "§5.5: control payload <= 125",
             [Frame(PONG, b'p' * 126)], fails=True, close=(1002,)),
        Case("2.11", "2 ping/pong", "ping with FIN clear", "§5.5: control frames MUST NOT be fragmented",
             [ping(b'x', fin=False)], fails=True, close=(1002,)),
    ]
    return c


def family3():
    """§5.2: RSV1-3 MUST be 0 unless an extension defining them was negotiated (none is, here)."""
    hello = b'Hello, world'
    c = [
        Case("3.1", "3 reserved bits", "text with RSV=1", "§5.2", [Frame(TEXT, hello, rsv=1)], fails=True, close=(1002,)),
        Case("3.2", "3 reserved bits", "text, echo, then text with RSV=2, then ping (no pong)", "§5.2",
             [Frame(TEXT, hello), Wait(1), Frame(TEXT, hello, rsv=2), Frame(PING)], [t(hello)],
             fails=True, close=(1002,)),
        Case("3.3", "3 reserved bits", "text, text with RSV=3 and ping in one burst", "§5.2, §7.1.7",
             [Frame(TEXT, hello), Frame(TEXT, hello, rsv=3), Frame(PING)], [t(hello)],
             fails=True, close=(1002,), lenient_echo=True),
        Case("3.4", "3 reserved bits", "binary with RSV=4", "§5.2", [Frame(BINARY, b'\x00\xff', rsv=4)], fails=True, close=(1002,)),
        Case("3.5", "3 reserved bits", "binary with RSV=5", "§5.2", [Frame(BINARY, b'\x00\xff', rsv=5)], fails=True, close=(1002,)),
        Case("3.6", "3 reserved bits", "ping with RSV=6", "§5.2", [Frame(PING, hello, rsv=6)], fails=True, close=(1002,)),
        Case("3.7", "3 reserved bits", "close with RSV=7", "§5.2", [Frame(CLOSE, close_payload(1000), rsv=7)],
             close=(1002,)),
        Case("3.8", "3 reserved bits", "continuation with RSV=1 inside a fragmented text", "§5.2",
             [Frame(TEXT, b'frag', fin=False), Frame(CONT, b'ment', rsv=1)], fails=True, close=(1002,)),
    ]
    return c


def family4():
    """§5.2: opcodes 3-7 and 0xB-0xF are reserved; "If an unknown opcode is received, the receiving
    endpoint MUST _Fail the WebSocket Connection_"."""
    c = []
    for op in [3, 4, 5, 6, 7, 11, 12, 13, 14, 15]:
        kind = "non-control" if op < 8 else "control"
        c.append(Case(f"4.1.{op}", "4 opcodes", f"reserved {kind} opcode {op}, empty", "§5.2",
                      [Frame(op)], fails=True, close=(1002,)))
    hello = b'Hello'
    c.append(Case("4.2.1", "4 opcodes", "text, echo, opcode 5 with payload, then ping", "§5.2",
                  [Frame(TEXT, hello), Wait(1), Frame(5, b'reserved'), Frame(PING)], [t(hello)],
                  fails=True, close=(1002,)))
    c.append(Case("4.2.2", "4 opcodes", "text, echo, opcode 13 with payload, then ping", "§5.2",
                  [Frame(TEXT, hello), Wait(1), Frame(13, b'reserved'), Frame(PING)], [t(hello)],
                  fails=True, close=(1002,)))
    c.append(Case("4.2.3", "4 opcodes", "text, opcode 7, ping in one burst", "§5.2, §7.1.7",
                  [Frame(TEXT, hello), Frame(7), Frame(PING)], [t(hello)], fails=True, close=(1002,),
                  lenient_echo=True))
    return c


def family5():
    """§5.4 fragmentation; §5.5 control frames MUST NOT be fragmented but MAY be injected between fragments."""
    fr = "5 fragmentation"
    c = [
        Case("5.1", fr, "ping fragmented in two frames", "§5.5", [Frame(PING, b'a', fin=False), Frame(CONT, b'b')],
             fails=True, close=(1002,)),
        Case("5.2", fr, "pong fragmented in two frames", "§5.5", [Frame(PONG, b'a', fin=False), Frame(CONT, b'b')],
             fails=True, close=(1002,)),
        Case("5.3", fr, "text in two fragments", "§5.4",
             [Frame(TEXT, b'fragment1', fin=False), Frame(CONT, b'fragment2')], [t(b'fragment1fragment2')]),
        Case("5.4", fr, "binary in two fragments", "§5.4",
             [Frame(BINARY, b'\x01\x02', fin=False), Frame(CONT, b'\x03')], [b(b'\x01\x02\x03')]),
        Case("5.5", fr, "text in 1-byte fragments with empty first and last fragments", "§5.4",
             [Frame(TEXT, b'', fin=False)] + [Frame(CONT, bytes([ch]), fin=False) for ch in b'fragmented']
             + [Frame(CONT, b'')], [t(b'fragmented')]),
        Case("5.6", fr, "text in two fragments with a ping between", "§5.4, §5.5",
             [Frame(TEXT, b'frag1', fin=False), Frame(PING, b'between'), Frame(CONT, b'frag2')],
             [t(b'frag1frag2')], pongs=[b'between']),
        Case("5.7", fr, "text in two fragments with a pong between", "§5.4, §5.5.3",
             [Frame(TEXT, b'frag1', fin=False), Frame(PONG, b'between'), Frame(CONT, b'frag2')], [t(b'frag1frag2')]),
        Case("5.8", fr, "fragments and interleaved ping in 1-byte TCP writes", "§5.4",
             [Frame(TEXT, b'frag1', fin=False, chopsize=1), Frame(PING, b'between', chopsize=1),
              Frame(CONT, b'frag2', chopsize=1)], [t(b'frag1frag2')], pongs=[b'between']),
        Case("5.9", fr, "100 fragments, a ping after each", "§5.4, §5.5",
             [s for i in range(100) for s in (Frame(TEXT if i == 0 else CONT, b'%03d' % i, fin=i == 99),
                                              Frame(PING, b'%03d' % i))],
             [t(b''.join(b'%03d' % i for i in range(100)))], pongs=[b'%03d' % i for i in range(100)]),
        Case("5.19", fr, "10 fragments, each next one sent only after the pong for the ping after it", "§5.4, §5.5",
             [s for i in range(10) for s in (Frame(TEXT if i == 0 else CONT, b'%02d' % i, fin=i == 9),
                                             Frame(PING, b'%02d' % i), Wait(pongs=i + 1))],
             [t(b''.join(b'%02d' % i for i in range(10)))], pongs=[b'%02d' % i for i in range(10)]),
        Case("5.10", fr, "continuation (FIN) with no message started", "§5.4", [Frame(CONT, b'orphan')],
             fails=True, close=(1002,)),
        Case("5.11", fr, "continuation (no FIN) then continuation (FIN), no message started", "§5.4",
             [Frame(CONT, b'or', fin=False), Frame(CONT, b'phan')], fails=True, close=(1002,)),
        Case("5.12", fr, "text, echo, then an orphan continuation", "§5.4",
             [Frame(TEXT, b'ok'), Wait(1), Frame(CONT, b'orphan')], [t(b'ok')], fails=True, close=(1002,)),
        Case("5.13", fr, "continuation after a complete (FIN) text message", "§5.4",
             [Frame(TEXT, b'done'), Wait(1), Frame(CONT, b'more', fin=False), Frame(CONT, b'x')], [t(b'done')],
             fails=True, close=(1002,)),
        Case("5.14", fr, "new text frame (FIN) inside a fragmented text", "§5.4: messages MUST NOT interleave",
             [Frame(TEXT, b'a', fin=False), Frame(TEXT, b'b')], fails=True, close=(1002,)),
        Case("5.15", fr, "new text frame (no FIN) inside a fragmented text", "§5.4",
             [Frame(TEXT, b'a', fin=False), Frame(TEXT, b'b', fin=False), Frame(CONT, b'c')],
             fails=True, close=(1002,)),
        Case("5.16", fr, "binary frame inside a fragmented text", "§5.4",
             [Frame(TEXT, b'a', fin=False), Frame(BINARY, b'b')], fails=True, close=(1002,)),
        Case("5.17", fr, "two fragmented messages back to back", "§5.4",
             [Frame(TEXT, b'one-', fin=False), Frame(CONT, b'1'), Frame(BINARY, b'two-', fin=False), Frame(CONT, b'2')],
             [t(b'one-1'), b(b'two-2')]),
        Case("5.18", fr, "close between the fragments of a message", "§5.4, §5.5.1",
             [Frame(TEXT, b'unfinished', fin=False), Frame(CLOSE, close_payload(1000))], close=(1000,)),
    ]
    return c


def all_cases():
    return family1() + family2() + family3() + family4() + family5()
