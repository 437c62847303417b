"""Family 11: the same protocol rules on the /chat endpoint. The codec is shared by both endpoints,
so every case in which the server must fail the connection on its own, before any message reaches
the application, is repeated on /chat with the same expectation. Plus the one /chat rule about
frames: binary data is refused with 1003 (§7.4.1: "a type of data it cannot accept")."""
import copy

from model import BINARY, Case, Frame


def family11(cases):
    out = [Case("11.0", "11 /chat endpoint", "binary message on /chat", "§7.4.1: 1003 (docs/wire-protocol.md)",
                [Frame(BINARY, b'\x00\x01')], fails=True, close=(1003,), path='/chat')]
    for c in cases:
        if c.fails and not c.messages and not c.pongs and c.path == '/echo' and not c.options:
            v = copy.copy(c)
            v.id, v.family, v.path, v.title = f"11.{c.id}", "11 /chat endpoint", '/chat', f"/chat: {c.title}"
            out.append(v)
    return out
