package io.predictionarchiver.transfer;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Classifies addresses an output URL must not reach unless {@code archiver.download.allow-private-networks}
 * is set: everything that is not a public unicast address.
 */
final class NonPublicAddresses {

    static final String ALLOW_PROPERTY = "archiver.download.allow-private-networks";

    private NonPublicAddresses() {
    }

    /** What kind of non-public address this is ("a loopback address", ...), or empty for a public one. */
    static Optional<String> kind(InetAddress address) {
        Optional<Inet4Address> embedded = embeddedIpv4(address);
        if (embedded.isPresent()) {
            return kind(embedded.get());
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("an unspecified address");
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("a link-local address");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("a private address");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc ? Optional.of("a unique-local address") : Optional.empty();
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0) {
            return Optional.of("a 'this network' address");
        }
        if (first == 100 && (second & 0xc0) == 64) {
            return Optional.of("a carrier-grade NAT address");
        }
        if (first == 198 && (second & 0xfe) == 18) {
            return Optional.of("a benchmarking-network address");
        }
        if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
            return Optional.of("an IETF protocol address");
        }
        if (first >= 240) {
            return Optional.of("a reserved address");
        }
        return Optional.empty();
    }

    /** The reason an address may not be connected to, naming the host and the property that would allow it. */
    static Optional<String> refusal(String host, InetAddress address) {
        return kind(address).map(kind -> "host '" + host + "' "
                + (host.equals(address.getHostAddress()) ? "is " : "resolves to " + address.getHostAddress() + ", ")
                + kind + "; set " + ALLOW_PROPERTY + " to accept it");
    }

    /*
     * IPv6 forms that carry an IPv4 address a gateway will reach: IPv4-compatible (::a.b.c.d), NAT64
     * (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::). IPv4-mapped addresses already arrive as Inet4Address.
     */
    private static Optional<Inet4Address> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        boolean compatible = allZero(b, 0, 12) && !address.isLoopbackAddress() && !address.isAnyLocalAddress();
        boolean nat64 = b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12);
        if (compatible || nat64) {
            return Optional.of(ipv4(Arrays.copyOfRange(b, 12, 16)));
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return Optional.of(ipv4(Arrays.copyOfRange(b, 2, 6)));
        }
        return Optional.empty();
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Inet4Address ipv4(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossibleForFourBytes) {
            throw new IllegalStateException(impossibleForFourBytes);
        }
    }
}
