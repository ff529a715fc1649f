package io.vigil.rules;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;

/**
 * Builds the rule set in a folder: every *.drl and *.drl.csv (CSV decision table) below it. A set with any build
 * error is refused as a whole, each problem reported with file and line.
 */
final class RuleSetLoader {

    private static final String DECISION_TABLE = ".drl.csv";

    private RuleSetLoader() {
    }

    static LoadedRuleSet load(Path folder) throws RuleSetRejectedException {
        List<Path> files = ruleFiles(folder);
        if (files.isEmpty()) {
            throw new RuleSetRejectedException(List.of(folder.toAbsolutePath() + ": no .drl or .drl.csv file"));
        }
        KieServices kie = KieServices.Factory.get();
        KieFileSystem fs = kie.newKieFileSystem();
        MessageDigest digest = sha256();
        List<String> names = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            String name = folder.relativize(file).toString().replace('\\', '/');
            byte[] content = read(file);
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update(content);
            names.add(name);
            String drl;
            if (name.endsWith(DECISION_TABLE)) {
                try {
                    drl = new SpreadsheetCompiler().compile(new ByteArrayInputStream(content), InputType.CSV);
                } catch (RuntimeException e) {
                    problems.add(name + ": not a valid decision table: " + e.getMessage());
                    continue;
                }
            } else {
                drl = new String(content, StandardCharsets.UTF_8);
            }
            fs.write("src/main/resources/" + name + (name.endsWith(".drl") ? "" : ".drl"), drl);
        }
        if (!problems.isEmpty()) {
            throw new RuleSetRejectedException(problems);
        }
        String version = HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        ReleaseId releaseId = kie.newReleaseId("io.vigil", "rules", "1.0.0-" + version + "-" + System.nanoTime());
        fs.generateAndWritePomXML(releaseId);
        KieBuilder builder = kie.newKieBuilder(fs).buildAll();
        for (Message message : builder.getResults().getMessages(Message.Level.ERROR)) {
            String path = message.getPath() == null ? "?" : message.getPath().replaceFirst("^src/main/resources/", "")
                    .replaceFirst("\\.drl\\.csv\\.drl$", DECISION_TABLE);
            problems.add(path + ":" + message.getLine() + ": " + message.getText().strip().replaceAll("\\s+", " "));
        }
        if (!problems.isEmpty()) {
            kie.getRepository().removeKieModule(releaseId);
            throw new RuleSetRejectedException(problems);
        }
        var container = kie.newKieContainer(releaseId);
        int rules = container.getKieBase().getKiePackages().stream().mapToInt(p -> p.getRules().size()).sum();
        java.util.Set<String> globals = new java.util.HashSet<>();
        container.getKieBase().getKiePackages().forEach(p -> p.getGlobalVariables().forEach(g -> globals.add(g.getName())));
        Map<String, Object> delegates = new java.util.HashMap<>(Map.of("decisions",
                new EvaluationScope.CurrentDecisions(), "governance", new EvaluationScope.CurrentGovernance(),
                "news2", new EvaluationScope.CurrentNews2(), "qsofa", new EvaluationScope.CurrentQsofa()));
        delegates.keySet().retainAll(globals);
        return new LoadedRuleSet(version, Instant.now(), List.copyOf(names), rules, java.util.Set.copyOf(globals),
                container, releaseId, new SessionPool(container.getKieBase(), delegates));
    }

    /** Frees a replaced rule set: without this every reload keeps one KIE module alive. */
    static void dispose(LoadedRuleSet old) {
        old.sessions().close();
        old.container().dispose();
        KieServices.Factory.get().getRepository().removeKieModule(old.releaseId());
    }

    private static List<Path> ruleFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".drl") || p.getFileName().toString().endsWith(DECISION_TABLE))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
