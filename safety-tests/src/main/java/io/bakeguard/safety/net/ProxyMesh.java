package io.bakeguard.safety.net;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One {@link LinkProxy} per ordered pair of replicas: replica {@code a} reaches peer {@code b}'s Raft port only
 * through {@code proxy(a, b)}, so the harness decides which replica hears which.
 *
 * <p>Partitions are expressed as sets of directed cuts: "{@code a} cannot send to {@code b}". In {@link Mode#STALL}
 * a directed cut holds the bytes {@code a} sends to {@code b} on every connection between them (those {@code a}
 * opened and those {@code b} opened), so one-way partitions are real. In {@link Mode#DROP} the connections
 * between the two are closed and refused, which is necessarily both ways.
 */
public final class ProxyMesh implements AutoCloseable {

    /** How a cut link behaves. */
    public enum Mode {
        STALL,
        DROP
    }

    /** "{@code from} cannot send to {@code to}". */
    public record Cut(String from, String to) {}

    private final Map<String, Map<String, LinkProxy>> proxies = new LinkedHashMap<>();
    private final Set<Cut> cuts = new java.util.HashSet<>();

    /**
     * @param raftPorts each replica's real Raft port (what it listens on)
     */
    public ProxyMesh(Map<String, Integer> raftPorts) throws IOException {
        try {
            for (String a : raftPorts.keySet()) {
                Map<String, LinkProxy> row = new LinkedHashMap<>();
                proxies.put(a, row);
                for (Map.Entry<String, Integer> b : raftPorts.entrySet()) {
                    if (!a.equals(b.getKey())) {
                        row.put(b.getKey(), new LinkProxy(a, b.getKey(), b.getValue()));
                    }
                }
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** The port replica {@code from} must use to reach {@code to}'s Raft endpoint. */
    public int portFor(String from, String to) {
        return proxy(from, to).port();
    }

    public LinkProxy proxy(String from, String to) {
        Map<String, LinkProxy> row = proxies.get(from);
        if (row == null || !row.containsKey(to)) {
            throw new IllegalArgumentException("no link " + from + " -> " + to);
        }
        return row.get(to);
    }

    public Set<String> replicas() {
        return new TreeSet<>(proxies.keySet());
    }

    /** Applies directed cuts (in addition to those already in place). */
    public synchronized void cut(Collection<Cut> newCuts, Mode mode) {
        for (Cut c : newCuts) {
            cuts.add(c);
            if (mode == Mode.DROP) {
                proxy(c.from(), c.to()).drop();
                proxy(c.to(), c.from()).drop();
            } else {
                proxy(c.from(), c.to()).stallForward();
                proxy(c.to(), c.from()).stallBackward();
            }
        }
    }

    /** Restores every link. */
    public synchronized void healAll() {
        for (Map<String, LinkProxy> row : proxies.values()) {
            for (LinkProxy p : row.values()) {
                p.heal();
            }
        }
        cuts.clear();
    }

    public synchronized Set<Cut> cuts() {
        return Set.copyOf(cuts);
    }

    /**
     * Replicas that, under the current cuts, exchange messages both ways with fewer than a majority of the
     * group (counting themselves): they can neither commit as leader nor hear a commit from one.
     */
    public synchronized Set<String> minority() {
        return minorityUnder(cuts, proxies.keySet());
    }

    /** {@link #minority()} for a given set of cuts. */
    public static Set<String> minorityUnder(Collection<Cut> cuts, Collection<String> all) {
        Set<String> out = new TreeSet<>();
        int majority = all.size() / 2 + 1;
        for (String x : all) {
            int reach = 1;
            for (String y : all) {
                if (!y.equals(x) && !cuts.contains(new Cut(x, y)) && !cuts.contains(new Cut(y, x))) {
                    reach++;
                }
            }
            if (reach < majority) {
                out.add(x);
            }
        }
        return out;
    }

    /** Both directions between {@code x} and every other replica. */
    public static List<Cut> isolate(String x, Collection<String> all) {
        List<Cut> out = new ArrayList<>();
        for (String y : all) {
            if (!y.equals(x)) {
                out.add(new Cut(x, y));
                out.add(new Cut(y, x));
            }
        }
        return out;
    }

    /** Both directions between every member of {@code side} and every replica outside it. */
    public static List<Cut> split(Collection<String> side, Collection<String> all) {
        List<Cut> out = new ArrayList<>();
        for (String a : side) {
            for (String b : all) {
                if (!side.contains(b)) {
                    out.add(new Cut(a, b));
                    out.add(new Cut(b, a));
                }
            }
        }
        return out;
    }

    /** Only the directions into {@code x}: it can still send to everyone, nobody reaches it. */
    public static List<Cut> inbound(String x, Collection<String> all) {
        List<Cut> out = new ArrayList<>();
        for (String y : all) {
            if (!y.equals(x)) {
                out.add(new Cut(y, x));
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (Map<String, LinkProxy> row : proxies.values()) {
            for (LinkProxy p : row.values()) {
                p.close();
            }
        }
    }
}
