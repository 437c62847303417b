package dev.wsstudy.loadgen.scenario;

import dev.wsstudy.loadgen.RunOptions;

/** echo-rate: constant offered --rate (or a --rates sweep), latency from intended send times. */
public final class EchoRate extends EchoScenario {
    public EchoRate(RunOptions o) {
        super(o, true);
    }
}
