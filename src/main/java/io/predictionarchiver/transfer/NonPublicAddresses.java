package io.predictionarchiver.transfer;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.netty.util.NetUtil;

/**
 * Classifies addresses an output URL must not reach unless {@code archiver.download.allow-private-networks}
 * is set: every block of IANA's IPv4 and IPv6 special-purpose address registries that is not globally
 * reachable, multicast, the deprecated site-local and IPv4-compatible IPv6 forms, and IPv6 outside global
 * unicast ({@code 2000::/3}). As in the registries, the most specific block that holds an address decides:
 * {@code 2001:3::/32} (AMT) is reachable although {@code 2001::/23} is not.
 *
 * <p>Deliberately stricter than the registries' "Globally Reachable" column, because each reaches something
 * other than a public delivery host:
 * <ul>
 * <li>the anycast addresses of services the nearest network runs (PCP {@code 192.0.0.9}, {@code 2001:1::1};
 * TURN {@code 192.0.0.10}, {@code 2001:1::2}; DNS-SD SRP {@code 2001:1::3}), which answer from the operator's
 * own gateway: refused with the IETF protocol block around them;</li>
 * <li>Teredo {@code 2001::/32}, 6to4 {@code 2002::/16} and the deprecated 6to4 relay block
 * {@code 192.88.99.0/24} (the registries say N/A): a relay the network picks decides which IPv4 host
 * answers, a private one included;</li>
 * <li>NAT64 {@code 64:ff9b::/96} (reachable in the registry) is judged by the IPv4 address it embeds, which
 * the translator connects to. IPv4-mapped addresses ({@code ::ffff:0:0/96}) arrive as that IPv4 address.</li>
 * </ul>
 */
final class NonPublicAddresses {

    static final String ALLOW_PROPERTY = "archiver.download.allow-private-networks";

    private static final String PRIVATE = "a private address";
    private static final String LOOPBACK = "a loopback address";
    private static final String LINK_LOCAL = "a link-local address";
    private static final String DOCUMENTATION = "a documentation address";
    private static final String BENCHMARKING = "a benchmarking-network address";
    private static final String IETF_PROTOCOL = "an IETF protocol address";
    private static final String MULTICAST = "a multicast address";
    private static final String RESERVED = "a reserved address";
    private static final String UNSPECIFIED = "an unspecified address";

    private static final Block NAT64 = Block.of("64:ff9b::/96", null);

    /** Most specific first, so that the first block holding an address decides. */
    private static final List<Block> BLOCKS = List.of(
            // IPv4 special-purpose registry
            Block.of("0.0.0.0/8", "a 'this network' address"),
            Block.of("0.0.0.0/32", UNSPECIFIED),
            Block.of("10.0.0.0/8", PRIVATE),
            Block.of("100.64.0.0/10", "a carrier-grade NAT address"),
            Block.of("127.0.0.0/8", LOOPBACK),
            Block.of("169.254.0.0/16", LINK_LOCAL),
            Block.of("172.16.0.0/12", PRIVATE),
            Block.of("192.0.0.0/24", IETF_PROTOCOL),
            Block.of("192.0.2.0/24", DOCUMENTATION),
            Block.of("192.88.99.0/24", "a 6to4 relay anycast address"),
            Block.of("192.168.0.0/16", PRIVATE),
            Block.of("198.18.0.0/15", BENCHMARKING),
            Block.of("198.51.100.0/24", DOCUMENTATION),
            Block.of("203.0.113.0/24", DOCUMENTATION),
            Block.of("224.0.0.0/4", MULTICAST),
            Block.of("240.0.0.0/4", RESERVED),
            Block.of("255.255.255.255/32", "the limited broadcast address"),
            // IPv6: everything outside global unicast 2000::/3 that no block below names
            Block.of("::/3", RESERVED),
            Block.of("4000::/2", RESERVED),
            Block.of("8000::/1", RESERVED),
            // IPv6 special-purpose registry
            Block.of("::/128", UNSPECIFIED),
            Block.of("::1/128", LOOPBACK),
            Block.of("::/96", "an IPv4-compatible address (deprecated)"),
            Block.of("64:ff9b:1::/48", "a local-use NAT64 address"),
            Block.of("100::/64", "a discard-only address"),
            Block.of("100:0:0:1::/64", "a dummy address"),
            Block.of("2001::/23", IETF_PROTOCOL),
            Block.of("2001::/32", "a Teredo address"),
            Block.of("2001:2::/48", BENCHMARKING),
            Block.of("2001:3::/32", null),
            Block.of("2001:4:112::/48", null),
            Block.of("2001:10::/28", "a deprecated ORCHID address"),
            Block.of("2001:20::/28", null),
            Block.of("2001:30::/28", null),
            Block.of("2001:db8::/32", DOCUMENTATION),
            Block.of("2002::/16", "a 6to4 address"),
            Block.of("3fff::/20", DOCUMENTATION),
            Block.of("5f00::/16", "a Segment Routing SID"),
            Block.of("fc00::/7", "a unique-local address"),
            Block.of("fe80::/10", LINK_LOCAL),
            Block.of("fec0::/10", "a site-local address (deprecated)"),
            Block.of("ff00::/8", MULTICAST))
            .stream().sorted(Comparator.comparingInt(Block::length).reversed()).toList();

    private NonPublicAddresses() {
    }

    /** What kind of non-public address this is ("a loopback address", ...), or empty for a public one. */
    static Optional<String> kind(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (NAT64.contains(bytes)) {
            return kind(ipv4(Arrays.copyOfRange(bytes, 12, 16)));
        }
        return BLOCKS.stream().filter(block -> block.contains(bytes)).findFirst()
                .flatMap(block -> Optional.ofNullable(block.kind()));
    }

    /** The reason an address may not be connected to, naming the host and the property that would allow it. */
    static Optional<String> refusal(String host, InetAddress address) {
        return kind(address).map(kind -> "host '" + host + "' "
                + (host.equals(address.getHostAddress()) ? "is " : "resolves to " + address.getHostAddress() + ", ")
                + kind + "; set " + ALLOW_PROPERTY + " to accept it");
    }

    private static Inet4Address ipv4(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossibleForFourBytes) {
            throw new IllegalStateException(impossibleForFourBytes);
        }
    }

    /** A CIDR block; {@code kind} null when its addresses are public. */
    private record Block(byte[] network, int length, String kind) {

        static Block of(String cidr, String kind) {
            int slash = cidr.indexOf('/');
            byte[] network = NetUtil.createByteArrayFromIpAddressString(cidr.substring(0, slash));
            return new Block(network, Integer.parseInt(cidr.substring(slash + 1)), kind);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = length / 8;
            if (!Arrays.equals(address, 0, whole, network, 0, whole)) {
                return false;
            }
            int bits = length % 8;
            int mask = (0xff << (8 - bits)) & 0xff;
            return bits == 0 || (address[whole] & mask) == (network[whole] & mask);
        }
    }
}
