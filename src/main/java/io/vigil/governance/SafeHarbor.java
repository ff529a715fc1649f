package io.vigil.governance;

import com.fasterxml.jackson.core.type.TypeReference;
import io.vigil.model.CanonicalJson;
import io.vigil.model.DeviceInfo;
import io.vigil.model.DeviceObservation;
import io.vigil.model.ObservationBatch;
import io.vigil.model.ObservationValue;
import io.vigil.model.PatientRef;
import io.vigil.model.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * De-identification by the HIPAA Safe Harbor method (45 CFR 164.514(b)(2)) for non-treatment destinations.
 * Of the canonical observation it keeps what a study needs (code, value, unit, status, device kind, the year)
 * and removes or replaces every identifier kind:
 * <ul>
 * <li>the patient identifier (medical record and other numbers) becomes a random study pseudonym, not derived
 * from it (164.514(c)); the table that links them stays in {data-dir}/pseudonyms.json;</li>
 * <li>device identifiers, serial numbers and models, the sending gateway and its addresses are removed;</li>
 * <li>the point of care (smaller than a State) is removed;</li>
 * <li>dates keep the year only (the FHIR builder writes year precision);</li>
 * <li>the message control id becomes a keyed hash (HMAC with a secret kept in the data folder), so that a
 * resent message is still recognised; the payload hash is removed;</li>
 * <li>free-text values are dropped (they may carry names, numbers, addresses or URLs).</li>
 * </ul>
 * Names, addresses, birth dates, telephone and fax numbers, e-mail, social security, health plan, account and
 * licence numbers, vehicle identifiers, URLs, biometrics and images are never read into the canonical
 * observation in the first place.
 */
public final class SafeHarbor {

    public static final String PSEUDONYM_SYSTEM = "urn:vigil:research-subject";

    private final Path pseudonymFile;
    private final Map<String, String> pseudonyms = new ConcurrentHashMap<>();
    private final byte[] secret;

    public SafeHarbor(Path dataDir) {
        this.pseudonymFile = dataDir.resolve("pseudonyms.json");
        this.secret = secret(dataDir.resolve("research-key"));
        if (Files.exists(pseudonymFile)) {
            try {
                pseudonyms.putAll(CanonicalJson.MAPPER.readValue(pseudonymFile.toFile(), new TypeReference<Map<String, String>>() { }));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + pseudonymFile, e);
            }
        }
    }

    public ObservationBatch deidentify(ObservationBatch batch) {
        Source s = batch.source();
        Source source = new Source(s.protocol(), "de-identified", keyedHash(s.protocol() + "|" + s.sender() + "|" + s.messageControlId()),
                "P", null, null);
        List<DeviceObservation> observations = batch.observations().stream()
                .filter(o -> o.value().hasQuantity())
                .map(o -> new DeviceObservation(source,
                        new DeviceInfo(null, null, o.device().kind(), null, o.device().containment()),
                        pseudonym(o.patient()), null, o.code(),
                        ObservationValue.quantity(o.value().quantity(), o.value().ucum(), o.value().ucum()),
                        o.effective(), o.status(), Set.copyOf(o.flags()), o.alarmLimits(), o.panelRole()))
                .toList();
        return new ObservationBatch(source, observations, 0, 0);
    }

    private PatientRef pseudonym(PatientRef patient) {
        String key = patient.system() + "|" + patient.value();
        String pseudonym = pseudonyms.get(key);
        if (pseudonym == null) {
            synchronized (this) {
                pseudonym = pseudonyms.computeIfAbsent(key, k -> UUID.randomUUID().toString());
                save();
            }
        }
        return new PatientRef(PSEUDONYM_SYSTEM, pseudonym);
    }

    private String keyedHash(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void save() {
        try {
            Files.createDirectories(pseudonymFile.toAbsolutePath().getParent());
            CanonicalJson.MAPPER.writeValue(pseudonymFile.toFile(), Map.copyOf(pseudonyms));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + pseudonymFile, e);
        }
    }

    private static byte[] secret(Path file) {
        try {
            if (Files.exists(file)) {
                return HexFormat.of().parseHex(Files.readString(file).strip());
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, HexFormat.of().formatHex(key));
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
