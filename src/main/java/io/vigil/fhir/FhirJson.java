package io.vigil.fhir;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIR R4 JSON of the resources Vigil builds, written in one walk of the HAPI model: the same text HAPI's
 * JsonParser writes for them (element order of the definitions, empty elements left out, decimals as written,
 * choice elements named by type), at a fraction of its cost. An object or array is opened in the output only
 * once something is written into it, so emptiness needs no second walk. What the walk does not handle
 * (extensions, narratives, contained resources, primitives with an id or extensions) it reports by returning
 * null, and the caller uses HAPI's parser. Tests compare both writers on every bundle the test cases build.
 */
public final class FhirJson {

    /** Characters beyond the Basic Multilingual Plane written as their four UTF-8 bytes, as HAPI's text encodes. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
    private static final Object START_OBJECT = new Object();
    private static final Object START_ARRAY = new Object();

    private final JsonGenerator json;
    /** Field names and starts of objects and arrays not written yet: written before the first value inside them. */
    private final List<Object> pending = new ArrayList<>();
    /** The objects and arrays open, innermost last, whether written yet or not. */
    private final ArrayDeque<Object> open = new ArrayDeque<>();

    private FhirJson(JsonGenerator json) {
        this.json = json;
    }

    /** The resource's JSON, or null when it holds something this writer leaves to HAPI: {@link #utf8} as text. */
    public static String write(Resource resource) {
        byte[] json = utf8(resource);
        return json == null ? null : new String(json, StandardCharsets.UTF_8);
    }

    /**
     * The resource's JSON as UTF-8 bytes, written as bytes (no text in between), or null when it holds something
     * this writer leaves to HAPI. Jackson's own output and recycled buffers: no synchronised stream, no buffer sized
     * for the largest resource.
     */
    public static byte[] utf8(Resource resource) {
        BufferRecycler buffers = JSON._getBufferRecycler();
        ByteArrayBuilder out = new ByteArrayBuilder(buffers);
        try {
            try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                new FhirJson(json).resource(resource);
            }
            return out.toByteArray();
        } catch (NotWritten e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out.release();
            buffers.releaseToPool();
        }
    }

    private void resource(Resource resource) throws IOException {
        if (resource instanceof DomainResource domain
                && (domain.hasText() || domain.hasContained() || domain.hasExtension() || domain.hasModifierExtension())) {
            throw NotWritten.INSTANCE;
        }
        flush();
        json.writeStartObject();
        open.addLast(START_OBJECT);
        json.writeStringField("resourceType", resource.fhirType());
        // as HAPI: the id part, and none for an id that is a URN (a bundle entry's fullUrl given to the resource)
        if (resource.hasIdElement() && resource.getIdElement().hasIdPart()
                && !resource.getIdElement().getValue().startsWith("urn:")) {
            json.writeStringField("id", resource.getIdElement().getIdPart());
        }
        children(resource, true);
        end();
    }

    /** The element's children in definition order; a resource's id is written before them. */
    private void children(Base element, boolean isResource) throws IOException {
        for (Child child : CHILDREN.get(element.getClass())) {
            if (isResource && child.isId()) {
                continue;
            }
            Base[] values = element.getProperty(child.hash(), child.base(), false);
            if (values == null) {
                throw NotWritten.INSTANCE; // a child the model lists but does not answer for: HAPI's parser writes it
            }
            if (values.length == 0) {
                continue;
            }
            if (child.repeats()) {
                pending.add(child.name());
                start(START_ARRAY);
                for (Base value : values) {
                    value(value);
                }
                end();
            } else if (values[0] != null) {
                Base value = values[0];
                pending.add(child.choice() ? choiceName(child.base(), value) : child.name());
                value(value);
                if (!pending.isEmpty() && pending.get(pending.size() - 1) instanceof String) {
                    pending.remove(pending.size() - 1); // an empty primitive: its name goes too
                }
            }
        }
    }

    private void value(Base value) throws IOException {
        if (value == null) {
            return;
        }
        if (value instanceof Resource resource) {
            resource(resource);
        } else if (value instanceof Extension || value instanceof Element e && e.hasExtension()) {
            throw NotWritten.INSTANCE;
        } else if (value instanceof PrimitiveType<?> primitive) {
            primitive(primitive);
        } else if (value instanceof Element) {
            start(START_OBJECT);
            children(value, false);
            end();
        } else {
            throw NotWritten.INSTANCE;
        }
    }

    private void primitive(PrimitiveType<?> primitive) throws IOException {
        if (primitive.hasId()) {
            throw NotWritten.INSTANCE;
        }
        String text = primitive.getValueAsString();
        if (text == null || text.isBlank()) {
            return;
        }
        flush();
        if (primitive instanceof BooleanType b) {
            json.writeBoolean(b.booleanValue());
        } else if (primitive instanceof IntegerType i) {
            json.writeNumber(i.getValue());
        } else if (primitive instanceof DecimalType) {
            json.writeNumber(text);
        } else {
            json.writeString(text);
        }
    }

    private void start(Object kind) {
        pending.add(kind);
        open.addLast(kind);
    }

    /** Ends the innermost object or array: written when something was written into it, else dropped with its name. */
    private void end() throws IOException {
        Object kind = open.removeLast();
        int last = pending.size() - 1;
        if (last >= 0 && pending.get(last) == kind) {
            pending.remove(last);
            if (last > 0 && pending.get(last - 1) instanceof String) {
                pending.remove(last - 1);
            }
        } else if (kind == START_OBJECT) {
            json.writeEndObject();
        } else {
            json.writeEndArray();
        }
    }

    private void flush() throws IOException {
        for (Object token : pending) {
            if (token == START_OBJECT) {
                json.writeStartObject();
            } else if (token == START_ARRAY) {
                json.writeStartArray();
            } else {
                json.writeFieldName((String) token);
            }
        }
        pending.clear();
    }

    /** A choice element (value[x]) is named by the type it holds: valueQuantity, effectiveDateTime. */
    private static String choiceName(String base, Base value) {
        String type = value.fhirType();
        return base + Character.toUpperCase(type.charAt(0)) + type.substring(1);
    }

    /**
     * One child of an element type, as its definition lists it: the name the model answers to ("value" for
     * value[x]), its hash (the model's getProperty switches on it), whether it repeats and whether it is a choice.
     */
    private record Child(String name, String base, int hash, boolean repeats, boolean choice) {
        boolean isId() {
            return "id".equals(name);
        }
    }

    /**
     * The children of each model class, read once from HAPI's property list (which lists every child, with or
     * without a value); each element's values are then read with getProperty, which returns the values alone,
     * instead of building the property list again for every element written.
     */
    private static final ClassValue<Child[]> CHILDREN = new ClassValue<>() {
        @Override
        protected Child[] computeValue(Class<?> type) {
            Base instance;
            try {
                instance = (Base) type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot list the children of " + type.getName(), e);
            }
            List<Child> children = new ArrayList<>();
            for (Property property : instance.children()) {
                String name = property.getName();
                boolean choice = name.endsWith("[x]");
                String base = choice ? name.substring(0, name.length() - 3) : name;
                children.add(new Child(name, base, base.hashCode(), property.getMaxCardinality() > 1, choice));
            }
            return children.toArray(Child[]::new);
        }
    };

    /** Something HAPI's parser writes and this writer does not. */
    private static final class NotWritten extends RuntimeException {
        static final NotWritten INSTANCE = new NotWritten();

        private NotWritten() {
            super(null, null, false, false);
        }
    }
}
