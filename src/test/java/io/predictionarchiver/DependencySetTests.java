package io.predictionarchiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The runtime ships what it uses: S3Proxy's filesystem store for {@code demo} but none of its other back-ends'
 * client libraries, no HTTP/3 natives, no Bean Validation; and the AWS credential modules the default chain
 * needs for SSO and web identity. Checked on the test class path (which holds every runtime jar) and, when a
 * {@code package} built it after the last change to {@code pom.xml}, on the executable jar's {@code BOOT-INF/lib}.
 */
class DependencySetTests {

    /** Jars no runtime path uses; each was in the jar before the exclusions in pom.xml. */
    private static final Pattern UNUSED = Pattern.compile(
            "azure-.*|msal4j.*|google-cloud-.*|google-api-.*|gax-.*|grpc-.*|openstack4j-.*|sshd-.*|jimfs-.*"
                    + "|netty-codec-native-quic-.*|netty-codec-http3-.*|hibernate-validator-.*"
                    + "|jakarta\\.validation-api-.*|okhttp-.*");

    private static final List<String> CREDENTIAL_MODULES = List.of("sts-", "sso-", "ssooidc-");

    private static final Path JAR = Path.of("target", "prediction-archiver.jar");

    @Test
    void theClassPathHoldsNoUnusedBackEndAndTheCredentialModules() {
        List<String> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).getFileName().toString())
                .filter(name -> name.endsWith(".jar"))
                .toList();

        assertThat(jars).as("class path").isNotEmpty().noneMatch(name -> UNUSED.matcher(name).matches());
        assertThat(CREDENTIAL_MODULES).allSatisfy(module -> assertThat(jars).anyMatch(name -> isModule(name, module)));
        assertThat(jars).anyMatch(name -> name.startsWith("s3proxy-"));
    }

    @Test
    void theExecutableJarHoldsNoUnusedBackEndAndTheCredentialModules() throws IOException {
        // not built, or built before the dependencies last changed: the class path test above covers it
        assumeTrue(Files.isRegularFile(JAR)
                && Files.getLastModifiedTime(JAR).compareTo(Files.getLastModifiedTime(Path.of("pom.xml"))) >= 0,
                "no executable jar built from this pom.xml");
        List<String> libraries;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            libraries = jar.stream().map(entry -> entry.getName())
                    .filter(name -> name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar"))
                    .map(name -> name.substring("BOOT-INF/lib/".length()))
                    .toList();
        }

        assertThat(libraries).isNotEmpty().noneMatch(name -> UNUSED.matcher(name).matches());
        assertThat(CREDENTIAL_MODULES)
                .allSatisfy(module -> assertThat(libraries).anyMatch(name -> isModule(name, module)));
        assertThat(libraries).anyMatch(name -> name.startsWith("s3proxy-"));
    }

    /** {@code sso-2.57.8.jar} is the module {@code sso-}, {@code ssooidc-2.57.8.jar} is not. */
    private static boolean isModule(String jar, String module) {
        return jar.startsWith(module) && Character.isDigit(jar.charAt(module.length()));
    }
}
