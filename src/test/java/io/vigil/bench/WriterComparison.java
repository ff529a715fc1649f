package io.vigil.bench;

import ca.uhn.fhir.context.FhirContext;
import io.vigil.fhir.FhirBundleBuilder;
import io.vigil.hl7.Hl7Codec;
import io.vigil.hl7.PatientIdentifierSystems;
import io.vigil.hl7.Pcd01Extractor;
import io.vigil.hl7.VendorCodes;
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
 * Vigil's FHIR JSON writer against another build of it, in one JVM: the seven-observation bundle of sample 01 written
 * by each in turn, a quarter of a second at a time, so that both meet the same phases of a shared machine (separate
 * JMH forks of the same build differed by 40 % on it). Prints the median of the rounds' ratios (this build's bundles
 * a second over the other's) and its quartiles. Usage: WriterComparison OTHER_CLASSES_DIR [ROUNDS], where the folder
 * holds the other build's io/vigil/fhir/FhirJson*.class (its target/classes).
 */
public final class WriterComparison {

    private static final String WRITER = "io.vigil.fhir.FhirJson";
    private static final long SLICE_NANOS = 250_000_000L;
    private static final int WARM_UP_ROUNDS = 20;

    /** Loads the writer's classes from the other build's folder, everything else as this build does. */
    private static final class OtherBuild extends URLClassLoader {
        OtherBuild(Path classes) throws Exception {
            super(new URL[] {classes.toUri().toURL()}, WriterComparison.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(WRITER)) {
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
            System.err.println("usage: WriterComparison OTHER_CLASSES_DIR [ROUNDS]");
            System.exit(2);
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 160;
        Terminology terminology = Terminology.load(Path.of("mappings"));
        Pcd01Extractor extractor = new Pcd01Extractor(terminology, ZoneId.of("UTC"),
                new PatientIdentifierSystems(Map.of()), VendorCodes.NONE);
        FhirBundleBuilder bundles = new FhirBundleBuilder(FhirContext.forR4(), terminology);
        String seven = Files.readString(Path.of("src/test/resources/samples/hl7/01_pcd01_philips_intellivue_mx500.hl7"))
                .strip().replace("\r\n", "\r").replace('\n', '\r');
        Bundle model = bundles.build(extractor.extract(new Hl7Codec(StandardCharsets.UTF_8).parse(seven),
                Instant.now(), "0"), "bench");

        MethodType utf8 = MethodType.methodType(byte[].class, Resource.class);
        MethodHandle[] writers = {
            MethodHandles.publicLookup().findStatic(Class.forName(WRITER), "utf8", utf8),
            MethodHandles.publicLookup().findStatic(
                    Class.forName(WRITER, true, new OtherBuild(Path.of(args[0]))), "utf8", utf8)};
        byte[] ours = (byte[]) writers[0].invokeExact((Resource) model);
        byte[] theirs = (byte[]) writers[1].invokeExact((Resource) model);
        if (!Arrays.equals(ours, theirs)) {
            System.err.println("the two builds write different JSON for the bundle: not compared");
            System.exit(1);
        }
        System.out.printf("bundle of sample 01: %,d bytes, the same from both builds%n", ours.length);

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
                    for (int i = 0; i < 50; i++) {
                        written += ((byte[]) writers[side].invokeExact((Resource) model)).length;
                    }
                    count += 50;
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
