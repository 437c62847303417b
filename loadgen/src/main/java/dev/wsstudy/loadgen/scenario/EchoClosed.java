package dev.wsstudy.loadgen.scenario;

import dev.wsstudy.loadgen.RunOptions;

/** echo-closed: maximum throughput with --in-flight messages outstanding per connection. */
public final class EchoClosed extends EchoScenario {
    public EchoClosed(RunOptions o) {
        super(o, false);
    }
}
