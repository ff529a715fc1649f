package io.vigil.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;

/** A segment of HAPI's model read by position; components past a type's own are not read (HAPI keeps them aside). */
record HapiSegment(Segment segment) implements Hl7Segment {

    @Override
    public int repetitions(int field) {
        try {
            return field <= segment.numFields() ? segment.getField(field).length : 0;
        } catch (HL7Exception e) {
            return 0;
        }
    }

    @Override
    public String raw(int field, int rep, int component, int subcomponent) {
        Type leaf = part(part(type(field, rep), component), subcomponent);
        if (leaf instanceof Primitive primitive) {
            String v = primitive.getValue();
            return v == null || v.isEmpty() ? null : v;
        }
        return null;
    }

    @Override
    public String value(int field, int rep) {
        return value(type(field, rep));
    }

    @Override
    public boolean isEmpty() {
        try {
            return segment.isEmpty();
        } catch (HL7Exception e) {
            return false;
        }
    }

    private Type type(int field, int rep) {
        if (rep >= repetitions(field)) {
            return null;
        }
        try {
            return segment.getField(field, rep);
        } catch (HL7Exception e) {
            return null;
        }
    }

    private static Type part(Type type, int index) {
        Type t = type instanceof Varies varies ? varies.getData() : type;
        if (t instanceof Composite composite) {
            Type[] components = composite.getComponents();
            return index <= components.length ? components[index - 1] : null;
        }
        return index == 1 ? t : null;
    }

    /** The text of a field: a primitive's value, or a composite's first non-empty component, stripped. */
    static String value(Type type) {
        if (type == null) {
            return null;
        }
        if (type instanceof Varies varies) {
            return value(varies.getData());
        }
        if (type instanceof Primitive primitive) {
            return Hl7Segment.stripped(primitive.getValue());
        }
        if (type instanceof Composite composite) {
            for (Type component : composite.getComponents()) {
                String v = value(component);
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }
}
