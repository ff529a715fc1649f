package io.vigil.fhir;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import io.vigil.support.LastUsedPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.BackboneElement;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SimpleQuantity;

/**
 * FHIR R4 JSON of the resources Vigil builds, written in one walk of the HAPI model: the same text HAPI's
 * JsonParser writes for them (element order of the definitions, empty elements left out, decimals as written,
 * choice elements named by type), at a fraction of its cost. An object or array is opened in the output only
 * once something is written into it, so emptiness needs no second walk. What the walk does not handle
 * (extensions, narratives, contained resources, primitives with an id or extensions) it reports by returning
 * null, and the caller uses HAPI's parser. Observations, bundles, their entries and the common data types are read
 * from the model's fields by code written for each; every other type through HAPI's getProperty. Tests compare both
 * writers on every bundle the test cases build.
 */
public final class FhirJson {

    /**
     * Characters beyond the Basic Multilingual Plane written as their four UTF-8 bytes, as HAPI's text encodes; the
     * generators' own buffers from {@link RecentRecyclers} instead of Jackson's one per thread.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).recyclerPool(new RecentRecyclers()).build();
    /** Buffers of each kind kept at most: more than are ever in use at once on the cores the appliance is made for. */
    private static final int POOLED = 16;
    /** Where {@link #fixed} keeps an element's JSON, in the element's user data (which HAPI's parser ignores). */
    private static final String FIXED_JSON = "io.vigil.fhir.FhirJson.fixed";
    private static final Object START_OBJECT = new Object();
    private static final Object START_ARRAY = new Object();

    private final JsonGenerator json;
    /** Field names and starts of objects and arrays not written yet: written before the first value inside them. */
    private final List<Object> pending = new ArrayList<>(32);
    /** The objects and arrays open, innermost last, whether written yet or not. */
    private final ArrayDeque<Object> open = new ArrayDeque<>();
    /** Whether the primitive being written is a term of a code system or profile ({@link #term}). */
    private boolean vocabulary;

    private FhirJson(JsonGenerator json) {
        this.json = json;
    }

    /**
     * Makes the element's JSON now and keeps it with the element, so that every resource holding the element gets
     * that JSON copied in instead of written again: for elements many resources share (an observation's code, a
     * category, a profile claim), which must not change afterwards. An element this writer leaves to HAPI, or one with
     * nothing to write, is returned as it is.
     */
    public static <T extends Element> T fixed(T element) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
            new FhirJson(json).value(element);
        } catch (NotWritten e) {
            return element;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.size() > 0) {
            element.setUserData(FIXED_JSON, new SerializedString(bytes.toString(StandardCharsets.UTF_8)));
        }
        return element;
    }

    /** Whether {@link #fixed} keeps JSON with the element. */
    static boolean isFixed(Base element) {
        return element.getUserData(FIXED_JSON) != null;
    }

    /** The resource's JSON, or null when it holds something this writer leaves to HAPI: {@link #utf8} as text. */
    public static String write(Resource resource) {
        byte[] json = utf8(resource);
        return json == null ? null : new String(json, StandardCharsets.UTF_8);
    }

    /**
     * The resource's JSON as UTF-8 bytes, written as bytes (no text in between), or null when it holds something
     * this writer leaves to HAPI. Jackson writes into a pooled buffer ({@link Output}), reused for the next
     * resource, and the bytes are copied out once: one array of the JSON's length per resource.
     */
    public static byte[] utf8(Resource resource) {
        Output out = Output.take();
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
            out.giveBack();
        }
    }

    /**
     * Jackson's buffers for a generator (its output and text buffers), the last given back first
     * ({@link LastUsedPool}): a few serve every thread and stay in the processor's caches, where Jackson keeps a set
     * per thread, and any thread may write.
     */
    private static final class RecentRecyclers implements RecyclerPool<BufferRecycler> {

        private static final long serialVersionUID = 1L;
        private final transient LastUsedPool<BufferRecycler> kept = new LastUsedPool<>(POOLED, recycler -> { });

        @Override
        public BufferRecycler acquirePooled() {
            BufferRecycler recycler = kept.take();
            return recycler != null ? recycler : new BufferRecycler();
        }

        @Override
        public void releasePooled(BufferRecycler recycler) {
            kept.giveBack(recycler);
        }
    }

    /**
     * The bytes written so far, in a buffer reused for the next resource (the last given back first,
     * {@link LastUsedPool}): up to {@link #KEPT} bytes, so a rare large resource does not keep its buffer.
     */
    private static final class Output extends OutputStream {

        private static final int INITIAL = 16 * 1024;
        private static final int KEPT = 64 * 1024;
        private static final LastUsedPool<Output> RECENT = new LastUsedPool<>(POOLED, out -> { });

        private byte[] bytes = new byte[INITIAL];
        private int count;

        static Output take() {
            Output out = RECENT.take();
            return out != null ? out : new Output();
        }

        void giveBack() {
            count = 0;
            if (bytes.length > KEPT) {
                bytes = new byte[INITIAL];
            }
            RECENT.giveBack(this);
        }

        @Override
        public void write(int b) {
            room(1);
            bytes[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, bytes, count, len);
            count += len;
        }

        private void room(int more) {
            if (count + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, count);
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
        if (resource.getClass() == Observation.class) {
            observation((Observation) resource);
        } else if (resource.getClass() == Bundle.class) {
            bundle((Bundle) resource);
        } else {
            children(resource, true);
        }
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
                many(child.name(), Arrays.asList(values));
            } else if (child.choice()) {
                choice(child.base(), values[0]);
            } else {
                one(child.name(), values[0]);
            }
        }
    }

    private void value(Base value) throws IOException {
        if (value == null) {
            return;
        }
        Object made = value.getUserData(FIXED_JSON);
        if (made != null) {
            flush();
            json.writeRawValue((SerializableString) made);
            return;
        }
        if (value instanceof Resource resource) {
            resource(resource);
        } else if (value instanceof Extension || value instanceof Element e && e.hasExtension()) {
            throw NotWritten.INSTANCE;
        } else if (value instanceof PrimitiveType<?> primitive) {
            primitive(primitive);
        } else if (value instanceof Element element) {
            start(START_OBJECT);
            if (base(ELEMENT_ID, element) != null || hasItems(list(ELEMENT_EXTENSION, element)) || !typed(element)) {
                children(value, false);
            }
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
        if (text == null) {
            return;
        }
        SerializableString known = vocabulary ? VOCABULARY.get(text) : null;
        if (known != null) {
            flush();
            json.writeString(known);
            return;
        }
        if (text.isBlank()) {
            return;
        }
        flush();
        if (primitive instanceof BooleanType b) {
            json.writeBoolean(b.booleanValue());
        } else if (primitive instanceof IntegerType i) {
            json.writeNumber(i.getValue());
        } else if (primitive instanceof DecimalType) {
            json.writeNumber(text);
        } else if (vocabulary && VOCABULARY.size() < MOST_VOCABULARY && plain(text)) {
            SerializableString encoded = new SerializedString(text);
            VOCABULARY.putIfAbsent(text, encoded);
            json.writeString(encoded);
        } else {
            json.writeString(text);
        }
    }

    /** Printable ASCII without quote or backslash: text whose JSON is its own bytes between quotes. */
    static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * The children of the elements every bundle is full of, read straight from the model's fields: the same output as
     * the walk in {@link #children}, without the array HAPI's getProperty makes for every child of every element, and
     * without its has-methods, which look through a child's whole content to tell whether it is empty (the writing
     * finds that out as it goes). An element with an id goes the general way (its id is written as a child);
     * {@link #TYPED} lists the children each writes, which a test holds against HAPI's definitions.
     *
     * @return false when the element is not of a type written here
     */
    private boolean typed(Element element) throws IOException {
        if (element instanceof BackboneElement && hasItems(list(BACKBONE_MODIFIER_EXTENSION, element))) {
            throw NotWritten.INSTANCE; // as the general walk, which meets them as extensions
        }
        Class<?> type = element.getClass();
        if (type == Coding.class) {
            term("system", base(CODING_SYSTEM, element));
            term("version", base(CODING_VERSION, element));
            term("code", base(CODING_CODE, element));
            term("display", base(CODING_DISPLAY, element));
            one("userSelected", base(CODING_USER_SELECTED, element));
        } else if (type == CodeableConcept.class) {
            many("coding", list(CODEABLE_CONCEPT_CODING, element));
            one("text", base(CODEABLE_CONCEPT_TEXT, element));
        } else if (type == Quantity.class || type == SimpleQuantity.class) {
            one("value", base(QUANTITY_VALUE, element));
            term("comparator", base(QUANTITY_COMPARATOR, element));
            term("unit", base(QUANTITY_UNIT, element));
            term("system", base(QUANTITY_SYSTEM, element));
            term("code", base(QUANTITY_CODE, element));
        } else if (type == Reference.class) {
            one("reference", base(REFERENCE_REFERENCE, element));
            one("type", base(REFERENCE_TYPE, element));
            one("identifier", base(REFERENCE_IDENTIFIER, element));
            one("display", base(REFERENCE_DISPLAY, element));
        } else if (type == Identifier.class) {
            term("use", base(IDENTIFIER_USE, element));
            one("type", base(IDENTIFIER_TYPE, element));
            term("system", base(IDENTIFIER_SYSTEM, element));
            one("value", base(IDENTIFIER_VALUE, element));
            one("period", base(IDENTIFIER_PERIOD, element));
            one("assigner", base(IDENTIFIER_ASSIGNER, element));
        } else if (type == Meta.class) {
            one("versionId", base(META_VERSION_ID, element));
            one("lastUpdated", base(META_LAST_UPDATED, element));
            one("source", base(META_SOURCE, element));
            terms("profile", list(META_PROFILE, element));
            many("security", list(META_SECURITY, element));
            many("tag", list(META_TAG, element));
        } else if (type == Bundle.BundleEntryComponent.class) {
            many("link", list(ENTRY_LINK, element));
            one("fullUrl", base(ENTRY_FULL_URL, element));
            one("resource", base(ENTRY_RESOURCE, element));
            one("search", base(ENTRY_SEARCH, element));
            one("request", base(ENTRY_REQUEST, element));
            one("response", base(ENTRY_RESPONSE, element));
        } else if (type == Bundle.BundleEntryRequestComponent.class) {
            term("method", base(REQUEST_METHOD, element));
            one("url", base(REQUEST_URL, element));
            one("ifNoneMatch", base(REQUEST_IF_NONE_MATCH, element));
            one("ifModifiedSince", base(REQUEST_IF_MODIFIED_SINCE, element));
            one("ifMatch", base(REQUEST_IF_MATCH, element));
            one("ifNoneExist", base(REQUEST_IF_NONE_EXIST, element));
        } else if (type == Observation.ObservationReferenceRangeComponent.class) {
            one("low", base(RANGE_LOW, element));
            one("high", base(RANGE_HIGH, element));
            one("type", base(RANGE_TYPE, element));
            many("appliesTo", list(RANGE_APPLIES_TO, element));
            one("age", base(RANGE_AGE, element));
            one("text", base(RANGE_TEXT, element));
        } else if (type == Observation.ObservationComponentComponent.class) {
            one("code", base(COMPONENT_CODE, element));
            choice("value", base(COMPONENT_VALUE, element));
            one("dataAbsentReason", base(COMPONENT_DATA_ABSENT_REASON, element));
            many("interpretation", list(COMPONENT_INTERPRETATION, element));
            many("referenceRange", list(COMPONENT_REFERENCE_RANGE, element));
        } else {
            return false;
        }
        return true;
    }

    /** An Observation's children after its id (text, contained resources and extensions were refused before). */
    private void observation(Observation element) throws IOException {
        one("meta", base(RESOURCE_META, element));
        one("implicitRules", base(RESOURCE_IMPLICIT_RULES, element));
        one("language", base(RESOURCE_LANGUAGE, element));
        many("identifier", list(OBSERVATION_IDENTIFIER, element));
        many("basedOn", list(OBSERVATION_BASED_ON, element));
        many("partOf", list(OBSERVATION_PART_OF, element));
        term("status", base(OBSERVATION_STATUS, element));
        many("category", list(OBSERVATION_CATEGORY, element));
        one("code", base(OBSERVATION_CODE, element));
        one("subject", base(OBSERVATION_SUBJECT, element));
        many("focus", list(OBSERVATION_FOCUS, element));
        one("encounter", base(OBSERVATION_ENCOUNTER, element));
        choice("effective", base(OBSERVATION_EFFECTIVE, element));
        one("issued", base(OBSERVATION_ISSUED, element));
        many("performer", list(OBSERVATION_PERFORMER, element));
        choice("value", base(OBSERVATION_VALUE, element));
        one("dataAbsentReason", base(OBSERVATION_DATA_ABSENT_REASON, element));
        many("interpretation", list(OBSERVATION_INTERPRETATION, element));
        many("note", list(OBSERVATION_NOTE, element));
        one("bodySite", base(OBSERVATION_BODY_SITE, element));
        one("method", base(OBSERVATION_METHOD, element));
        one("specimen", base(OBSERVATION_SPECIMEN, element));
        one("device", base(OBSERVATION_DEVICE, element));
        many("referenceRange", list(OBSERVATION_REFERENCE_RANGE, element));
        many("hasMember", list(OBSERVATION_HAS_MEMBER, element));
        many("derivedFrom", list(OBSERVATION_DERIVED_FROM, element));
        many("component", list(OBSERVATION_COMPONENT, element));
    }

    /** A Bundle's children after its id. */
    private void bundle(Bundle element) throws IOException {
        one("meta", base(RESOURCE_META, element));
        one("implicitRules", base(RESOURCE_IMPLICIT_RULES, element));
        one("language", base(RESOURCE_LANGUAGE, element));
        one("identifier", base(BUNDLE_IDENTIFIER, element));
        term("type", base(BUNDLE_TYPE, element));
        one("timestamp", base(BUNDLE_TIMESTAMP, element));
        one("total", base(BUNDLE_TOTAL, element));
        many("link", list(BUNDLE_LINK, element));
        many("entry", list(BUNDLE_ENTRY, element));
        one("signature", base(BUNDLE_SIGNATURE, element));
    }

    /** A child that does not repeat, when it has a value; its name goes with it when nothing of it is written. */
    private void one(String name, Base value) throws IOException {
        if (value == null) {
            return;
        }
        pending.add(name);
        value(value);
        if (!pending.isEmpty() && pending.get(pending.size() - 1) instanceof String) {
            pending.remove(pending.size() - 1); // an empty primitive: its name goes too
        }
    }

    /**
     * A child whose value is a term: a code, a code system, a unit, a profile, a status, the same few in every bundle.
     * Its JSON is kept once made ({@link #VOCABULARY}) and copied into the output, where other text is encoded
     * character by character.
     */
    private void term(String name, Base value) throws IOException {
        vocabulary = true;
        try {
            one(name, value);
        } finally {
            vocabulary = false;
        }
    }

    /** A repeating child whose values are terms ({@link #term}). */
    private void terms(String name, List<? extends Base> values) throws IOException {
        vocabulary = true;
        try {
            many(name, values);
        } finally {
            vocabulary = false;
        }
    }

    /** A choice element (value[x]) when it has a value, named by the type it holds. */
    private void choice(String base, Base value) throws IOException {
        if (value != null) {
            one(choiceName(base, value), value);
        }
    }

    /** A repeating child, when it has values: an array, left out when nothing is written into it. */
    private void many(String name, List<? extends Base> values) throws IOException {
        if (values == null || values.isEmpty()) {
            return;
        }
        pending.add(name);
        start(START_ARRAY);
        for (Base value : values) {
            value(value);
        }
        end();
    }

    private static boolean hasItems(List<?> values) {
        return values != null && !values.isEmpty();
    }

    /** A child field's value, null when it has none. */
    private static Base base(MethodHandle field, Object element) {
        try {
            return (Base) (Object) field.invokeExact(element);
        } catch (Throwable e) {
            throw new IllegalStateException("reading " + field + " failed", e);
        }
    }

    /** A repeating child field's values, null when it has none. */
    @SuppressWarnings("unchecked")
    private static List<? extends Base> list(MethodHandle field, Object element) {
        try {
            return (List<? extends Base>) (Object) field.invokeExact(element);
        } catch (Throwable e) {
            throw new IllegalStateException("reading " + field + " failed", e);
        }
    }

    /**
     * A getter of the model's field, as (Object) -> Object: a constant handle called exactly is compiled to the field
     * read itself. HAPI's getters cannot be used for this: they create an empty child where there is none.
     */
    private static MethodHandle field(Class<?> type, String name) {
        try {
            return MethodHandles.privateLookupIn(type, MethodHandles.lookup()).unreflectGetter(type.getDeclaredField(name))
                    .asType(MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final MethodHandle ELEMENT_ID = field(Element.class, "id");
    private static final MethodHandle ELEMENT_EXTENSION = field(Element.class, "extension");
    private static final MethodHandle BACKBONE_MODIFIER_EXTENSION = field(BackboneElement.class, "modifierExtension");
    private static final MethodHandle CODING_SYSTEM = field(Coding.class, "system");
    private static final MethodHandle CODING_VERSION = field(Coding.class, "version");
    private static final MethodHandle CODING_CODE = field(Coding.class, "code");
    private static final MethodHandle CODING_DISPLAY = field(Coding.class, "display");
    private static final MethodHandle CODING_USER_SELECTED = field(Coding.class, "userSelected");
    private static final MethodHandle CODEABLE_CONCEPT_CODING = field(CodeableConcept.class, "coding");
    private static final MethodHandle CODEABLE_CONCEPT_TEXT = field(CodeableConcept.class, "text");
    private static final MethodHandle QUANTITY_VALUE = field(Quantity.class, "value");
    private static final MethodHandle QUANTITY_COMPARATOR = field(Quantity.class, "comparator");
    private static final MethodHandle QUANTITY_UNIT = field(Quantity.class, "unit");
    private static final MethodHandle QUANTITY_SYSTEM = field(Quantity.class, "system");
    private static final MethodHandle QUANTITY_CODE = field(Quantity.class, "code");
    private static final MethodHandle REFERENCE_REFERENCE = field(Reference.class, "reference");
    private static final MethodHandle REFERENCE_TYPE = field(Reference.class, "type");
    private static final MethodHandle REFERENCE_IDENTIFIER = field(Reference.class, "identifier");
    private static final MethodHandle REFERENCE_DISPLAY = field(Reference.class, "display");
    private static final MethodHandle IDENTIFIER_USE = field(Identifier.class, "use");
    private static final MethodHandle IDENTIFIER_TYPE = field(Identifier.class, "type");
    private static final MethodHandle IDENTIFIER_SYSTEM = field(Identifier.class, "system");
    private static final MethodHandle IDENTIFIER_VALUE = field(Identifier.class, "value");
    private static final MethodHandle IDENTIFIER_PERIOD = field(Identifier.class, "period");
    private static final MethodHandle IDENTIFIER_ASSIGNER = field(Identifier.class, "assigner");
    private static final MethodHandle META_VERSION_ID = field(Meta.class, "versionId");
    private static final MethodHandle META_LAST_UPDATED = field(Meta.class, "lastUpdated");
    private static final MethodHandle META_SOURCE = field(Meta.class, "source");
    private static final MethodHandle META_PROFILE = field(Meta.class, "profile");
    private static final MethodHandle META_SECURITY = field(Meta.class, "security");
    private static final MethodHandle META_TAG = field(Meta.class, "tag");
    private static final MethodHandle ENTRY_LINK = field(Bundle.BundleEntryComponent.class, "link");
    private static final MethodHandle ENTRY_FULL_URL = field(Bundle.BundleEntryComponent.class, "fullUrl");
    private static final MethodHandle ENTRY_RESOURCE = field(Bundle.BundleEntryComponent.class, "resource");
    private static final MethodHandle ENTRY_SEARCH = field(Bundle.BundleEntryComponent.class, "search");
    private static final MethodHandle ENTRY_REQUEST = field(Bundle.BundleEntryComponent.class, "request");
    private static final MethodHandle ENTRY_RESPONSE = field(Bundle.BundleEntryComponent.class, "response");
    private static final MethodHandle REQUEST_METHOD = field(Bundle.BundleEntryRequestComponent.class, "method");
    private static final MethodHandle REQUEST_URL = field(Bundle.BundleEntryRequestComponent.class, "url");
    private static final MethodHandle REQUEST_IF_NONE_MATCH = field(Bundle.BundleEntryRequestComponent.class, "ifNoneMatch");
    private static final MethodHandle REQUEST_IF_MODIFIED_SINCE = field(Bundle.BundleEntryRequestComponent.class, "ifModifiedSince");
    private static final MethodHandle REQUEST_IF_MATCH = field(Bundle.BundleEntryRequestComponent.class, "ifMatch");
    private static final MethodHandle REQUEST_IF_NONE_EXIST = field(Bundle.BundleEntryRequestComponent.class, "ifNoneExist");
    private static final MethodHandle RANGE_LOW = field(Observation.ObservationReferenceRangeComponent.class, "low");
    private static final MethodHandle RANGE_HIGH = field(Observation.ObservationReferenceRangeComponent.class, "high");
    private static final MethodHandle RANGE_TYPE = field(Observation.ObservationReferenceRangeComponent.class, "type");
    private static final MethodHandle RANGE_APPLIES_TO = field(Observation.ObservationReferenceRangeComponent.class, "appliesTo");
    private static final MethodHandle RANGE_AGE = field(Observation.ObservationReferenceRangeComponent.class, "age");
    private static final MethodHandle RANGE_TEXT = field(Observation.ObservationReferenceRangeComponent.class, "text");
    private static final MethodHandle COMPONENT_CODE = field(Observation.ObservationComponentComponent.class, "code");
    private static final MethodHandle COMPONENT_VALUE = field(Observation.ObservationComponentComponent.class, "value");
    private static final MethodHandle COMPONENT_DATA_ABSENT_REASON = field(Observation.ObservationComponentComponent.class, "dataAbsentReason");
    private static final MethodHandle COMPONENT_INTERPRETATION = field(Observation.ObservationComponentComponent.class, "interpretation");
    private static final MethodHandle COMPONENT_REFERENCE_RANGE = field(Observation.ObservationComponentComponent.class, "referenceRange");
    private static final MethodHandle RESOURCE_META = field(Resource.class, "meta");
    private static final MethodHandle RESOURCE_IMPLICIT_RULES = field(Resource.class, "implicitRules");
    private static final MethodHandle RESOURCE_LANGUAGE = field(Resource.class, "language");
    private static final MethodHandle OBSERVATION_IDENTIFIER = field(Observation.class, "identifier");
    private static final MethodHandle OBSERVATION_BASED_ON = field(Observation.class, "basedOn");
    private static final MethodHandle OBSERVATION_PART_OF = field(Observation.class, "partOf");
    private static final MethodHandle OBSERVATION_STATUS = field(Observation.class, "status");
    private static final MethodHandle OBSERVATION_CATEGORY = field(Observation.class, "category");
    private static final MethodHandle OBSERVATION_CODE = field(Observation.class, "code");
    private static final MethodHandle OBSERVATION_SUBJECT = field(Observation.class, "subject");
    private static final MethodHandle OBSERVATION_FOCUS = field(Observation.class, "focus");
    private static final MethodHandle OBSERVATION_ENCOUNTER = field(Observation.class, "encounter");
    private static final MethodHandle OBSERVATION_EFFECTIVE = field(Observation.class, "effective");
    private static final MethodHandle OBSERVATION_ISSUED = field(Observation.class, "issued");
    private static final MethodHandle OBSERVATION_PERFORMER = field(Observation.class, "performer");
    private static final MethodHandle OBSERVATION_VALUE = field(Observation.class, "value");
    private static final MethodHandle OBSERVATION_DATA_ABSENT_REASON = field(Observation.class, "dataAbsentReason");
    private static final MethodHandle OBSERVATION_INTERPRETATION = field(Observation.class, "interpretation");
    private static final MethodHandle OBSERVATION_NOTE = field(Observation.class, "note");
    private static final MethodHandle OBSERVATION_BODY_SITE = field(Observation.class, "bodySite");
    private static final MethodHandle OBSERVATION_METHOD = field(Observation.class, "method");
    private static final MethodHandle OBSERVATION_SPECIMEN = field(Observation.class, "specimen");
    private static final MethodHandle OBSERVATION_DEVICE = field(Observation.class, "device");
    private static final MethodHandle OBSERVATION_REFERENCE_RANGE = field(Observation.class, "referenceRange");
    private static final MethodHandle OBSERVATION_HAS_MEMBER = field(Observation.class, "hasMember");
    private static final MethodHandle OBSERVATION_DERIVED_FROM = field(Observation.class, "derivedFrom");
    private static final MethodHandle OBSERVATION_COMPONENT = field(Observation.class, "component");
    private static final MethodHandle BUNDLE_IDENTIFIER = field(Bundle.class, "identifier");
    private static final MethodHandle BUNDLE_TYPE = field(Bundle.class, "type");
    private static final MethodHandle BUNDLE_TIMESTAMP = field(Bundle.class, "timestamp");
    private static final MethodHandle BUNDLE_TOTAL = field(Bundle.class, "total");
    private static final MethodHandle BUNDLE_LINK = field(Bundle.class, "link");
    private static final MethodHandle BUNDLE_ENTRY = field(Bundle.class, "entry");
    private static final MethodHandle BUNDLE_SIGNATURE = field(Bundle.class, "signature");

    /** The children each typed writer writes, in order: a test holds them against HAPI's definitions. */
    static final Map<Class<?>, List<String>> TYPED = Map.ofEntries(
            Map.entry(Coding.class, List.of("system", "version", "code", "display", "userSelected")),
            Map.entry(CodeableConcept.class, List.of("coding", "text")),
            Map.entry(Quantity.class, List.of("value", "comparator", "unit", "system", "code")),
            Map.entry(SimpleQuantity.class, List.of("value", "comparator", "unit", "system", "code")),
            Map.entry(Reference.class, List.of("reference", "type", "identifier", "display")),
            Map.entry(Identifier.class, List.of("use", "type", "system", "value", "period", "assigner")),
            Map.entry(Meta.class, List.of("versionId", "lastUpdated", "source", "profile", "security", "tag")),
            Map.entry(Bundle.BundleEntryComponent.class,
                    List.of("link", "fullUrl", "resource", "search", "request", "response")),
            Map.entry(Bundle.BundleEntryRequestComponent.class,
                    List.of("method", "url", "ifNoneMatch", "ifModifiedSince", "ifMatch", "ifNoneExist")),
            Map.entry(Observation.ObservationReferenceRangeComponent.class,
                    List.of("low", "high", "type", "appliesTo", "age", "text")),
            Map.entry(Observation.ObservationComponentComponent.class,
                    List.of("code", "value[x]", "dataAbsentReason", "interpretation", "referenceRange")),
            Map.entry(Observation.class, List.of("meta", "implicitRules", "language", "identifier", "basedOn", "partOf",
                    "status", "category", "code", "subject", "focus", "encounter", "effective[x]", "issued", "performer",
                    "value[x]", "dataAbsentReason", "interpretation", "note", "bodySite", "method", "specimen", "device",
                    "referenceRange", "hasMember", "derivedFrom", "component")),
            Map.entry(Bundle.class, List.of("meta", "implicitRules", "language", "identifier", "type", "timestamp",
                    "total", "link", "entry", "signature")));

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
                json.writeFieldName(fieldName((String) token));
            }
        }
        pending.clear();
    }

    /**
     * A field's name as JSON, made once: names come from the model's definitions, a few hundred at most. They are
     * constants (this writer's literals, the model's property names), so the name found last at a slot chosen by the
     * string's identity answers first ({@link #NAME_SLOTS}), before the map.
     */
    private static SerializableString fieldName(String name) {
        int slot = System.identityHashCode(name) & (NAME_SLOTS.length - 1);
        Name recent = NAME_SLOTS[slot];
        if (recent != null && recent.text() == name) {
            return recent.json();
        }
        SerializableString known = NAMES.get(name);
        if (known == null) {
            known = new SerializedString(name);
            NAMES.putIfAbsent(name, known);
        }
        NAME_SLOTS[slot] = new Name(name, known);
        return known;
    }

    /** A field name and its JSON, as {@link #NAME_SLOTS} holds them (immutable, so shared between threads as is). */
    private record Name(String text, SerializableString json) {
    }

    /** Names last looked up, by their string's identity: an array read instead of a map lookup for every field. */
    private static final Name[] NAME_SLOTS = new Name[512];

    /**
     * A choice element (value[x]) is named by the type it holds: valueQuantity, effectiveDateTime. Each class names
     * one type, so the name is made once per class and choice.
     */
    private static String choiceName(String base, Base value) {
        Map<String, String> names = CHOICE_NAMES.get(value.getClass());
        String name = names.get(base);
        if (name == null) {
            String type = value.fhirType();
            name = base + Character.toUpperCase(type.charAt(0)) + type.substring(1);
            names.putIfAbsent(base, name);
        }
        return name;
    }

    private static final ClassValue<Map<String, String>> CHOICE_NAMES = new ClassValue<>() {
        @Override
        protected Map<String, String> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>(4);
        }
    };

    /** Field names as JSON ({@link #fieldName}). */
    private static final Map<String, SerializableString> NAMES = new ConcurrentHashMap<>(256);

    /**
     * Terms as JSON ({@link #term}), up to {@link #MOST_VOCABULARY}: the codes, systems, units and profiles of the
     * code tables and mappings. Only printable ASCII is kept ({@link #plain}), whose JSON is the same bytes however it
     * is made; other text is written as it comes.
     */
    private static final Map<String, SerializableString> VOCABULARY = new ConcurrentHashMap<>(1024);
    private static final int MOST_VOCABULARY = 4096;

    /**
     * One child of an element type, as its definition lists it: the name the model answers to ("value" for
     * value[x]), its hash (the model's getProperty switches on it), whether it repeats, whether it is a choice and
     * whether it is the resource's id (written before the others), each worked out once per class.
     */
    private record Child(String name, String base, int hash, boolean repeats, boolean choice, boolean isId) {
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
                children.add(new Child(name, base, base.hashCode(), property.getMaxCardinality() > 1, choice,
                        "id".equals(name)));
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
