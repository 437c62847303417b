package dev.wsstudy.peer.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Echo, the way Netty's own echo example does it: write each received data frame back as it is
 * (text, binary or continuation, so message type and fragmentation are kept, RFC 6455 §5.4) and
 * flush once per read batch, so frames that arrived together leave in one write. The frame's buffer
 * is handed to the write, which releases it. Control frames never get here: the protocol handler
 * answers pings and closes.
 */
final class EchoHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame) {
            ctx.write(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        System.err.println("peer-netty: " + ctx.channel().remoteAddress() + ": " + cause);
        ctx.close();
    }
}
