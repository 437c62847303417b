package dev.wsstudy.loadgen.scenario;

import dev.wsstudy.loadgen.RunOptions;
import dev.wsstudy.loadgen.client.WsClient;

/** large-messages: closed-loop echo of 64 KiB .. 4 MiB messages; throughputMBps is the headline. */
public final class LargeMessages extends EchoScenario {
    public LargeMessages(RunOptions o) {
        super(o, false);
        if (o.payloadBytes > WsClient.MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("--payload-bytes above " + WsClient.MAX_MESSAGE_BYTES);
        }
    }
}
