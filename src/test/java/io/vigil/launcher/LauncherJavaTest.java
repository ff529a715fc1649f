package io.vigil.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which Java bin/vigil runs: the one JAVA or JAVA_HOME names, else the newest of java on the PATH and the JDKs in
 * VIGIL_JAVA_DIRS, by the version in each one's release file. `bin/vigil java` prints the choice without starting
 * anything; the JDKs here are folders with a release file and an executable bin/java that is never run.
 */
class LauncherJavaTest {

    @TempDir
    Path jdks;

    @Test
    void shouldRunTheNewestJavaInstalledAndSaySo() throws Exception {
        Path newest = jdk("jdk-25", "25.0.3+9-LTS");
        jdk("jdk-21", "21.0.5+11");
        jdk("jdk-without-release", null);

        Result result = run(Map.of("VIGIL_JAVA_DIRS", jdks.toString()));

        assertThat(result.out()).isEqualTo(newest.toRealPath() + " 25.0.3+9-LTS");
        assertThat(result.err()).contains("vigil: Java 25.0.3+9-LTS from " + newest.getParent().getParent().toRealPath())
                .contains("JAVA_HOME or JAVA chooses another");
    }

    @Test
    void shouldKeepThePathsJavaWhenNothingNewerIsInstalled() throws Exception {
        jdk("jdk-11", "11.0.2+9");

        Result result = run(Map.of("VIGIL_JAVA_DIRS", jdks.toString()));

        String pathJava = bash("readlink -f \"$(command -v java)\"").out();
        assertThat(pathJava).isNotBlank();
        assertThat(result.out()).startsWith(pathJava + " ");
        assertThat(result.err()).doesNotContain("vigil: Java");
    }

    @Test
    void shouldRunTheJavaThatJavaHomeOrJavaNames() throws Exception {
        jdk("jdk-25", "25.0.3+9-LTS");
        Path older = jdk("jdk-21", "21.0.5+11");
        Path home = older.getParent().getParent();

        assertThat(run(Map.of("VIGIL_JAVA_DIRS", jdks.toString(), "JAVA_HOME", home.toString())).out())
                .isEqualTo(older.toRealPath() + " 21.0.5+11");
        assertThat(run(Map.of("VIGIL_JAVA_DIRS", jdks.toString(), "JAVA", older.toString())).out())
                .isEqualTo(older.toRealPath() + " 21.0.5+11");
    }

    private Path jdk(String name, String version) throws IOException {
        Path java = jdks.resolve(name).resolve("bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (version != null) {
            Files.writeString(jdks.resolve(name).resolve("release"), "JAVA_VERSION=\"" + version.replaceAll("[+-].*", "")
                    + "\"\nJAVA_RUNTIME_VERSION=\"" + version + "\"\n");
        }
        return java;
    }

    private record Result(String out, String err) {
    }

    private static Result run(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "bin/vigil", "java");
        builder.environment().remove("JAVA");
        builder.environment().remove("JAVA_HOME");
        builder.environment().putAll(env);
        return finish(builder);
    }

    private static Result bash(String command) throws Exception {
        return finish(new ProcessBuilder("bash", "-c", command));
    }

    private static Result finish(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("finished within 30 s").isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit status; stderr: %s", err).isZero();
        return new Result(out, err);
    }
}
