package io.vigil.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_PATIENT;
import ca.uhn.hl7v2.model.v26.message.ORU_R01;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A PCD-01 ORU^R01 read straight from its text, without building HAPI's object model (which costs about as much
 * as the rest of the message's processing). It reads what HAPI would read, for the messages whose reading is
 * plain: the standard encoding characters, no escape sequence, no repetition where HAPI allows none, message type
 * ORU^R01 of v2.3 to v2.6, and segments in the order of the ORU^R01 structure (MSH [SFT] then, per patient, [PID
 * [PD1] [NK1] [PV1 [PV2]]] and orders of [ORC] OBR with their OBX rows; NTE anywhere after a PID or an OBR).
 * {@link #read} returns null for any other message, and HAPI reads it; tests compare both readings on the samples
 * and on thousands of mutations of them.
 */
public final class Pcd01Text {

    private static final Set<String> VERSIONS = Set.of("2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6");
    /** OBX-2 values read here: primitives, CWE (9 components, read as HAPI's composite), waveforms (not read). */
    private static final Set<String> VALUE_TYPES = Set.of("NM", "ST", "TX", "CWE", "NA", "MA");
    private static final int CWE_COMPONENTS = 9;
    /** Per segment name, HAPI's maximum repetitions of each field (index = field number; 0: unlimited). */
    private static final Map<String, int[]> MAX_REPETITIONS = maxRepetitions();

    private final String text;
    private final Hl7Segment msh;
    private final List<Pcd01Extractor.PatientGroup> groups;

    private Pcd01Text(String text, Hl7Segment msh, List<Pcd01Extractor.PatientGroup> groups) {
        this.text = text;
        this.msh = msh;
        this.groups = groups;
    }

    /** The message as read (segments ended by CR). */
    String text() {
        return text;
    }

    Hl7Segment msh() {
        return msh;
    }

    List<Pcd01Extractor.PatientGroup> groups() {
        return groups;
    }

    /**
     * @param text a message whose segments end in CR and that starts with "MSH" (as {@link Hl7Codec#normalise} leaves it)
     * @return the message, or null when its reading is not plain (HAPI then reads it)
     */
    public static Pcd01Text read(String text) {
        if (text.length() < 9 || text.charAt(3) != '|' || !text.startsWith("^~\\&|", 4)) {
            return null;
        }
        List<Line> lines = new ArrayList<>();
        int from = 0;
        while (from <= text.length()) {
            int end = text.indexOf('\r', from);
            if (end < 0) {
                end = text.length();
            }
            Line line = Line.of(text.substring(from, end), lines.isEmpty());
            if (line == null) {
                return null;
            }
            lines.add(line);
            from = end + 1;
        }
        Line msh = lines.get(0);
        if (!"MSH".equals(msh.name) || !"ORU".equals(msh.raw(9, 0, 1, 1)) || !"R01".equals(msh.raw(9, 0, 2, 1))
                || !(msh.raw(9, 0, 3, 1) == null || "ORU_R01".equals(msh.raw(9, 0, 3, 1)))
                || msh.raw(12, 0, 1, 1) == null || !VERSIONS.contains(msh.raw(12, 0, 1, 1))) {
            return null;
        }
        List<Pcd01Extractor.PatientGroup> groups = groups(lines);
        return groups == null ? null : new Pcd01Text(text, msh, groups);
    }

    /** The patients and orders, or null when a segment is not where the ORU^R01 structure has it. */
    private static List<Pcd01Extractor.PatientGroup> groups(List<Line> lines) {
        List<Pcd01Extractor.PatientGroup> groups = new ArrayList<>();
        Hl7Segment pid = null;
        Hl7Segment pv1 = null;
        List<Pcd01Extractor.OrderGroup> orders = null;
        List<Hl7Segment> rows = null;
        int patientStage = 0; // 1 PID, 2 PD1, 3 NK1, 4 PV1, 5 PV2; 6 once an order started
        boolean orcPending = false;
        for (Line line : lines.subList(1, lines.size())) {
            switch (line.name) {
                case "SFT" -> {
                    if (orders != null) {
                        return null;
                    }
                }
                case "PID" -> {
                    if (orcPending) {
                        return null;
                    }
                    if (orders != null) {
                        groups.add(new Pcd01Extractor.PatientGroup(pid, pv1, orders));
                    }
                    pid = line;
                    pv1 = Hl7Segment.ABSENT;
                    orders = new ArrayList<>();
                    rows = null;
                    patientStage = 1;
                }
                case "PD1", "NK1", "PV1", "PV2" -> {
                    int stage = switch (line.name) {
                        case "PD1" -> 2;
                        case "NK1" -> 3;
                        case "PV1" -> 4;
                        default -> 5;
                    };
                    boolean repeats = stage == 3;
                    if (orders == null || patientStage == 0 || patientStage > stage || (patientStage == stage && !repeats)
                            || (stage == 5 && patientStage != 4)) {
                        return null;
                    }
                    patientStage = stage;
                    if (stage == 4) {
                        pv1 = line;
                    }
                }
                case "NTE" -> {
                    if (orders == null) {
                        return null;
                    }
                }
                case "ORC", "OBR" -> {
                    if (orcPending && "ORC".equals(line.name)) {
                        return null;
                    }
                    if (orders == null) {
                        pid = Hl7Segment.ABSENT;
                        pv1 = Hl7Segment.ABSENT;
                        orders = new ArrayList<>();
                    }
                    patientStage = 6;
                    if ("ORC".equals(line.name)) {
                        orcPending = true;
                        rows = null;
                    } else {
                        orcPending = false;
                        rows = new ArrayList<>();
                        orders.add(new Pcd01Extractor.OrderGroup(line, rows));
                    }
                }
                case "OBX" -> {
                    if (rows == null || orcPending || !line.readableObservation()) {
                        return null;
                    }
                    rows.add(line);
                }
                default -> {
                    return null;
                }
            }
        }
        if (orcPending) {
            return null;
        }
        if (orders != null) {
            groups.add(new Pcd01Extractor.PatientGroup(pid, pv1, orders));
        }
        return groups;
    }

    /** One segment: its text and where each field ends. */
    static final class Line implements Hl7Segment {

        final String name;
        private final String text;
        private final boolean msh;
        /** ends[t]: index just past token t (token 0 is the segment name; for MSH, token 1 is MSH-2). */
        private final int[] ends;
        private final int tokens;
        private int valueComponents = 1;

        private Line(String name, String text, boolean msh, int[] ends, int tokens) {
            this.name = name;
            this.text = text;
            this.msh = msh;
            this.ends = ends;
            this.tokens = tokens;
        }

        /** Null when the segment is not plain: unknown name, an escape sequence, a repetition HAPI allows none of. */
        static Line of(String text, boolean first) {
            if (text.length() < 3 || (text.length() > 3 && text.charAt(3) != '|')) {
                return null;
            }
            String name = text.substring(0, 3);
            int[] max = MAX_REPETITIONS.get(name);
            if (max == null || first != "MSH".equals(name)) {
                return null;
            }
            int[] ends = new int[16];
            int tokens = 0;
            boolean repeated = false;
            for (int i = 3; i <= text.length(); i++) {
                char c = i < text.length() ? text.charAt(i) : '|';
                if (c == '|') {
                    if (tokens > 0 && (!first || tokens > 1)) {
                        int field = first ? tokens + 1 : tokens;
                        if (repeated && (field >= max.length || max[field] == 1)) {
                            return null;
                        }
                    }
                    if (tokens == ends.length) {
                        ends = java.util.Arrays.copyOf(ends, tokens * 2);
                    }
                    ends[tokens++] = i;
                    repeated = false;
                } else if (c == '~') {
                    repeated = true;
                } else if (c == '\\' && !(first && tokens == 1)) {
                    return null; // an escape sequence: HAPI unescapes it
                }
            }
            return new Line(name, text, first, ends, tokens);
        }

        /**
         * OBX-2 is a type read here (or absent with OBX-5 absent), and OBX-5 has no subcomponent separator (HAPI
         * keeps one inside a primitive's value when it types OBX-5 after the parse).
         */
        boolean readableObservation() {
            int value = token(5);
            if (value >= 0 && text.lastIndexOf('&', ends[value] - 1) >= start(value)) {
                return false;
            }
            String type = raw(2, 0, 1, 1);
            if (type == null) {
                return value < 0 || start(value) == ends[value];
            }
            if (!VALUE_TYPES.contains(type)) {
                return false;
            }
            valueComponents = "CWE".equals(type) ? CWE_COMPONENTS : 1;
            return true;
        }

        private int token(int field) {
            int t = msh ? field - 1 : field;
            return t >= 1 && t < tokens ? t : -1;
        }

        private int start(int token) {
            return ends[token - 1] + 1;
        }

        @Override
        public int repetitions(int field) {
            int t = token(field);
            if (t < 0 || start(t) == ends[t]) {
                return 0;
            }
            int n = 1;
            for (int i = start(t); i < ends[t]; i++) {
                if (text.charAt(i) == '~') {
                    n++;
                }
            }
            return n;
        }

        @Override
        public String raw(int field, int rep, int component, int subcomponent) {
            int t = token(field);
            if (t < 0) {
                return null;
            }
            int s = start(t);
            int e = ends[t];
            s = skip(s, e, '~', rep);
            if (s < 0) {
                return null;
            }
            e = until(s, e, '~');
            s = skip(s, e, '^', component - 1);
            if (s < 0) {
                return null;
            }
            e = until(s, e, '^');
            s = skip(s, e, '&', subcomponent - 1);
            if (s < 0) {
                return null;
            }
            e = until(s, e, '&');
            return s == e ? null : text.substring(s, e);
        }

        /** Past {@code n} separators from {@code s}; -1 when there are fewer. */
        private int skip(int s, int e, char separator, int n) {
            for (int k = 0; k < n; k++) {
                int at = until(s, e, separator);
                if (at == e) {
                    return -1;
                }
                s = at + 1;
            }
            return s;
        }

        private int until(int s, int e, char separator) {
            for (int i = s; i < e; i++) {
                if (text.charAt(i) == separator) {
                    return i;
                }
            }
            return e;
        }

        @Override
        public String value(int field, int rep) {
            int components = "OBX".equals(name) && field == 5 ? valueComponents : 1;
            for (int c = 1; c <= components; c++) {
                String v = text(field, rep, c, 1);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }

        @Override
        public boolean isEmpty() {
            for (int i = 3; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c != '|' && c != '^' && c != '~' && c != '&') {
                    return false;
                }
            }
            return true;
        }
    }

    private static Map<String, int[]> maxRepetitions() {
        ORU_R01 oru = new ORU_R01();
        try {
            ORU_R01_PATIENT patient = oru.getPATIENT_RESULT().getPATIENT();
            ORU_R01_ORDER_OBSERVATION order = oru.getPATIENT_RESULT().getORDER_OBSERVATION();
            Map<String, int[]> max = new HashMap<>();
            for (Segment s : List.of(oru.getMSH(), oru.getSFT(), patient.getPID(), patient.getPD1(), patient.getNK1(),
                    patient.getVISIT().getPV1(), patient.getVISIT().getPV2(), order.getORC(), order.getOBR(),
                    order.getNTE(), order.getOBSERVATION().getOBX())) {
                int[] reps = new int[s.numFields() + 1];
                for (int f = 1; f <= s.numFields(); f++) {
                    reps[f] = s.getMaxCardinality(f);
                }
                max.put(s.getName(), reps);
            }
            return max;
        } catch (HL7Exception e) {
            throw new IllegalStateException("HAPI's ORU^R01 v2.6 structure could not be read", e);
        }
    }
}
