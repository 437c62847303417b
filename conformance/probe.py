"""The wire-level client of the conformance driver: Autobahn|Python's WebSocket client (Debian's
python3-autobahn), not our protocol module and not our raw test client.

Autobahn|Python builds, masks and parses every frame. Its sendFrame() deliberately lets a caller send
invalid frames (any opcode, RSV bits, FIN, unmasked, oversized control frames), which is what a
conformance driver needs. Its own validation of what the *server* sends (masking, RSV, UTF-8 of text
and close reasons, close codes) stays on: a server that answers with a broken frame fails the case.

One Probe is one TCP connection to one server; it records what it observes:
messages, pongs, the close frames it received, whether the server dropped TCP, and any protocol
violation Autobahn|Python detected in the server's frames.
"""
import asyncio

from autobahn.asyncio.websocket import WebSocketClientFactory, WebSocketClientProtocol

OPEN_TIMEOUT_S = 20
# After the close handshake the server must drop TCP (RFC 6455 §7.1.1); generous for a busy 2-core box.
DROP_TIMEOUT_S = 10


class Probe(WebSocketClientProtocol):
    def __init__(self):
        super().__init__()
        self.messages = []          # (is_binary, payload bytes), in arrival order
        self.pongs = []             # payload bytes, in arrival order
        self.close_frames = []      # (code or None, reason bytes or None, sent_close_before)
        self.client_sent_close = False
        self.answer_close = True    # False: play a peer that never answers the server's close frame
        self.violations = []        # what Autobahn|Python found wrong in the server's frames
        self.extensions = None
        self.opened = asyncio.get_event_loop().create_future()
        self.closed = asyncio.get_event_loop().create_future()
        self._changed = asyncio.Event()

    # --- observation -------------------------------------------------------------------------
    def onConnect(self, response):
        self.extensions = list(self.websocket_extensions_in_use)
        self.subprotocol = self.websocket_protocol_in_use

    def onOpen(self):
        if not self.opened.done():
            self.opened.set_result(True)

    def onMessage(self, payload, isBinary):
        self.messages.append((isBinary, bytes(payload)))
        self._changed.set()

    def onPong(self, payload):
        self.pongs.append(bytes(payload))
        self._changed.set()

    def onCloseFrame(self, code, reasonRaw):
        self.close_frames.append((code, reasonRaw, self.client_sent_close))
        self._changed.set()
        if not self.answer_close:
            return True   # swallow it: no close reply, the server has to end TCP on its own
        return super().onCloseFrame(code, reasonRaw)

    def onClose(self, wasClean, code, reason):
        if not self.opened.done():
            self.opened.set_exception(ConnectionError(f"handshake failed: {reason}"))
        if not self.closed.done():
            self.closed.set_result(True)
        self._changed.set()

    def _protocol_violation(self, reason):
        self.violations.append(f"protocol violation by server: {reason}")
        return super()._protocol_violation(reason)

    def _invalid_payload(self, reason):
        self.violations.append(f"invalid payload from server: {reason}")
        return super()._invalid_payload(reason)

    # --- acting --------------------------------------------------------------------------------
    def sendFrame(self, opcode, payload=b'', fin=True, rsv=0, mask=None, payload_len=None,
                  chopsize=None, sync=False):
        if opcode == 8:
            self.client_sent_close = True
        super().sendFrame(opcode, payload, fin, rsv, mask, payload_len, chopsize, sync)

    def frame_bytes(self, **frame):
        """The wire bytes Autobahn|Python would send for a frame (masked as usual), without sending them."""
        captured = []
        self.sendData = lambda data, sync=False, chopsize=None: captured.append(data)
        try:
            self.sendFrame(**frame)
        finally:
            del self.sendData
        return b''.join(captured)

    def send_raw(self, data):
        self.sendData(data)

    async def until(self, predicate, timeout_s):
        """Waits until predicate() holds or the connection closes; False on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while not predicate():
            if self.closed.done():
                return predicate()
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except asyncio.TimeoutError:
                return predicate()
        return True

    @property
    def server_dropped_tcp(self):
        return not (self.wasServerConnectionDropTimeout or self.wasCloseHandshakeTimeout or self.droppedByMe)


async def connect(host, port, path, options, answer_close=True, protocols=None):
    loop = asyncio.get_running_loop()
    factory = WebSocketClientFactory(f"ws://{host}:{port}{path}", protocols=protocols)
    factory.protocol = Probe
    factory.setProtocolOptions(openHandshakeTimeout=OPEN_TIMEOUT_S, closeHandshakeTimeout=DROP_TIMEOUT_S,
                               serverConnectionDropTimeout=DROP_TIMEOUT_S, **options)
    _, probe = await loop.create_connection(factory, host, port)
    probe.answer_close = answer_close
    await asyncio.wait_for(probe.opened, OPEN_TIMEOUT_S)
    return probe
