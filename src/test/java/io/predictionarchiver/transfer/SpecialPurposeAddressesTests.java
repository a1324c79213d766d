package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.predictionarchiver.transfer.PrivateAddressGuard.RefusedAddressException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guard's verdict on every entry of IANA's IPv4 and IPv6 special-purpose address registries (as of
 * 2025-10), on the first and the last address of each block, against the registry's "Globally Reachable"
 * column; the deliberate deviations are listed in {@link #DEVIATIONS} with the reason (see
 * {@link NonPublicAddresses}).
 */
class SpecialPurposeAddressesTests {

    enum Reachable { TRUE, FALSE, NOT_APPLICABLE }

    record Entry(String block, String name, String rfc, Reachable reachable) {

        @Override
        public String toString() {
            return block + " " + name + " (" + rfc + ")";
        }
    }

    static final List<Entry> IPV4_REGISTRY = List.of(
            new Entry("0.0.0.0/8", "\"This network\"", "RFC 791", Reachable.FALSE),
            new Entry("0.0.0.0/32", "\"This host on this network\"", "RFC 1122", Reachable.FALSE),
            new Entry("10.0.0.0/8", "Private-Use", "RFC 1918", Reachable.FALSE),
            new Entry("100.64.0.0/10", "Shared Address Space", "RFC 6598", Reachable.FALSE),
            new Entry("127.0.0.0/8", "Loopback", "RFC 1122", Reachable.FALSE),
            new Entry("169.254.0.0/16", "Link Local", "RFC 3927", Reachable.FALSE),
            new Entry("172.16.0.0/12", "Private-Use", "RFC 1918", Reachable.FALSE),
            new Entry("192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890", Reachable.FALSE),
            new Entry("192.0.0.0/29", "IPv4 Service Continuity Prefix", "RFC 7335", Reachable.FALSE),
            new Entry("192.0.0.8/32", "IPv4 dummy address", "RFC 7600", Reachable.FALSE),
            new Entry("192.0.0.9/32", "Port Control Protocol Anycast", "RFC 7723", Reachable.TRUE),
            new Entry("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", "RFC 8155", Reachable.TRUE),
            new Entry("192.0.0.170/32", "NAT64/DNS64 Discovery", "RFC 8880", Reachable.FALSE),
            new Entry("192.0.0.171/32", "NAT64/DNS64 Discovery", "RFC 8880", Reachable.FALSE),
            new Entry("192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737", Reachable.FALSE),
            new Entry("192.31.196.0/24", "AS112-v4", "RFC 7535", Reachable.TRUE),
            new Entry("192.52.193.0/24", "AMT", "RFC 7450", Reachable.TRUE),
            new Entry("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526", Reachable.NOT_APPLICABLE),
            new Entry("192.88.99.2/32", "6a44-relay anycast address", "RFC 6751", Reachable.FALSE),
            new Entry("192.168.0.0/16", "Private-Use", "RFC 1918", Reachable.FALSE),
            new Entry("192.175.48.0/24", "Direct Delegation AS112 Service", "RFC 7534", Reachable.TRUE),
            new Entry("198.18.0.0/15", "Benchmarking", "RFC 2544", Reachable.FALSE),
            new Entry("198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737", Reachable.FALSE),
            new Entry("203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737", Reachable.FALSE),
            new Entry("240.0.0.0/4", "Reserved", "RFC 1112", Reachable.FALSE),
            new Entry("255.255.255.255/32", "Limited Broadcast", "RFC 8190, RFC 919", Reachable.FALSE));

    static final List<Entry> IPV6_REGISTRY = List.of(
            new Entry("::1/128", "Loopback Address", "RFC 4291", Reachable.FALSE),
            new Entry("::/128", "Unspecified Address", "RFC 4291", Reachable.FALSE),
            new Entry("::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291", Reachable.FALSE),
            new Entry("64:ff9b::/96", "IPv4-IPv6 Translat.", "RFC 6052", Reachable.TRUE),
            new Entry("64:ff9b:1::/48", "IPv4-IPv6 Translat.", "RFC 8215", Reachable.FALSE),
            new Entry("100::/64", "Discard-Only Address Block", "RFC 6666", Reachable.FALSE),
            new Entry("100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780", Reachable.FALSE),
            new Entry("2001::/23", "IETF Protocol Assignments", "RFC 2928", Reachable.FALSE),
            new Entry("2001::/32", "TEREDO", "RFC 4380, RFC 8190", Reachable.NOT_APPLICABLE),
            new Entry("2001:1::1/128", "Port Control Protocol Anycast", "RFC 7723", Reachable.TRUE),
            new Entry("2001:1::2/128", "Traversal Using Relays around NAT Anycast", "RFC 8155", Reachable.TRUE),
            new Entry("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", "RFC 9665", Reachable.TRUE),
            new Entry("2001:2::/48", "Benchmarking", "RFC 5180", Reachable.FALSE),
            new Entry("2001:3::/32", "AMT", "RFC 7450", Reachable.TRUE),
            new Entry("2001:4:112::/48", "AS112-v6", "RFC 7535", Reachable.TRUE),
            new Entry("2001:10::/28", "Deprecated (previously ORCHID)", "RFC 4843", Reachable.FALSE),
            new Entry("2001:20::/28", "ORCHIDv2", "RFC 7343", Reachable.TRUE),
            new Entry("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC 9374",
                    Reachable.TRUE),
            new Entry("2001:db8::/32", "Documentation", "RFC 3849", Reachable.FALSE),
            new Entry("2002::/16", "6to4", "RFC 3056", Reachable.NOT_APPLICABLE),
            new Entry("2620:4f:8000::/48", "Direct Delegation AS112 Service", "RFC 7534", Reachable.TRUE),
            new Entry("3fff::/20", "Documentation", "RFC 9637", Reachable.FALSE),
            new Entry("5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602", Reachable.FALSE),
            new Entry("fc00::/7", "Unique-Local", "RFC 4193, RFC 8190", Reachable.FALSE),
            new Entry("fe80::/10", "Link-Local Unicast", "RFC 4291", Reachable.FALSE));

    /** Blocks the guard refuses although the registry calls them globally reachable (or says N/A), and why. */
    static final Map<String, String> DEVIATIONS = Map.of(
            "192.0.0.9/32", "anycast of a service the nearest network runs: answers from its gateway",
            "192.0.0.10/32", "anycast of a service the nearest network runs: answers from its gateway",
            "2001:1::1/128", "anycast of a service the nearest network runs: answers from its gateway",
            "2001:1::2/128", "anycast of a service the nearest network runs: answers from its gateway",
            "2001:1::3/128", "anycast of a service the nearest network runs: answers from its gateway",
            "192.88.99.0/24", "N/A: a relay the network picks decides which IPv4 host answers",
            "2001::/32", "N/A: Teredo, a relay decides which IPv4 host answers",
            "2002::/16", "N/A: 6to4, a relay decides which IPv4 host answers, a private one included");

    /** Blocks judged by the IPv4 address they carry, which is what a socket or a translator connects to. */
    static final List<String> JUDGED_BY_THE_IPV4_INSIDE = List.of("::ffff:0:0/96", "64:ff9b::/96");

    static MultiThreadIoEventLoopGroup loops;
    static PrivateAddressGuard guard;

    @BeforeAll
    static void start() {
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        guard = new PrivateAddressGuard(new DnsNameResolverBuilder().datagramChannelType(NioDatagramChannel.class),
                false);
    }

    @AfterAll
    static void stop() {
        guard.close();
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static Stream<Entry> registries() {
        return Stream.concat(IPV4_REGISTRY.stream(), IPV6_REGISTRY.stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void theGuardRefusesExactlyTheBlocksThatAreNotGloballyReachable(Entry entry) throws Exception {
        for (byte[] address : List.of(first(entry.block()), last(entry.block()))) {
            boolean expectedRefused = JUDGED_BY_THE_IPV4_INSIDE.contains(entry.block())
                    ? refused(Arrays.copyOfRange(address, 12, 16))
                    : DEVIATIONS.containsKey(entry.block()) || entry.reachable() != Reachable.TRUE;

            assertThat(refused(address)).as("%s: %s", entry, InetAddress.getByAddress(address).getHostAddress())
                    .isEqualTo(expectedRefused);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"64:ff9b::808:808", "::ffff:8.8.8.8", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111",
            "2a00:1450:4001:82a::200e", "192.88.98.255", "192.88.100.0", "192.0.1.255", "2001:200::1",
            "2001:db9::1", "2003::1"})
    void publicAddressesAndThoseBesideTheBlocksPass(String literal) {
        assertThat(refused(NetUtil.createByteArrayFromIpAddressString(literal))).as(literal).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"64:ff9b::a00:1", "64:ff9b::7f00:1", "64:ff9b:1::808:808", "2002:c0a8:101::1",
            "2002:808:808::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "224.0.0.1", "ff02::1", "ff0e::1",
            "fec0::1", "::808:808", "4000::1", "1::1", "64:ff9b:2::1:1"})
    void translatedTunnelledMulticastAndDeprecatedFormsAreRefused(String literal) {
        assertThat(refused(NetUtil.createByteArrayFromIpAddressString(literal))).as(literal).isTrue();
    }

    /** Whether the guard refuses a connection to {@code address}, as it does when a name resolves to it. */
    private static boolean refused(byte[] address) {
        AddressResolver<InetSocketAddress> resolver = guard.getResolver(loops.next());
        Future<InetSocketAddress> resolved;
        try {
            resolved = resolver.resolve(new InetSocketAddress(InetAddress.getByAddress(address), 443));
        } catch (UnknownHostException impossible) {
            throw new IllegalArgumentException(impossible);
        }
        assertThat(resolved.awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
        if (resolved.isSuccess()) {
            return false;
        }
        assertThat(resolved.cause()).isInstanceOf(RefusedAddressException.class)
                .hasMessageContaining("set archiver.download.allow-private-networks to accept it");
        return true;
    }

    private static byte[] first(String block) {
        return bounds(block, false);
    }

    private static byte[] last(String block) {
        return bounds(block, true);
    }

    /** The block's first address, or its last (every host bit set). */
    private static byte[] bounds(String block, boolean last) {
        int slash = block.indexOf('/');
        byte[] address = NetUtil.createByteArrayFromIpAddressString(block.substring(0, slash));
        int length = Integer.parseInt(block.substring(slash + 1));
        for (int bit = length; bit < address.length * 8; bit++) {
            int mask = 0x80 >>> (bit % 8);
            address[bit / 8] = (byte) (last ? address[bit / 8] | mask : address[bit / 8] & ~mask);
        }
        return address;
    }
}
