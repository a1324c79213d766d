package io.predictionarchiver.transfer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.netty.channel.EventLoop;
import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.NameResolver;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;
import reactor.netty.transport.NameResolverProvider;

/**
 * Reactor Netty's non-blocking DNS resolver, refusing any address that is not public (loopback, private,
 * link-local, unique-local, CGNAT, ...; see {@link NonPublicAddresses}) unless
 * {@code archiver.download.allow-private-networks} is set. Because the check runs on the addresses the
 * connection is about to use, a host name that passed {@link DownloadPolicy} but resolves (or re-resolves,
 * DNS rebinding) to an internal address is never connected to. Literal IP addresses go through the same check.
 * A refusal fails the connect with a {@link RefusedAddressException}.
 */
final class PrivateAddressGuard extends DnsAddressResolverGroup {

    private final boolean allowPrivateNetworks;

    PrivateAddressGuard(DnsNameResolverBuilder dnsResolverBuilder, boolean allowPrivateNetworks) {
        super(dnsResolverBuilder);
        this.allowPrivateNetworks = allowPrivateNetworks;
    }

    /**
     * A guard over Reactor Netty's default DNS settings, with channel types matching the event loops of
     * {@link HttpResources} (what {@code HttpClient.create()} runs on). Install with {@code HttpClient.resolver};
     * close it with the client.
     */
    static PrivateAddressGuard forHttpClients(boolean allowPrivateNetworks) {
        return (PrivateAddressGuard) NameResolverProvider.builder()
                .dnsAddressResolverGroupProvider(builder -> new PrivateAddressGuard(builder, allowPrivateNetworks))
                .build()
                .newNameResolverGroup(HttpResources.get(), LoopResources.DEFAULT_NATIVE);
    }

    @Override
    protected AddressResolver<InetSocketAddress> newAddressResolver(EventLoop eventLoop,
            NameResolver<InetAddress> names) {
        return new GuardedResolver(eventLoop, names);
    }

    /** Resolution refused because the address is not public; the message names the host and the address. */
    static final class RefusedAddressException extends IOException {

        RefusedAddressException(String message) {
            super(message);
        }
    }

    private final class GuardedResolver extends AbstractAddressResolver<InetSocketAddress> {

        private final NameResolver<InetAddress> names;

        GuardedResolver(EventLoop eventLoop, NameResolver<InetAddress> names) {
            super(eventLoop, InetSocketAddress.class);
            this.names = names;
        }

        // Reported as unresolved even when it holds an IP, so that literal addresses pass the check too.
        @Override
        protected boolean doIsResolved(InetSocketAddress address) {
            return false;
        }

        @Override
        protected void doResolve(InetSocketAddress address, Promise<InetSocketAddress> promise) {
            checkedLookup(address, promise, accepted -> promise.setSuccess(accepted.get(0)));
        }

        @Override
        protected void doResolveAll(InetSocketAddress address, Promise<List<InetSocketAddress>> promise) {
            checkedLookup(address, promise, promise::setSuccess);
        }

        /* Every address of the host is checked: a host with any non-public address is internal or rebinding. */
        private void checkedLookup(InetSocketAddress address, Promise<?> promise,
                Consumer<List<InetSocketAddress>> onAccepted) {
            String host = address.getHostString();
            Future<List<InetAddress>> lookup = address.isUnresolved()
                    ? names.resolveAll(host)
                    : executor().newSucceededFuture(List.of(address.getAddress()));
            lookup.addListener((Future<List<InetAddress>> resolved) -> {
                if (!resolved.isSuccess()) {
                    promise.setFailure(resolved.cause());
                    return;
                }
                Optional<String> refusal = resolved.getNow().stream()
                        .map(resolvedAddress -> allowPrivateNetworks
                                ? Optional.<String>empty()
                                : NonPublicAddresses.refusal(host, resolvedAddress))
                        .flatMap(Optional::stream)
                        .findFirst();
                if (refusal.isPresent()) {
                    promise.setFailure(new RefusedAddressException(refusal.get()));
                } else {
                    onAccepted.accept(resolved.getNow().stream()
                            .map(resolvedAddress -> new InetSocketAddress(resolvedAddress, address.getPort()))
                            .toList());
                }
            });
        }

        @Override
        public void close() {
            names.close();
        }
    }
}
