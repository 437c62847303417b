package dev.wsstudy.suite;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository checkout the suite runs from: the folder holding {@code suites/}, the
 * module jars and {@code results/}. The launcher runs us as {@code java -cp loadgen/target/loadgen.jar},
 * so we walk up from where our own classes were loaded; tests run from {@code loadgen/target/classes},
 * which walks up to the same place. {@code WSSTUDY_ROOT} overrides both.
 */
final class RepoRoot {
    private RepoRoot() {}

    static Path find() {
        String env = System.getenv("WSSTUDY_ROOT");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        Path start;
        try {
            start = Path.of(RepoRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            start = Path.of("").toAbsolutePath();
        }
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (isRoot(p)) {
                return p;
            }
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (isRoot(p)) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the wsstudy checkout (a folder with pom.xml and suites/);"
                + " set WSSTUDY_ROOT");
    }

    static boolean isRoot(Path p) {
        return Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("suites"));
    }

    /** The runnable jar of a module, as the parent pom's shade execution names it. */
    static Path moduleJar(Path root, String module) {
        return root.resolve(module).resolve("target").resolve(module + ".jar");
    }
}
