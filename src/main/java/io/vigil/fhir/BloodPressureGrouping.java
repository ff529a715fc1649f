package io.vigil.fhir;

import io.vigil.model.DeviceObservation;
import io.vigil.model.PatientRef;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups the systolic, diastolic and mean values of one measurement (same device, same time) so that they
 * become one blood pressure panel. A group without both systolic and diastolic is split back into single values.
 */
final class BloodPressureGrouping {

    private BloodPressureGrouping() {
    }

    /** Every observation in exactly one group, in message order; non-BP values are groups of one. */
    static List<List<DeviceObservation>> group(List<DeviceObservation> observations, Set<DeviceObservation> excluded) {
        Map<Object, List<DeviceObservation>> groups = new LinkedHashMap<>();
        for (DeviceObservation obs : observations) {
            Object key = obs.panelRole() == null || "panel".equals(obs.panelRole()) || excluded.contains(obs)
                    ? new Object() // a group of its own
                    : new Measurement(obs.device().id(), obs.effective(), obs.patient());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(obs);
        }
        List<List<DeviceObservation>> result = new ArrayList<>();
        for (List<DeviceObservation> group : groups.values()) {
            if (group.get(0).panelRole() != null && !"panel".equals(group.get(0).panelRole()) && !isCompletePanel(group)) {
                group.forEach(obs -> result.add(List.of(obs)));
            } else {
                result.add(group);
            }
        }
        return result;
    }

    /** One measurement: the values of one device at one time for one patient. */
    private record Measurement(String device, OffsetDateTime effective, PatientRef patient) {
    }

    static boolean isCompletePanel(List<DeviceObservation> group) {
        boolean systolic = false;
        boolean diastolic = false;
        for (int i = 0; i < group.size(); i++) {
            String role = group.get(i).panelRole();
            systolic |= "systolic".equals(role);
            diastolic |= "diastolic".equals(role);
        }
        return systolic && diastolic;
    }
}
