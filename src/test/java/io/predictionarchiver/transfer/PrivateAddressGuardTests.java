package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.Future;
import io.predictionarchiver.transfer.PrivateAddressGuard.RefusedAddressException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PrivateAddressGuardTests {

    static MultiThreadIoEventLoopGroup loops;
    static final List<PrivateAddressGuard> guards = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        guards.forEach(PrivateAddressGuard::close);
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void refusesAHostNameResolvingToLoopback() {
        Future<InetSocketAddress> resolved = resolver(false).resolve(InetSocketAddress.createUnresolved("localhost", 443));

        assertThat(resolved.awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
        assertThat(resolved.cause()).isInstanceOf(RefusedAddressException.class)
                .hasMessage("host 'localhost' resolves to 127.0.0.1, a loopback address;"
                        + " set archiver.download.allow-private-networks to accept it");
    }

    @Test
    void refusesEveryAddressOfAResolveAll() {
        Future<List<InetSocketAddress>> resolved =
                resolver(false).resolveAll(InetSocketAddress.createUnresolved("localhost", 443));

        assertThat(resolved.awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
        assertThat(resolved.cause()).isInstanceOf(RefusedAddressException.class);
    }

    @Test
    void checksAddressesThatAreAlreadyResolved() throws Exception {
        AddressResolver<InetSocketAddress> resolver = resolver(false);
        InetSocketAddress metadataService = new InetSocketAddress(InetAddress.getByName("169.254.169.254"), 80);

        assertThat(resolver.isResolved(metadataService)).isFalse();
        Future<InetSocketAddress> resolved = resolver.resolve(metadataService);
        assertThat(resolved.awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
        assertThat(resolved.cause()).isInstanceOf(RefusedAddressException.class).hasMessageContaining("link-local");
    }

    @Test
    void passesPublicAddresses() throws Exception {
        InetSocketAddress publicAddress = new InetSocketAddress(InetAddress.getByName("93.184.215.14"), 443);

        Future<InetSocketAddress> resolved = resolver(false).resolve(publicAddress);

        assertThat(resolved.awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
        assertThat(resolved.getNow()).isEqualTo(publicAddress);
    }

    @Test
    void allowPrivateNetworksResolvesLoopback() {
        Future<InetSocketAddress> resolved = resolver(true).resolve(InetSocketAddress.createUnresolved("localhost", 443));

        assertThat(resolved.awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
        assertThat(resolved.getNow().getAddress().isLoopbackAddress()).isTrue();
        assertThat(resolved.getNow().getPort()).isEqualTo(443);
    }

    private static AddressResolver<InetSocketAddress> resolver(boolean allowPrivateNetworks) {
        EventLoop loop = loops.next();
        PrivateAddressGuard guard = new PrivateAddressGuard(
                new DnsNameResolverBuilder().datagramChannelType(NioDatagramChannel.class), allowPrivateNetworks);
        guards.add(guard);
        return guard.getResolver(loop);
    }
}
