package io.otelservices.storage.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 that forwards to a local server until a byte limit is reached, then cuts every
 * connection: a network failure in the middle of a transfer, for testing what a client leaves behind. The limits
 * count all connections together, so the client's retries fail too.
 */
final class TruncatingProxy implements AutoCloseable {
    private final int upstreamPort;
    private final AtomicLong requestBytesLeft;
    private final AtomicLong responseBytesLeft;
    private final ServerSocket serverSocket;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /**
     * @param maxRequestBytes bytes forwarded from clients to the server before cutting, all connections together
     * @param maxResponseBytes bytes forwarded from the server to clients before cutting, all connections together
     */
    TruncatingProxy(int upstreamPort, long maxRequestBytes, long maxResponseBytes) throws IOException {
        this.upstreamPort = upstreamPort;
        this.requestBytesLeft = new AtomicLong(maxRequestBytes);
        this.responseBytesLeft = new AtomicLong(maxResponseBytes);
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "truncating-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket client = serverSocket.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, requestBytesLeft, "request");
                pump(upstream, client, responseBytesLeft, "response");
            } catch (IOException e) {
                // closed, or the upstream refused: the client sees its connection drop
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicLong bytesLeft, String direction) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    long allowed = Math.min(read, Math.max(0, bytesLeft.getAndAdd(-read)));
                    out.write(buffer, 0, (int) allowed);
                    out.flush();
                    if (allowed < read) {
                        break;
                    }
                }
            } catch (IOException e) {
                // the other side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "truncating-proxy-" + direction);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
