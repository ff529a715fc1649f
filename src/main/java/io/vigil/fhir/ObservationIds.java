package io.vigil.fhir;

import io.vigil.model.DeviceObservation;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The identifier each observation of a message is charted under: its own stable id, or, for a member of a
 * complete blood pressure panel, the panel's id (derived from the systolic member).
 */
public final class ObservationIds {

    private ObservationIds() {
    }

    /** @param excluded observations charted without a value: they never join a panel */
    public static Map<DeviceObservation, String> of(List<DeviceObservation> observations, Set<DeviceObservation> excluded) {
        Map<DeviceObservation, String> ids = new IdentityHashMap<>();
        for (List<DeviceObservation> group : BloodPressureGrouping.group(observations, excluded)) {
            if (BloodPressureGrouping.isCompletePanel(group)) {
                String panelId = panelId(group);
                group.forEach(o -> ids.put(o, panelId));
            } else {
                group.forEach(o -> ids.put(o, BundleEntries.stableId(o.sourceKey())));
            }
        }
        return ids;
    }

    static String panelId(List<DeviceObservation> group) {
        DeviceObservation systolic = group.stream().filter(o -> "systolic".equals(o.panelRole())).findFirst().orElse(group.get(0));
        return BundleEntries.stableId(systolic.sourceKey() + "|bp-panel");
    }
}
