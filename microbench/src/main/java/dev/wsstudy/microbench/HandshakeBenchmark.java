package dev.wsstudy.microbench;

import dev.wsstudy.protocol.ProtocolConfig;
import dev.wsstudy.protocol.handshake.Handshake;
import dev.wsstudy.protocol.handshake.HandshakeParser;
import dev.wsstudy.protocol.handshake.HttpRequestHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The opening handshake (RFC 6455 §4.2) of one browser connection: parsing the request head, the
 * {@code Sec-WebSocket-Accept} digest (SHA-1 and base64, §4.2.2), and both together with the checks
 * and the 101 response, which is everything a server does per connection before the first frame.
 * Score: handshakes per second (summary.md also shows µs per handshake).
 */
@State(Scope.Thread)
public class HandshakeBenchmark extends StandardRun {
    /** The RFC's sample key (§1.3), whose answer is {@code s3pPLMBiTxaQ9kYGzzhZRbK+xOo=}. */
    public static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    /** What a current Chromium sends to open ws://localhost:8080/chat (the demo page). */
    public static final byte[] BROWSER_REQUEST = ("GET /chat HTTP/1.1\r\n"
            + "Host: localhost:8080\r\n"
            + "Connection: Upgrade\r\n"
            + "Pragma: no-cache\r\n"
            + "Cache-Control: no-cache\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36\r\n"
            + "Upgrade: websocket\r\n"
            + "Origin: http://localhost:8080\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\n"
            + "Sec-WebSocket-Key: " + KEY + "\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            + "\r\n").getBytes(StandardCharsets.ISO_8859_1);

    final ProtocolConfig config = ProtocolConfig.defaults();
    final ByteBuffer request = ByteBuffer.wrap(BROWSER_REQUEST);

    @Benchmark
    public HttpRequestHead parseRequest() {
        request.clear();
        HandshakeParser parser = new HandshakeParser(config.maxHandshakeBytes(), config.maxHeaderCount());
        if (parser.parse(request) != HandshakeParser.Result.COMPLETE) {
            throw new IllegalStateException("the browser request did not parse: " + parser.rejectReason());
        }
        return parser.head();
    }

    @Benchmark
    public String acceptKey() {
        return Handshake.acceptKey(KEY);
    }

    @Benchmark
    public Handshake.Outcome parseAndAnswer() {
        return Handshake.evaluate(parseRequest(), config, path -> path.equals("/chat"));
    }
}
