package io.vigil.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v26.message.ACK;
import ca.uhn.hl7v2.model.v26.segment.MSH;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.idgenerator.UUIDGenerator;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.validation.EncodingRule;
import ca.uhn.hl7v2.validation.MessageRule;
import ca.uhn.hl7v2.validation.PrimitiveTypeRule;
import ca.uhn.hl7v2.validation.ValidationContext;
import java.io.IOException;
import java.nio.charset.Charset;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one HAPI context of the appliance: parses every HL7 v2 version into the v2.6 structures (PCD-01 is v2.6;
 * 2.4 and 2.5 senders map onto it) without HAPI's conformance validation, which refuses real devices' quirks.
 * Vigil checks what it needs itself and says why in the NAK.
 */
public final class Hl7Codec {

    /**
     * No conformance rules, without a lock: HAPI's own empty context looks rules up in a synchronized map for every
     * primitive value it sets, which under many concurrent MLLP connections became the appliance's main cost.
     */
    private static final ValidationContext NO_VALIDATION = new ValidationContext() {
        @Override
        public Collection<PrimitiveTypeRule> getPrimitiveRules(String version, String typeName, Primitive type) {
            return List.of();
        }

        @Override
        public Collection<MessageRule> getMessageRules(String version, String messageType, String triggerEvent) {
            return List.of();
        }

        @Override
        public Collection<EncodingRule> getEncodingRules(String version, String encoding) {
            return List.of();
        }
    };

    /** MSH-7 of an acknowledgement as HAPI writes it (yyyyMMddHHmmss.SSSZ), in two parts around its milliseconds. */
    private static final DateTimeFormatter ACK_SECOND = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final DateTimeFormatter ACK_OFFSET = DateTimeFormatter.ofPattern("Z");

    /** The second an acknowledgement was last written in, formatted, and the zone's offset then. */
    private record AckSecond(long epochSecond, String second, String offset) {
    }

    private static volatile AckSecond ackSecond = new AckSecond(Long.MIN_VALUE, "", "");

    private final HapiContext context;
    private final PipeParser parser;
    private final Charset defaultCharset;

    public Hl7Codec(Charset defaultCharset) {
        this.defaultCharset = defaultCharset;
        context = new DefaultHapiContext();
        context.setValidationContext(NO_VALIDATION);
        context.setModelClassFactory(new CanonicalModelClassFactory("2.6"));
        // the default generator writes an id file into the working directory
        context.getParserConfiguration().setIdGenerator(new UUIDGenerator());
        parser = context.getPipeParser();
    }

    public HapiContext context() {
        return context;
    }

    /** Decodes a frame in the charset MSH-18 names, else the configured default. */
    public String decode(byte[] frame) {
        return new String(frame, charset(frame));
    }

    /** The charset MSH-18 of a frame names, else the configured default: the message's and its answer's. */
    public Charset charset(byte[] frame) {
        return Hl7Charsets.fromMsh18(frame, defaultCharset);
    }

    /**
     * An inbound message as the appliance reads it: straight from its text when that reading is plain
     * ({@link Pcd01Text}, {@code text} set), else parsed by HAPI ({@code hapi} set).
     */
    public record Inbound(Pcd01Text text, Message hapi) {
    }

    /** Reads a message: from its text when it is a plain PCD-01 ORU^R01, else with HAPI. */
    public Inbound read(String text) throws Hl7Rejection {
        String normalised = normalise(text);
        Pcd01Text direct = Pcd01Text.read(normalised);
        return direct != null ? new Inbound(direct, null) : new Inbound(null, parseNormalised(normalised));
    }

    /** Parses with HAPI, whatever the message. */
    public Message parse(String text) throws Hl7Rejection {
        return parseNormalised(normalise(text));
    }

    /** Segments ended by CR only, no surrounding whitespace; refused unless it starts with an MSH segment. */
    static String normalise(String text) throws Hl7Rejection {
        String normalised = text.strip().replace("\r\n", "\r").replace('\n', '\r');
        if (!normalised.startsWith("MSH") || normalised.length() < 8) {
            throw new Hl7Rejection(AcknowledgmentCode.AR, ErrorCode.SEGMENT_SEQUENCE_ERROR, "VIGIL-HL7-001", null,
                    "not an HL7 v2 message: it does not start with an MSH segment");
        }
        return normalised;
    }

    private Message parseNormalised(String normalised) throws Hl7Rejection {
        try {
            return parser.parse(normalised);
        } catch (HL7Exception e) {
            throw new Hl7Rejection(AcknowledgmentCode.AR, ErrorCode.APPLICATION_INTERNAL_ERROR, "VIGIL-HL7-002",
                    null, "HL7 parse error: " + firstLine(e.getMessage()));
        }
    }

    /** The ACK of a message {@link #read} read: as {@link #accept(Message)} writes it, whoever read the message. */
    public String accept(Inbound inbound) {
        if (inbound.text() != null) {
            String direct = acceptDirectly(inbound.text().msh());
            if (direct != null) {
                return direct;
            }
            try {
                return accept(parser.parse(inbound.text().text()));
            } catch (HL7Exception e) {
                return fresh(AcknowledgmentCode.AA, echoable(inbound.text().msh().raw(10, 0, 1, 1)), null);
            }
        }
        return accept(inbound.hapi());
    }

    /**
     * MSA|AA, MSH-9 ACK^&lt;trigger&gt;^ACK: the header HAPI's generateACK writes (sender and receiver swapped, their
     * first components), written directly from the inbound MSH on the hot path; HAPI builds it when a copied value
     * would need escaping or the message uses other encoding characters.
     */
    public String accept(Message inbound) {
        String direct = acceptDirectly(inbound);
        if (direct != null) {
            return direct;
        }
        try {
            return parser.encode(inbound.generateACK());
        } catch (HL7Exception | IOException | RuntimeException e) {
            // a header that parsed but cannot be echoed (e.g. bad encoding characters): answer without echoing it
            return fresh(AcknowledgmentCode.AA, controlId(inbound), null);
        }
    }

    /** The ACK as HAPI writes it, or null when a value would need escaping (HAPI then builds it). */
    static String acceptDirectly(Message inbound) {
        try {
            if (!(inbound.get("MSH") instanceof MSH msh) || !"|".equals(msh.getFieldSeparator().getValue())
                    || !"^~\\&".equals(msh.getEncodingCharacters().getValue())) {
                return null;
            }
            return acceptDirectly(new HapiSegment(msh));
        } catch (HL7Exception | RuntimeException e) {
            return null;
        }
    }

    /** The same from an MSH with the standard separators. */
    private static String acceptDirectly(Hl7Segment msh) {
        try {
            String[] copied = {
                msh.raw(5, 0, 1, 1), // receiving application
                msh.raw(6, 0, 1, 1), // receiving facility
                msh.raw(3, 0, 1, 1), // sending application
                msh.raw(4, 0, 1, 1), // sending facility
                msh.raw(9, 0, 2, 1), // trigger event
                msh.raw(11, 0, 1, 1), // processing id
                msh.raw(12, 0, 1, 1), // version
                msh.raw(10, 0, 1, 1) // control id
            };
            for (int i = 0; i < copied.length; i++) {
                if (copied[i] == null) {
                    copied[i] = "";
                } else if (!plain(copied[i])) {
                    return null;
                }
            }
            StringBuilder ack = new StringBuilder(160).append("MSH|^~\\&|");
            ack.append(copied[0]).append('|').append(copied[1]).append('|').append(copied[2]).append('|').append(copied[3])
                    .append('|');
            ackTime(Instant.now(), ack).append("||ACK");
            if (!copied[4].isEmpty()) {
                ack.append('^').append(copied[4]).append("^ACK");
            }
            ack.append('|').append(controlId()).append('|').append(copied[5]).append('|').append(copied[6])
                    .append("\rMSA|AA|").append(copied[7]).append('\r');
            return ack.toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * MSH-7 of an acknowledgement, yyyyMMddHHmmss.SSSZ, of {@code now} in the appliance's zone, appended: the
     * seconds and the offset formatted once a second (every acknowledgement of that second shares them, and the zone
     * is read then), the milliseconds written as digits.
     */
    static StringBuilder ackTime(Instant now, StringBuilder to) {
        long epochSecond = now.getEpochSecond();
        AckSecond second = ackSecond;
        if (second.epochSecond() != epochSecond) {
            OffsetDateTime time = OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneId.systemDefault());
            second = new AckSecond(epochSecond, ACK_SECOND.format(time), ACK_OFFSET.format(time));
            ackSecond = second;
        }
        int millis = now.getNano() / 1_000_000;
        return to.append(second.second()).append('.').append((char) ('0' + millis / 100))
                .append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10)).append(second.offset());
    }

    /**
     * MSH-10 of an acknowledgement: a random (version 4) UUID, only to be unique, so from the thread's own generator
     * rather than the secure generator behind {@link UUID#randomUUID}, which every thread shares.
     */
    private static UUID controlId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
    }

    /** No delimiter, escape or control character: written as it is. */
    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '|' || c == '^' || c == '~' || c == '\\' || c == '&') {
                return false;
            }
        }
        return true;
    }

    /**
     * The NAK of a message {@link #read} read (null when none was): for one read from its text, the header it echoes is
     * parsed again from the raw text.
     */
    public String reject(Inbound inbound, String rawText, Hl7Rejection rejection) {
        return reject(inbound == null ? null : inbound.hapi(), rawText, rejection);
    }

    /**
     * A NAK with MSA-1 AE or AR and an ERR segment saying why. {@code inbound} is null when the message could not
     * be parsed: the header fields are then read from the raw text where possible.
     */
    public String reject(Message inbound, String rawText, Hl7Rejection rejection) {
        HL7Exception error = new HL7Exception(rejection.describe(), rejection.errorCode());
        Message header = inbound != null ? inbound : headerOnly(rawText);
        if (header != null) {
            try {
                return parser.encode(header.generateACK(rejection.ackCode(), error));
            } catch (HL7Exception | IOException | RuntimeException e) {
                // the header itself cannot be echoed: fall through to an acknowledgement of our own
            }
        }
        return fresh(rejection.ackCode(), controlId(header), error);
    }

    /** An acknowledgement built from scratch, echoing the control id when one could be read. */
    private String fresh(AcknowledgmentCode code, String controlId, HL7Exception error) {
        try {
            ACK ack = new ACK();
            ack.setParser(parser);
            ack.initQuickstart("ACK", null, "P");
            ack.getMSA().getAcknowledgmentCode().setValue(code.name());
            if (controlId != null) {
                ack.getMSA().getMessageControlID().setValue(controlId);
            }
            if (error != null) {
                error.populateResponse(ack, code, 0);
            }
            return parser.encode(ack);
        } catch (HL7Exception | IOException e) {
            throw new IllegalStateException("cannot build an acknowledgement", e);
        }
    }

    private static String controlId(Message message) {
        if (message == null) {
            return null;
        }
        try {
            return echoable(((ca.uhn.hl7v2.model.Segment) message.get("MSH")).getField(10, 0).encode());
        } catch (HL7Exception | RuntimeException e) {
            return null;
        }
    }

    /** A control id as an acknowledgement may echo it: printable ASCII, at most 199 characters; else none. */
    private static String echoable(String id) {
        return id == null || id.isBlank() || id.length() > 199 ? null : id.replaceAll("[^\\x20-\\x7E]", "");
    }

    /** The inbound MSH alone, so that a NAK can echo MSH-10 of a message whose body does not parse. */
    private Message headerOnly(String rawText) {
        if (rawText == null) {
            return null;
        }
        String text = rawText.strip().replace('\n', '\r');
        if (!text.startsWith("MSH")) {
            return null;
        }
        int end = text.indexOf('\r');
        try {
            return parser.parse(end > 0 ? text.substring(0, end) : text);
        } catch (HL7Exception | RuntimeException e) {
            return null;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown";
        }
        int nl = s.indexOf('\n');
        return nl > 0 ? s.substring(0, nl) : s;
    }
}
