package io.predictionarchiver.transfer;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.netty.util.NetUtil;
import io.predictionarchiver.config.DownloadProperties;

/**
 * Decides, without any I/O, whether an output URL may be fetched. Output URLs are attacker-influenced (a model
 * can output any string), so everything not plainly a delivery URL is refused: other schemes, plain http,
 * credentials in the URL, hosts outside {@code archiver.download.allowed-hosts}, non-public IP literals and
 * dot segments in the path. Host names resolving to non-public addresses are refused later, at connect time,
 * by {@link PrivateAddressGuard}.
 */
final class DownloadPolicy {

    private static final String ALLOWED_HOSTS = "archiver.download.allowed-hosts";

    private final List<String> exactHosts;
    private final List<String> wildcardSuffixes;
    private final boolean allowHttp;
    private final boolean allowPrivateNetworks;

    DownloadPolicy(DownloadProperties properties) {
        this.exactHosts = properties.allowedHosts().stream()
                .filter(host -> !host.startsWith("*."))
                .map(host -> host.toLowerCase(Locale.ROOT))
                .toList();
        this.wildcardSuffixes = properties.allowedHosts().stream()
                .filter(host -> host.startsWith("*."))
                .map(host -> host.substring(1).toLowerCase(Locale.ROOT))
                .toList();
        this.allowHttp = properties.allowHttp();
        this.allowPrivateNetworks = properties.allowPrivateNetworks();
    }

    /** Why {@code url} must not be fetched, as a short sentence naming the rule; empty when it may be. */
    Optional<String> rejection(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("the URL is empty");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null) {
            return Optional.of("the URL has no scheme; only https URLs are fetched");
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("scheme '" + scheme + "' is not allowed; only https URLs are fetched");
        }
        if (scheme.equals("http") && !allowHttp) {
            return Optional.of("plain http is not allowed; only https URLs are fetched"
                    + " (archiver.download.allow-http is false)");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("the URL carries credentials (user info before '@'), which are never sent");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("the URL has no valid host");
        }
        String host = bareHost(uri.getHost());
        Optional<String> literalRefusal = nonPublicLiteral(host);
        if (literalRefusal.isPresent()) {
            return literalRefusal;
        }
        if (!isAllowedHost(host)) {
            return Optional.of("host '" + host + "' is not in " + ALLOWED_HOSTS);
        }
        return dotSegment(uri.getRawPath())
                .map(segment -> "the path contains a '" + segment + "' segment");
    }

    private static String bareHost(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1) : lower;
    }

    private Optional<String> nonPublicLiteral(String host) {
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal == null || allowPrivateNetworks) {
            return Optional.empty();
        }
        try {
            return NonPublicAddresses.refusal(host, InetAddress.getByAddress(literal));
        } catch (UnknownHostException notAnAddress) {
            return Optional.of("host '" + host + "' is not a valid IP address");
        }
    }

    private boolean isAllowedHost(String host) {
        if (exactHosts.contains(host)) {
            return true;
        }
        // "*.x" covers "a.x" and "a.b.x", never "x" itself nor "evilx"
        return wildcardSuffixes.stream().anyMatch(suffix -> host.length() > suffix.length() && host.endsWith(suffix));
    }

    /*
     * Checked on the raw path: URI normalisation would silently turn "a/../b" into "b", and delivery hosts
     * may decode %2e themselves.
     */
    private static Optional<String> dotSegment(String rawPath) {
        if (rawPath == null) {
            return Optional.empty();
        }
        for (String segment : rawPath.split("/", -1)) {
            String decoded = segment.replaceAll("(?i)%2e", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                return Optional.of(decoded);
            }
        }
        return Optional.empty();
    }
}
