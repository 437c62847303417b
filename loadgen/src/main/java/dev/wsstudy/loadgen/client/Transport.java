package dev.wsstudy.loadgen.client;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.function.Supplier;

/**
 * The client's Netty transport ({@code --transport}).
 * <ul>
 * <li>{@code epoll}: native epoll; one read and one write syscall per message plus epoll_wait.
 *     Timers are a timerfd (µs resolution).</li>
 * <li>{@code io_uring}: native io_uring; the loop queues every socket's reads and writes in the
 *     submission ring and hands them to the kernel in one {@code io_uring_enter} per loop iteration,
 *     so with many busy connections the syscalls per message fall below one. Timers are an
 *     {@code IORING_OP_TIMEOUT} with a nanosecond {@code timespec} (hrtimer): as precise as epoll's.</li>
 * <li>{@code nio}: the JDK selector; its select timeout has millisecond resolution, too coarse for
 *     an event loop to pace its own open-loop sends.</li>
 * </ul>
 * {@code auto} is epoll where it loads, else nio (A/B against io_uring: docs/loadgen.md).
 */
public enum Transport {
    EPOLL("epoll", true, EpollSocketChannel.class, EpollIoHandler::newFactory),
    IO_URING("io_uring", true, IoUringSocketChannel.class, IoUringIoHandler::newFactory),
    NIO("nio", false, NioSocketChannel.class, NioIoHandler::newFactory);

    public static final String CHOICES = "auto, epoll, io_uring or nio";

    /** The option value and the name in summary.json ({@code loadgen.transport}). */
    public final String option;
    /** Whether event-loop timers fire within microseconds, so a loop can pace its own sends. */
    public final boolean preciseTimers;
    final Class<? extends SocketChannel> channelClass;
    private final Supplier<IoHandlerFactory> handlers;

    Transport(String option, boolean preciseTimers, Class<? extends SocketChannel> channelClass,
              Supplier<IoHandlerFactory> handlers) {
        this.option = option;
        this.preciseTimers = preciseTimers;
        this.channelClass = channelClass;
        this.handlers = handlers;
    }

    IoHandlerFactory ioHandlerFactory() {
        return handlers.get();
    }

    /** Why this transport cannot run here, or null when it can. */
    public String unavailableBecause() {
        Throwable cause = switch (this) {
            case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
            case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
            case NIO -> null;
        };
        return cause == null ? null : String.valueOf(cause);
    }

    /**
     * The option resolved ({@code auto}: epoll where it loads, else nio).
     *
     * @throws IllegalArgumentException for an unknown name or a native transport that does not load
     */
    public static Transport resolve(String option) {
        if ("auto".equals(option)) return EPOLL.unavailableBecause() == null ? EPOLL : NIO;
        for (Transport t : values()) {
            if (t.option.equals(option)) {
                String why = t.unavailableBecause();
                if (why != null) {
                    throw new IllegalArgumentException("--transport " + option + ": Netty's native " + option
                            + " does not load here (" + why + "); use auto or nio");
                }
                return t;
            }
        }
        throw new IllegalArgumentException("--transport must be " + CHOICES + ", not '" + option + "'");
    }
}
