package io.predictionarchiver.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import reactor.core.publisher.Mono;

class OpenApiDocumentTests extends DaemonTestBed {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void theServedDocumentDescribesExactlyTheRoutesTheDaemonServes() {
        RunningDaemon daemon = daemon("d1");
        WebTestClient client = daemon.client();

        String text = client.get().uri(OperationsConfiguration.OPENAPI_PATH).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("application/yaml"))
                .expectBody(String.class).returnResult().getResponseBody();
        Map<String, Object> document = new Yaml(new LoaderOptions()).load(text);

        assertThat((String) document.get("openapi")).startsWith("3.1.");
        Set<String> documented = operations(document);
        Set<String> routed = routes(daemon);
        assertThat(documented).containsAll(routed);
        Set<String> documentedRoutes = new TreeSet<>(documented);
        documentedRoutes.removeIf(operation -> operation.contains(" /actuator/"));
        assertThat(routed).containsExactlyInAnyOrderElementsOf(documentedRoutes);
        documented.stream().filter(operation -> operation.startsWith("GET /actuator/")).forEach(operation ->
                client.get().uri(operation.substring("GET ".length())).exchange()
                        .expectStatus().value(status -> assertThat(status).as(operation).isIn(200, 503)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentedRequiredMembersAreWhatTheDaemonAnswers() {
        Map<String, Object> document = new Yaml(new LoaderOptions()).load(
                getClass().getResourceAsStream("/daemon/openapi.yaml"));
        Map<String, Map<String, Object>> schemas = (Map<String, Map<String, Object>>)
                ((Map<String, Object>) document.get("components")).get("schemas");
        WebTestClient client = daemon("d1").client();
        TrackedApiTests.track(client, "never-existed");
        TrackedApiTests.awaitState(client, "never-existed", "failed");

        Map<String, Object> tracked = client.get().uri("/v1/tracked/never-existed").exchange()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> listing = client.get().uri("/v1/tracked?state=failed").exchange()
                .expectBody(Map.class).returnResult().getResponseBody();

        assertThat(tracked.keySet()).containsExactlyInAnyOrderElementsOf(
                (List<String>) schemas.get("Tracked").get("required"));
        assertThat(listing.keySet()).containsExactlyInAnyOrderElementsOf(
                (List<String>) schemas.get("Listing").get("required"));
    }

    @Test
    void everyReferenceInTheDocumentResolves() {
        Map<String, Object> document = new Yaml(new LoaderOptions()).load(
                getClass().getResourceAsStream("/daemon/openapi.yaml"));
        List<String> references = new ArrayList<>();
        collectReferences(document, references);

        assertThat(references).isNotEmpty().allSatisfy(reference -> {
            Object target = document;
            for (String segment : reference.substring("#/".length()).split("/")) {
                target = ((Map<?, ?>) target).get(segment);
                assertThat(target).as(reference).isNotNull();
            }
        });
    }

    /** {@code "METHOD /path"} of every operation in the document. */
    @SuppressWarnings("unchecked")
    private static Set<String> operations(Map<String, Object> document) {
        Set<String> operations = new TreeSet<>();
        ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, item) -> item.keySet().stream()
                .filter(METHODS::contains)
                .forEach(method -> operations.add(method.toUpperCase() + " " + path)));
        return operations;
    }

    /** {@code "METHOD /path"} of every route of every router function the daemon has. */
    @SuppressWarnings("unchecked")
    private static Set<String> routes(RunningDaemon daemon) {
        Set<String> routes = new TreeSet<>();
        daemon.context().getBeansOfType(RouterFunction.class).values()
                .forEach(router -> router.accept(new RouteCollector(routes)));
        return routes;
    }

    private static void collectReferences(Object node, List<String> references) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("$ref".equals(key)) {
                    references.add((String) value);
                } else {
                    collectReferences(value, references);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(element -> collectReferences(element, references));
        }
    }

    /** Reads the method and path pattern out of each route's predicate. */
    private record RouteCollector(Set<String> routes) implements RouterFunctions.Visitor {

        @Override
        public void route(RequestPredicate predicate, HandlerFunction<?> handler) {
            MethodAndPath found = new MethodAndPath();
            predicate.accept(found);
            found.methods.forEach(method -> routes.add(method.name() + " " + found.path));
        }

        @Override
        public void startNested(RequestPredicate predicate) {
            throw new UnsupportedOperationException("nested routes: extend this collector");
        }

        @Override
        public void endNested(RequestPredicate predicate) {
        }

        @Override
        public void resources(Function<ServerRequest, Mono<Resource>> lookup) {
            throw new UnsupportedOperationException("resource routes: extend this collector");
        }

        @Override
        public void attributes(Map<String, Object> attributes) {
        }

        @Override
        public void unknown(RouterFunction<?> routerFunction) {
            throw new UnsupportedOperationException("unknown router function " + routerFunction);
        }
    }

    private static final class MethodAndPath implements RequestPredicates.Visitor {

        final Set<HttpMethod> methods = new HashSet<>();
        String path;

        @Override
        public void method(Set<HttpMethod> httpMethods) {
            methods.addAll(httpMethods);
        }

        @Override
        public void path(String pattern) {
            path = pattern;
        }

        @Override
        public void pathExtension(String extension) {
        }

        @Override
        public void header(String name, String value) {
        }

        @Override
        public void queryParam(String name, String value) {
        }

        @Override
        public void version(String version) {
        }

        @Override
        public void startAnd() {
        }

        @Override
        public void and() {
        }

        @Override
        public void endAnd() {
        }

        @Override
        public void startOr() {
        }

        @Override
        public void or() {
        }

        @Override
        public void endOr() {
        }

        @Override
        public void startNegate() {
        }

        @Override
        public void endNegate() {
        }

        @Override
        public void unknown(RequestPredicate predicate) {
        }
    }
}
