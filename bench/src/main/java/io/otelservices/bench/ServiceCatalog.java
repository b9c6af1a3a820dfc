package io.otelservices.bench;

import static io.otelservices.bench.OtlpValues.integer;
import static io.otelservices.bench.OtlpValues.string;

import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated fleet shared by {@link TraceFleet}, {@link LogFleet} and {@link MetricFleet}: 16 services of an online
 * shop, 3 instances each (48 resources), with the operations each serves, the database it uses and the services it
 * calls. Deterministic for a seed. Immutable after construction.
 */
final class ServiceCatalog {

    static final int INSTANCES_PER_SERVICE = 3;

    /** One service: what it serves (HTTP routes as "METHOD /route", or gRPC methods), its database and callees. */
    record Service(String name, String language, boolean grpc, String rpcService, String[] operations,
            String dbSystem, String[] tables, String[] callees, String topic) {

        boolean hasDatabase() {
            return dbSystem != null;
        }
    }

    private static final String[] NONE = {};

    static final List<Service> SERVICES = List.of(
            new Service("frontend", "nodejs", false, null,
                    new String[] {"GET /api/products", "GET /api/products/{id}", "GET /api/cart", "POST /api/cart",
                        "POST /api/checkout", "GET /api/recommendations", "GET /api/search", "GET /api/users/{id}",
                        "GET /api/orders/{id}", "GET /api/shipping/quote"},
                    null, NONE, new String[] {"cart", "checkout", "search", "recommendation", "ad", "currency", "user",
                        "auth", "shipping", "inventory"}, null),
            new Service("checkout", "go", true, "oteldemo.CheckoutService", new String[] {"PlaceOrder"},
                    "postgresql", new String[] {"orders", "order_items"},
                    new String[] {"cart", "payment", "shipping", "currency", "email", "inventory"}, "orders"),
            new Service("cart", "dotnet", true, "oteldemo.CartService",
                    new String[] {"GetCart", "AddItem", "EmptyCart"}, "redis", new String[] {"cart"}, NONE, null),
            new Service("payment", "nodejs", true, "oteldemo.PaymentService", new String[] {"Charge"},
                    "postgresql", new String[] {"payments"}, new String[] {"fraud-detection"}, null),
            new Service("inventory", "java", false, null,
                    new String[] {"GET /inventory/{sku}", "POST /inventory/reserve", "POST /inventory/release"},
                    "postgresql", new String[] {"stock", "reservations"}, NONE, null),
            new Service("shipping", "rust", false, null,
                    new String[] {"POST /shipping/quote", "POST /shipping/ship", "GET /shipping/track/{id}"},
                    null, NONE, new String[] {"quote"}, null),
            new Service("user", "java", false, null,
                    new String[] {"GET /users/{id}", "PUT /users/{id}", "GET /users/{id}/addresses"},
                    "mysql", new String[] {"users", "addresses"}, NONE, null),
            new Service("auth", "go", true, "oteldemo.AuthService", new String[] {"Authorize", "ValidateToken"},
                    "redis", new String[] {"sessions"}, NONE, null),
            new Service("search", "java", false, null, new String[] {"GET /search", "GET /search/suggest"},
                    "elasticsearch", new String[] {"products"}, NONE, null),
            new Service("recommendation", "python", true, "oteldemo.RecommendationService",
                    new String[] {"ListRecommendations"}, null, NONE, new String[] {"product-catalog"}, null),
            new Service("product-catalog", "go", true, "oteldemo.ProductCatalogService",
                    new String[] {"ListProducts", "GetProduct", "SearchProducts"}, "postgresql",
                    new String[] {"products", "categories"}, NONE, null),
            new Service("ad", "java", true, "oteldemo.AdService", new String[] {"GetAds"}, null, NONE, NONE, null),
            new Service("email", "ruby", false, null, new String[] {"POST /send_order_confirmation"},
                    null, NONE, NONE, null),
            new Service("currency", "cpp", true, "oteldemo.CurrencyService",
                    new String[] {"Convert", "GetSupportedCurrencies"}, null, NONE, NONE, null),
            new Service("quote", "php", false, null, new String[] {"POST /getquote"}, null, NONE, NONE, null),
            new Service("fraud-detection", "kotlin", true, "oteldemo.FraudDetectionService",
                    new String[] {"Check"}, "postgresql", new String[] {"fraud_signals"}, NONE, null));

    /** Which service consumes a topic, and with which operation name. */
    static final String ORDERS_CONSUMER = "accounting";

    private final List<Resource> resources = new ArrayList<>();
    private final List<String> serviceNames = new ArrayList<>();

    ServiceCatalog(long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5EED_CA7A_1065L);
        List<Service> all = new ArrayList<>(SERVICES);
        all.add(accounting());
        for (Service service : all) {
            for (int instance = 0; instance < INSTANCES_PER_SERVICE; instance++) {
                String pod = service.name() + "-7d9f8b6c5-" + Long.toString(random.nextLong(1L << 30, 1L << 35), 36);
                Resource.Builder resource = Resource.newBuilder()
                        .addAttributes(string("service.name", service.name()))
                        .addAttributes(string("service.namespace", "shop"))
                        .addAttributes(string("service.version", "2." + random.nextInt(4) + "." + random.nextInt(20)))
                        .addAttributes(string("service.instance.id", uuid(random)))
                        .addAttributes(string("deployment.environment.name", "production"))
                        .addAttributes(string("host.name", "ip-10-0-" + random.nextInt(256) + "-"
                                + random.nextInt(256) + ".ec2.internal"))
                        .addAttributes(string("host.arch", "amd64"))
                        .addAttributes(string("os.type", "linux"))
                        .addAttributes(integer("process.pid", 1 + random.nextInt(30_000)))
                        .addAttributes(string("k8s.namespace.name", "shop"))
                        .addAttributes(string("k8s.deployment.name", service.name()))
                        .addAttributes(string("k8s.pod.name", pod))
                        .addAttributes(string("k8s.node.name", "node-" + random.nextInt(12)))
                        .addAttributes(string("container.id", OtlpValues.hex(random.nextLong())
                                + OtlpValues.hex(random.nextLong()) + OtlpValues.hex(random.nextLong())
                                + OtlpValues.hex(random.nextLong())))
                        .addAttributes(string("telemetry.sdk.language", service.language()))
                        .addAttributes(string("telemetry.sdk.name", "opentelemetry"))
                        .addAttributes(string("telemetry.sdk.version", "1.44.0"));
                resources.add(resource.build());
                serviceNames.add(service.name());
            }
        }
    }

    /** The consumer of the {@code orders} topic: it only consumes, so it is not in {@link #SERVICES}. */
    static Service accounting() {
        return new Service(ORDERS_CONSUMER, "dotnet", false, null, new String[] {"orders process"}, "postgresql",
                new String[] {"ledger"}, NONE, null);
    }

    /** Every service including the consumer-only one, in resource order. */
    static List<Service> allServices() {
        List<Service> all = new ArrayList<>(SERVICES);
        all.add(accounting());
        return all;
    }

    static int serviceIndex(String name) {
        List<Service> all = allServices();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("service: " + name + " (expected: one of the catalog)");
    }

    int resourceCount() {
        return resources.size();
    }

    Resource resource(int index) {
        return resources.get(index);
    }

    String serviceName(int resourceIndex) {
        return serviceNames.get(resourceIndex);
    }

    /** A random instance (resource index) of service {@code serviceIndex}. */
    static int instanceOf(int serviceIndex, SplittableRandom random) {
        return serviceIndex * INSTANCES_PER_SERVICE + random.nextInt(INSTANCES_PER_SERVICE);
    }

    private static String uuid(SplittableRandom random) {
        String hex = OtlpValues.hex(random.nextLong()) + OtlpValues.hex(random.nextLong());
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }
}
