"""Families 6, 7, 9, 10: UTF-8, close handling, large messages and limits, extensions.
Expectations come from RFC 6455 (and RFC 3629 for what valid UTF-8 is); the section is named in each case."""
from model import BINARY, CLOSE, CONT, PING, TEXT, Case, Frame, Wait, close_payload

KOSME = "κόσμε".encode()
MIB = 1024 * 1024
LIMIT = 16 * MIB   # the servers' default --max-frame-bytes and --max-message-bytes (docs/servers.md)

VALID = [("empty text", b''), ("mixed Latin-1 range", "Hello-µ@ßöäüàá-UTF-8!!".encode()), ("Greek", KOSME)] + [
    (f"code point U+{cp:04X}", chr(cp).encode())
    for cp in [0x0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFDD0, 0xFDEF, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x1FFFE, 0x10FFFE, 0x10FFFF]]

# RFC 3629 §3-4: overlongs, surrogates (U+D800-DFFF), > U+10FFFF, bytes C0, C1, F5-FF are invalid.
INVALID = [
    ("lone continuation byte 80", b'\x80'), ("lone continuation byte BF", b'\xbf'),
    ("all 64 continuation bytes", bytes(range(0x80, 0xC0))),
    ("overlong start byte C0", b'\xc0\xaf'), ("overlong start byte C1", b'\xc1\xbf'),
    ("overlong NUL in 2 bytes", b'\xc0\x80'), ("overlong '/' in 3 bytes", b'\xe0\x80\xaf'),
    ("overlong '/' in 4 bytes", b'\xf0\x80\x80\xaf'), ("overlong U+07FF in 3 bytes", b'\xe0\x9f\xbf'),
    ("overlong U+FFFF in 4 bytes", b'\xf0\x8f\xbf\xbf'),
    ("surrogate U+D800", b'\xed\xa0\x80'), ("surrogate U+DB7F", b'\xed\xad\xbf'),
    ("surrogate U+DB80", b'\xed\xae\x80'), ("surrogate U+DBFF", b'\xed\xaf\xbf'),
    ("surrogate U+DC00", b'\xed\xb0\x80'), ("surrogate U+DFFF", b'\xed\xbf\xbf'),
    ("surrogate pair D800 DC00 (CESU-8)", b'\xed\xa0\x80\xed\xb0\x80'),
    ("U+110000 (beyond U+10FFFF)", b'\xf4\x90\x80\x80'), ("F7 BF BF BF", b'\xf7\xbf\xbf\xbf'),
    ("byte F5", b'\xf5\x80\x80\x80'), ("5-byte form", b'\xf8\x88\x80\x80\x80'),
    ("6-byte form", b'\xfc\x84\x80\x80\x80\x80'), ("byte FE", b'\xfe'), ("byte FF", b'\xff'),
    ("2-byte start then ASCII", b'\xc2 '), ("3-byte start, 1 continuation, then ASCII", b'\xe2\x82a'),
    ("4-byte start, 2 continuations, then ASCII", b'\xf0\x9f\x98a'),
    ("message ends inside a 2-byte sequence", b'caf\xc3'),
    ("message ends inside a 3-byte sequence", b'euro \xe2\x82'),
    ("message ends inside a 4-byte sequence", b'smile \xf0\x9f\x98'),
    ("invalid byte between valid text", KOSME + b'\xff' + KOSME),
]
SPLIT_INVALID = [KOSME + b'\xed\xa0\x80edited', KOSME + b'\xf4\x90\x80\x80-edited']


def family6():
    fam, c = "6 UTF-8", []
    for i, (name, p) in enumerate(VALID, 1):
        c.append(Case(f"6.1.{i}", fam, f"valid text: {name}", "§5.6, RFC 3629", [Frame(TEXT, p)], [(False, p)]))
    for i, p in enumerate([KOSME + "𝄞 Hello-µ@ß".encode(), "€ and ✓ and 😀".encode()], 1):
        splits = [[Frame(TEXT, p[:k], fin=False), Frame(CONT, p[k:])] for k in range(len(p) + 1)]
        c.append(Case(f"6.2.{i}", fam, f"valid text split into 2 fragments at each of {len(p) + 1} positions",
                      "§5.4, §5.6", [f for s in splits for f in s], [(False, p)] * len(splits)))
        c.append(Case(f"6.2.{i + 2}", fam, "valid text, every byte its own fragment", "§5.4, §5.6",
                      [Frame(TEXT, p[:1], fin=False)] + [Frame(CONT, bytes([x]), fin=False) for x in p[1:]]
                      + [Frame(CONT)], [(False, p)]))
        c.append(Case(f"6.2.{i + 4}", fam, "valid text in 1-byte TCP writes", "§5.6",
                      [Frame(TEXT, p, chopsize=1)], [(False, p)]))
    for i, (name, p) in enumerate(INVALID, 1):
        c.append(Case(f"6.3.{i}", fam, f"invalid text: {name}", "§8.1, §7.4.1: 1007", [Frame(TEXT, p)],
                      fails=True, close=(1007,)))
    for j, p in enumerate(SPLIT_INVALID, 1):
        for k in range(1, len(p)):
            c.append(Case(f"6.4.{j}.{k}", fam, f"invalid text split into 2 fragments after byte {k}", "§5.4, §8.1",
                          [Frame(TEXT, p[:k], fin=False), Frame(CONT, p[k:])], fails=True, close=(1007,)))
        c.append(Case(f"6.4.{j}.0", fam, "invalid text, every byte its own fragment", "§5.4, §8.1",
                      [Frame(TEXT, p[:1], fin=False)] + [Frame(CONT, bytes([x]), fin=False) for x in p[1:]]
                      + [Frame(CONT)], fails=True, close=(1007,)))
    c.append(Case("6.5.1", fam, "binary with invalid UTF-8 bytes is echoed", "§5.6: binary is not text",
                  [Frame(BINARY, b'\xed\xa0\x80\xff')], [(True, b'\xed\xa0\x80\xff')]))
    for j, p in enumerate(SPLIT_INVALID, 2):
        c.append(Case(f"6.5.{j}", fam, "invalid text in 1-byte TCP writes", "§8.1",
                      [Frame(TEXT, p, chopsize=1)], fails=True, close=(1007,)))
    # Fail fast (issue 2: "fails as soon as the bytes can no longer be valid, even mid-fragment"). The
    # RFC only requires failing (§8.1); these cases never send the rest, so only an early check passes.
    bad = KOSME + b'\xf4\x90\x80\x80edited'
    ff = "§8.1 + issue 2: fail fast"
    c += [
        Case("6.6.1", fam, "invalid first fragment, message never finished", ff,
             [Frame(TEXT, bad, fin=False)], fails=True, close=(1007,)),
        Case("6.6.2", fam, "F4 ends fragment 1, 90 starts fragment 2, no final fragment", ff,
             [Frame(TEXT, KOSME + b'\xf4', fin=False), Frame(CONT, b'\x90\x80\x80edited', fin=False)],
             fails=True, close=(1007,)),
        Case("6.6.3", fam, "invalid bytes at the start of a 64 KiB frame whose rest never comes", ff,
             [Frame(TEXT, bad + b'x' * (65536 - len(bad)), cut_after=14 + len(KOSME) + 2)],
             fails=True, close=(1007,)),
        Case("6.6.4", fam, "valid 1 KiB prefix, then an invalid byte, frame never completed", ff,
             [Frame(TEXT, b'a' * 1024 + b'\xc0' + b'a' * 4000, cut_after=8 + 1025)],
             fails=True, close=(1007,)),
    ]
    return c


def family7():
    fam, c = "7 close", []
    hello = b'Hello'
    close = lambda code, reason=b'': Frame(CLOSE, close_payload(code, reason))
    c += [
        Case("7.1.1", fam, "text then close: echo, then close answered", "§5.5.1", [Frame(TEXT, hello), close(1000)],
             [(False, hello)]),
        Case("7.1.2", fam, "close then text: no echo after close", "§5.5.1: no data after Close",
             [close(1000), Frame(TEXT, hello)]),
        Case("7.1.3", fam, "close then ping: no pong", "§5.5.1", [close(1000), Frame(PING, b'late')]),
        Case("7.1.4", fam, "close sent twice", "§5.5.1", [close(1000), close(1000)]),
        Case("7.1.5", fam, "256 KiB text, close and ping in one burst", "§5.5.1",
             [Frame(TEXT, b'B' * 262144), close(1000), Frame(PING)], [(False, b'B' * 262144)]),
        Case("7.1.6", fam, "echo, then close", "§5.5.1, §7.1.2",
             [Frame(TEXT, hello), Wait(1), close(1000)], [(False, hello)]),
        Case("7.3.1", fam, "close without payload", "§5.5.1", [Frame(CLOSE)], close=(1000, None)),
        Case("7.3.2", fam, "close with a 1-byte payload", "§5.5.1: a body starts with a 2-byte code",
             [Frame(CLOSE, b'\x03')], close=(1002,)),
        Case("7.3.3", fam, "close 1000 without reason", "§5.5.1", [close(1000)]),
        Case("7.3.4", fam, "close 1000 with a reason", "§5.5.1", [close(1000, b'Hello World!')]),
        Case("7.3.5", fam, "close 1000 with a 123-byte reason (125-byte payload)", "§5.5",
             [close(1000, b'r' * 123)]),
        Case("7.3.6", fam, "close with a 124-byte reason (126-byte payload)", "§5.5: control payload <= 125",
             [close(1000, b'r' * 124)], close=(1002,)),
        Case("7.5.1", fam, "close reason that is not UTF-8", "§5.5.1, §8.1: 1007",
             [close(1000, KOSME + b'\xed\xa0\x80edited')], close=(1007,)),
        Case("7.5.2", fam, "close reason ending inside a UTF-8 sequence", "§5.5.1, §8.1",
             [close(1000, b'reason \xe2\x82')], close=(1007,)),
    ]
    c.append(Case("7.10.1", fam, "after a protocol error the driver never answers the server's close",
                  "§7.1.1, §7.1.7: the server ends TCP (FIN) without waiting for the answer",
                  [Frame(TEXT, b'x', rsv=1)], fails=True, close=(1002,), answer_close=False))
    for i, code in enumerate([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999], 1):
        c.append(Case(f"7.7.{i}", fam, f"close with valid code {code}", "§7.4.1, §7.4.2",
                      [close(code)], close=(1000, code)))
    for i, code in enumerate([0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535], 1):
        c.append(Case(f"7.9.{i}", fam, f"close with invalid code {code}",
                      "§7.4.1-7.4.2 (1004-1006, 1015 reserved; 0-999 and >= 5000 unused)", [close(code)],
                      close=(1002,)))
    for i, code in enumerate([1012, 1013, 1014], 1):
        c.append(Case(f"7.13.{i}", fam, f"close with code {code} (registered after RFC 6455)",
                      "§7.4.2 (project policy: refused, docs/wire-protocol.md)", [close(code)], close=(1002,)))
    return c


def family9():
    fam, c = "9 limits", []
    sizes = [64 * 1024, 256 * 1024, MIB, 4 * MIB, LIMIT]
    for i, n in enumerate(sizes, 1):
        c.append(Case(f"9.1.{i}", fam, f"text message of {n} bytes in one frame", "§5.2, §10.4",
                      [Frame(TEXT, b'*' * n)], [(False, b'*' * n)]))
        c.append(Case(f"9.2.{i}", fam, f"binary message of {n} bytes in one frame", "§5.2, §10.4",
                      [Frame(BINARY, b'\xfe' * n)], [(True, b'\xfe' * n)]))
    for i, frag in enumerate([64, 256, 4096, 65536, MIB], 1):
        p = b'f' * MIB
        c.append(Case(f"9.3.{i}", fam, f"1 MiB text in fragments of {frag} bytes", "§5.4",
                      [Frame(TEXT if k == 0 else CONT, p[k:k + frag], fin=k + frag >= len(p))
                       for k in range(0, len(p), frag)], [(False, p)]))
    c.append(Case("9.4.1", fam, "binary message of exactly the limit in 16 fragments of 1 MiB", "§5.4, §10.4",
                  [Frame(BINARY if k == 0 else CONT, b'\x07' * MIB, fin=k == 15) for k in range(16)],
                  [(True, b'\x07' * LIMIT)]))
    for i, chop in enumerate([256, 4096, 65536], 1):
        p = b'\x01' * (256 * 1024)
        c.append(Case(f"9.5.{i}", fam, f"256 KiB binary in TCP writes of {chop} bytes", "§5.2",
                      [Frame(BINARY, p, chopsize=chop)], [(True, p)]))
    msgs = [b'%04d' % i + b'.' * 1020 for i in range(1000)]
    c.append(Case("9.7.1", fam, "1000 text messages of 1 KiB sent back to back: all echoed in order", "§5.4",
                  [Frame(TEXT, m) for m in msgs], [(False, m) for m in msgs]))
    c.append(Case("9.8.1", fam, "1000 binary messages of 1 KiB sent back to back", "§5.4",
                  [Frame(BINARY, m) for m in msgs], [(True, m) for m in msgs]))
    c.append(Case("9.9.1", fam, f"one frame of {LIMIT + 1} bytes (limit + 1)", "§7.4.1: 1009, §10.4",
                  [Frame(BINARY, b'\x00' * (LIMIT + 1))], fails=True, close=(1009,)))
    c.append(Case("9.9.2", fam, "fragmented message growing past the limit", "§7.4.1: 1009, §10.4",
                  [Frame(TEXT if k == 0 else CONT, b'g' * MIB, fin=False) for k in range(16)]
                  + [Frame(CONT, b'g')], fails=True, close=(1009,)))
    return c


def family10():
    from autobahn.websocket.compress import PerMessageDeflateOffer
    fam = "10 extensions"
    offer = {"perMessageCompressionOffers": [PerMessageDeflateOffer()]}
    return [
        Case("10.1", fam, "permessage-deflate offered: not accepted, messages uncompressed",
             "§9.1: the server selects none; RFC 7692 not implemented",
             [Frame(TEXT, b'Hello' * 100)], [(False, b'Hello' * 100)], options=offer,
             check=lambda p: None if p.extensions == [] else f"extensions in use: {p.extensions}"),
        Case("10.2", fam, "deflate offered but refused: a frame with RSV1 is still an error", "§5.2, §9.1",
             [Frame(TEXT, b'Hello', rsv=4)], fails=True, close=(1002,), options=offer),
        Case("10.3", fam, "subprotocols offered, none supported: none selected, connection works",
             "§4.2.2: the server selects one it supports or none (the client then fails an unknown one)",
             [Frame(TEXT, b'Hello')], [(False, b'Hello')], protocols=["wsstudy.v1", "chat"],
             check=lambda p: None if p.subprotocol is None else f"subprotocol selected: {p.subprotocol}"),
    ]


def all_cases():
    return family6() + family7() + family9() + family10()
