package io.vigil.fhir;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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

    private static final JsonFactory JSON = new JsonFactory();
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

    /** The resource's JSON, or null when it holds something this writer leaves to HAPI. */
    public static String write(Resource resource) {
        StringWriter out = new StringWriter(16384);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            new FhirJson(json).resource(resource);
        } catch (NotWritten e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
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
        for (Property property : element.children()) {
            List<Base> values = property.getValues();
            if (values.isEmpty() || isResource && "id".equals(property.getName())) {
                continue;
            }
            if (property.getMaxCardinality() > 1) {
                pending.add(property.getName());
                start(START_ARRAY);
                for (Base value : values) {
                    value(value);
                }
                end();
            } else if (values.get(0) != null) {
                Base value = values.get(0);
                pending.add(name(property.getName(), value));
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
    private static String name(String property, Base value) {
        if (!property.endsWith("[x]")) {
            return property;
        }
        String type = value.fhirType();
        return property.substring(0, property.length() - 3) + Character.toUpperCase(type.charAt(0)) + type.substring(1);
    }

    /** Something HAPI's parser writes and this writer does not. */
    private static final class NotWritten extends RuntimeException {
        static final NotWritten INSTANCE = new NotWritten();

        private NotWritten() {
            super(null, null, false, false);
        }
    }
}
