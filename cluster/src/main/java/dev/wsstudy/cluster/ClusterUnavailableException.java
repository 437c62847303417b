package dev.wsstudy.cluster;

/**
 * Redis could not be reached (or the URL is not {@code redis://HOST:PORT}) when a node started.
 * A node does not start alone in that case: a cluster node that silently serves only its own
 * members would split every room in two without anyone noticing (docs/cluster.md).
 */
public final class ClusterUnavailableException extends Exception {

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
