package io.vigil.hl7;

/**
 * One HL7 v2 segment read by position, the way {@link Pcd01Extractor} reads it: from HAPI's model
 * ({@link HapiSegment}) or straight from the message text ({@link Pcd01Text}). Fields and components count from 1
 * (MSH-1 is the field separator), repetitions from 0.
 */
interface Hl7Segment {

    /** A segment the message does not have: every field absent. */
    Hl7Segment ABSENT = new Hl7Segment() {
        @Override
        public int repetitions(int field) {
            return 0;
        }

        @Override
        public String raw(int field, int rep, int component, int subcomponent) {
            return null;
        }

        @Override
        public String value(int field, int rep) {
            return null;
        }

        @Override
        public boolean isEmpty() {
            return true;
        }
    };

    /** How many repetitions the field has (0 when it is absent). */
    int repetitions(int field);

    /** One value as sent (a primitive's text, not stripped); null when empty or absent. */
    String raw(int field, int rep, int component, int subcomponent);

    /**
     * A whole repetition as HAPI reads it: a primitive's text, or a composite's first non-blank component; stripped,
     * null when blank.
     */
    String value(int field, int rep);

    /** No field has a value. */
    boolean isEmpty();

    /** {@link #raw} stripped; null when blank. */
    default String text(int field, int rep, int component, int subcomponent) {
        return stripped(raw(field, rep, component, subcomponent));
    }

    /** The first component of the field's first repetition, stripped; null when blank. */
    default String text(int field) {
        return text(field, 0, 1, 1);
    }

    /** The first component of the field's given repetition, stripped; null when blank. */
    default String text(int field, int component) {
        return text(field, 0, component, 1);
    }

    static String stripped(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
