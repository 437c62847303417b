package dev.wsstudy.loadgen.scenario;

import dev.wsstudy.loadgen.RunOptions;

/**
 * blocking-handler: echo against a server started with simulated per-message work
 * ({@code --work-cpu-us}, {@code --work-block-ms}, set by the suite on the server). Open loop
 * when {@code --rate} is given, else closed loop. The work settings are recorded in the params.
 */
public final class BlockingHandler extends EchoScenario {
    public BlockingHandler(RunOptions o) {
        super(o, o.rate != null);
        if (o.workCpuUs == null && o.workBlockMs == null) {
            throw new IllegalArgumentException("blocking-handler: give the server's --work-cpu-us and/or --work-block-ms so the result records them");
        }
    }
}
