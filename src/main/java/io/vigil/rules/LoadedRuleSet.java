package io.vigil.rules;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.kie.api.KieBase;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.KieContainer;

/**
 * A built rule set: its KIE base, the version (hash of every file), what it was built from, and the working
 * memories evaluations run in.
 */
record LoadedRuleSet(String version, Instant loadedAt, List<String> files, int ruleCount, Set<String> globals,
                     KieContainer container, ReleaseId releaseId, SessionPool sessions) {

    KieBase base() {
        return container.getKieBase();
    }
}
