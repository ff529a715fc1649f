package io.vigil.bench;

import ca.uhn.fhir.context.FhirContext;
import io.vigil.hl7.Hl7Codec;
import io.vigil.hl7.PatientIdentifierSystems;
import io.vigil.hl7.Pcd01Extractor;
import io.vigil.hl7.VendorCodes;
import io.vigil.model.ObservationBatch;
import io.vigil.normalize.Terminology;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Vigil's FHIR JSON writer, or its whole bundle (built and written), against another build of it, in one JVM: each
 * in turn, a quarter of a second at a time, so that both meet the same phases of a shared machine (separate JMH forks
 * of the same build differed by 40 % on it). Prints the median of the rounds' ratios (this build's bundles a second
 * over the other's) and its quartiles. Usage: WriterComparison OTHER_CLASSES_DIR [ROUNDS] [writer|bundle], where the
 * folder is the other build's target/classes.
 * <ul>
 * <li>writer (the default): the seven-observation bundle of sample 01, built once, written as UTF-8 by each build's
 * io.vigil.fhir.FhirJson;</li>
 * <li>bundle: the load tool's message of seven observations (heart rate, SpO2, respiration, blood pressure, temperature)
 * built into its bundle and written as UTF-8 by each build's io.vigil.fhir classes (FhirBundleBuilder.build, toUtf8).</li>
 * </ul>
 */
public final class WriterComparison {

    private static final long SLICE_NANOS = 250_000_000L;
    private static final int WARM_UP_ROUNDS = 20;

    /** The load tool's PCD-01 message (SimulatedMessages) with every periodic measurement, for one bed. */
    private static final String LOAD_MESSAGE = String.join("\r",
            "MSH|^~\\&|VIGIL_SIM^0012345678ABCDEF^EUI-64||||20261208011500.123+0000||ORU^R01^ORU_R01|LOAD1-1-1|P|2.6|||AL|NE"
                    + "||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO",
            "PID|||P000001^^^VIGILSIM^MR||SIMULATED^PATIENT",
            "PV1||I|ICU^^1",
            "OBR|1|LOAD1-1-1^VIGIL_SIM^0012345678ABCDEF^EUI-64|LOAD1-1-1^VIGIL_SIM^0012345678ABCDEF^EUI-64"
                    + "|182777000^monitoring of patient^SCT|||20261208011500.123+0000",
            "OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1.0.0.0||||||X|||20261208011500.123+0000||||0012345678ABCDEF^EUI-64",
            "OBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||20261208011500.123+0000",
            "OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.2.1.1|97|262688^MDC_DIM_PERCENT^MDC|||||R|||20261208011500.123+0000",
            "OBX|4|NM|151562^MDC_RESP_RATE^MDC|1.1.2.1|16|264928^MDC_DIM_RESP_PER_MIN^MDC|||||R|||20261208011500.123+0000",
            "OBX|5|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.3.1.1|120|266016^MDC_DIM_MMHG^MDC|||||R|||20261208011500.123+0000",
            "OBX|6|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.3.1.2|80|266016^MDC_DIM_MMHG^MDC|||||R|||20261208011500.123+0000",
            "OBX|7|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.3.1.3|93|266016^MDC_DIM_MMHG^MDC|||||R|||20261208011500.123+0000",
            "OBX|8|NM|150364^MDC_TEMP_BODY^MDC|1.4.1.1|36.8|268192^MDC_DIM_DEGC^MDC|||||R|||20261208011500.123+0000") + "\r";

    /** Loads the compared classes from the other build's folder, everything else as this build does. */
    private static final class OtherBuild extends URLClassLoader {
        private final String compared;

        OtherBuild(Path classes, String compared) throws Exception {
            super(new URL[] {classes.toUri().toURL()}, WriterComparison.class.getClassLoader());
            this.compared = compared;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(compared)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 1) {
            System.err.println("usage: WriterComparison OTHER_CLASSES_DIR [ROUNDS] [writer|bundle]");
            System.exit(2);
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 160;
        boolean whole = args.length > 2 && "bundle".equals(args[2]);
        Terminology terminology = Terminology.load(Path.of("mappings"));
        Pcd01Extractor extractor = new Pcd01Extractor(terminology, ZoneId.of("UTC"),
                new PatientIdentifierSystems(Map.of()), VendorCodes.NONE);
        String message = whole ? LOAD_MESSAGE
                : Files.readString(Path.of("src/test/resources/samples/hl7/01_pcd01_philips_intellivue_mx500.hl7"))
                        .strip().replace("\r\n", "\r").replace('\n', '\r');
        ObservationBatch batch = extractor.extract(new Hl7Codec(StandardCharsets.UTF_8).parse(message), Instant.now(), "0");
        FhirContext fhir = FhirContext.forR4();
        ClassLoader[] builds = {WriterComparison.class.getClassLoader(),
            new OtherBuild(Path.of(args[0]), whole ? "io.vigil.fhir." : "io.vigil.fhir.FhirJson")};
        MethodHandle[] writers = new MethodHandle[2];
        for (int i = 0; i < 2; i++) {
            Class<?> builderType = Class.forName("io.vigil.fhir.FhirBundleBuilder", true, builds[i]);
            Object builder = builderType.getConstructor(FhirContext.class, Terminology.class).newInstance(fhir, terminology);
            if (whole) {
                MethodHandle build = MethodHandles.publicLookup().findVirtual(builderType, "build",
                        MethodType.methodType(Bundle.class, ObservationBatch.class, String.class)).bindTo(builder);
                MethodHandle utf8 = MethodHandles.publicLookup().findVirtual(builderType, "toUtf8",
                        MethodType.methodType(byte[].class, Bundle.class)).bindTo(builder);
                MethodHandle built = MethodHandles.insertArguments(build, 0, batch, "bench");
                writers[i] = MethodHandles.filterReturnValue(built, utf8);
            } else {
                Bundle model = (Bundle) builderType.getMethod("build", ObservationBatch.class, String.class)
                        .invoke(builder, batch, "bench");
                MethodHandle utf8 = MethodHandles.publicLookup().findStatic(
                        Class.forName("io.vigil.fhir.FhirJson", true, builds[i]), "utf8",
                        MethodType.methodType(byte[].class, Resource.class));
                writers[i] = MethodHandles.insertArguments(utf8, 0, model);
            }
            writers[i] = writers[i].asType(MethodType.methodType(byte[].class));
        }
        byte[] ours = (byte[]) writers[0].invokeExact();
        byte[] theirs = (byte[]) writers[1].invokeExact();
        if (!Arrays.equals(ours, theirs)) {
            System.err.println("the two builds write different JSON for the bundle: not compared");
            System.exit(1);
        }
        System.out.printf("%s: %,d bytes, the same from both builds%n",
                whole ? "the load tool's message, built and written" : "bundle of sample 01, written", ours.length);

        double[] ratios = new double[rounds];
        long[] totals = new long[2];
        long written = 0;
        for (int round = -WARM_UP_ROUNDS; round < rounds; round++) {
            long[] counts = new long[2];
            for (int turn = 0; turn < 2; turn++) {
                int side = (round & 1) == 0 ? turn : 1 - turn; // each goes first in every other round
                long end = System.nanoTime() + SLICE_NANOS;
                long count = 0;
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 20; i++) {
                        written += ((byte[]) writers[side].invokeExact()).length;
                    }
                    count += 20;
                }
                counts[side] = count;
            }
            if (round >= 0) {
                ratios[round] = (double) counts[0] / counts[1];
                totals[0] += counts[0];
                totals[1] += counts[1];
            }
        }
        Arrays.sort(ratios);
        if (written == 0) {
            throw new IllegalStateException("nothing written"); // and the JIT cannot drop the writes as unused
        }
        System.out.printf("this build / the other, bundles a second: median %.3f (quartiles %.3f-%.3f) over %d rounds;"
                        + " in all %,d against %,d%n", ratios[rounds / 2], ratios[rounds / 4], ratios[3 * rounds / 4],
                rounds, totals[0], totals[1]);
    }
}
