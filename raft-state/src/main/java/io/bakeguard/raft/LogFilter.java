package io.bakeguard.raft;

import java.util.Optional;

/**
 * Filters for reading the watermark log. All present filters must match; records come in index order
 * starting after {@code afterIndex}; at most {@code limit} records (the newest ones when {@code newest}).
 */
public record LogFilter(
        Optional<String> keyHash,
        Optional<String> kind,
        Optional<Integer> minLevel,
        Optional<Integer> maxLevel,
        long afterIndex,
        int limit,
        boolean newest) {

    public static LogFilter all(int limit) {
        return new LogFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, limit, false);
    }
}
