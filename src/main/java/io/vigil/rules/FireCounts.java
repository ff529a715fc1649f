package io.vigil.rules;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often each rule fired. A rule acts only through the collectors it is given (news2, qsofa, decisions,
 * governance), and each collector call names its rule, so counting there counts every firing that had an
 * effect, without a Drools event listener (which costs about a tenth of the evaluation rate).
 */
public final class FireCounts {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void fired(String rule) {
        counts.computeIfAbsent(rule, k -> new LongAdder()).increment();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((rule, n) -> out.put(rule, n.sum()));
        return out;
    }

    /** For collectors used outside an engine (tests). */
    static final FireCounts NONE = new FireCounts();
}
