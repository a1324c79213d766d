package io.predictionarchiver.config;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code archiver.download.*}: which output URLs may be fetched, and how.
 *
 * @param allowedHosts          hosts output URLs may come from; {@code *.x} matches every subdomain of x
 * @param allowHttp             accept plain http URLs (simulators and tests only)
 * @param allowPrivateNetworks  accept hosts resolving to loopback, private or link-local addresses
 * @param concurrency           files transferred at once by the whole process, across all predictions and callers
 * @param maxFileSize           larger files are recorded as rejected, not stored
 * @param maxAttempts           attempts per file on transient failures (5xx, connection errors, S3 errors)
 * @param maxRedirects          redirects followed per file, each re-checked against the rules above
 * @param connectTimeout        TCP connect timeout to a delivery host
 * @param idleTimeout           a body that sends nothing for this long fails
 * @param bufferMemory          bytes that the buffers of all transfers of the process may hold together; a
 *                              transfer waits for memory rather than exceed it. Default: a quarter of the
 *                              maximum heap
 * @param rangeThreshold        a file announced larger than this (and than one part) by a host that offers
 *                              byte ranges is fetched as concurrent ranged requests, one per part
 * @param rangesPerFile         ranged requests at once for one such file; 1 fetches every file as one stream
 * @param oneStreamRate         bytes per second: a file whose first part arrives at least this fast over its
 *                              one answer is fetched as that one stream instead of in ranges (one connection is
 *                              then not what limits it, and more only add work for the cores); its other ranges
 *                              start once the first part has taken longer than it would at this rate. 0: every
 *                              file that qualifies is ranged, at once
 */
@ConfigurationProperties("archiver.download")
public record DownloadProperties(
        @DefaultValue({"replicate.delivery", "*.replicate.delivery"}) List<String> allowedHosts,
        @DefaultValue("false") boolean allowHttp,
        @DefaultValue("false") boolean allowPrivateNetworks,
        @DefaultValue("32") int concurrency,
        @DefaultValue("50GB") DataSize maxFileSize,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("5") int maxRedirects,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("60s") Duration idleTimeout,
        DataSize bufferMemory,
        @DefaultValue("32MB") DataSize rangeThreshold,
        @DefaultValue("8") int rangesPerFile,
        @DefaultValue("40MB") DataSize oneStreamRate) {

    private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?";

    /**
     * A DNS name or IPv4 address, optionally behind {@code *.}: anything else (a URL, a port, a path, spaces,
     * non-ASCII) could never equal a URL's host, so the entry would silently allow nothing.
     */
    private static final Pattern ALLOWED_HOST = Pattern.compile("(\\*\\.)?" + LABEL + "(\\." + LABEL + ")*");

    @ConstructorBinding
    public DownloadProperties {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        for (String host : allowedHosts) {
            if (!ALLOWED_HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("archiver.download.allowed-hosts entry '" + host
                        + "' is not a host name or a '*.' wildcard over one");
            }
        }
        Positive.require("archiver.download.concurrency", concurrency);
        Positive.require("archiver.download.max-file-size", maxFileSize);
        Positive.require("archiver.download.max-attempts", maxAttempts);
        Positive.require("archiver.download.connect-timeout", connectTimeout);
        Positive.require("archiver.download.idle-timeout", idleTimeout);
        if (maxRedirects < 0) {
            throw new IllegalArgumentException(
                    "archiver.download.max-redirects must be 0 or more, but was " + maxRedirects);
        }
        if (bufferMemory == null) {
            bufferMemory = DataSize.ofBytes(Runtime.getRuntime().maxMemory() / 4);
        }
        Positive.require("archiver.download.buffer-memory", bufferMemory);
        if (rangeThreshold == null) {
            rangeThreshold = DataSize.ofMegabytes(32);
        }
        Positive.require("archiver.download.range-threshold", rangeThreshold);
        Positive.require("archiver.download.ranges-per-file", rangesPerFile);
        if (oneStreamRate == null) {
            oneStreamRate = DataSize.ofMegabytes(40);
        }
        if (oneStreamRate.isNegative()) {
            throw new IllegalArgumentException(
                    "archiver.download.one-stream-rate must be 0 or more, but was " + oneStreamRate);
        }
    }

    /** With the default {@code buffer-memory} (a quarter of the maximum heap) and ranged downloads. */
    public DownloadProperties(List<String> allowedHosts, boolean allowHttp, boolean allowPrivateNetworks,
            int concurrency, DataSize maxFileSize, int maxAttempts, int maxRedirects, Duration connectTimeout,
            Duration idleTimeout) {
        this(allowedHosts, allowHttp, allowPrivateNetworks, concurrency, maxFileSize, maxAttempts, maxRedirects,
                connectTimeout, idleTimeout, null, null, 8, null);
    }
}
