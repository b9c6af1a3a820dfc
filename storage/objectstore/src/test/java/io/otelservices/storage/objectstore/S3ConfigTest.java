package io.otelservices.storage.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3ConfigTest {
    private static final URI ENDPOINT = URI.create("http://127.0.0.1:9000");

    private static S3Config withPrefix(String prefix) {
        return new S3Config(ENDPOINT, "us-east-1", "blocks", prefix, "access", "secret");
    }

    @Test
    void constructor_validConfig_keepsFieldsAndNormalizesPrefix() {
        S3Config config = withPrefix("otelservices/cold");

        assertThat(config.endpoint()).isEqualTo(ENDPOINT);
        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.bucket()).isEqualTo("blocks");
        assertThat(config.prefix()).isEqualTo("otelservices/cold/");
        assertThat(config.hasStaticCredentials()).isTrue();
    }

    @Test
    void constructor_nullOrEmptyPrefix_meansNone() {
        assertThat(withPrefix(null).prefix()).isEmpty();
        assertThat(withPrefix("").prefix()).isEmpty();
        assertThat(withPrefix("a/").prefix()).isEqualTo("a/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/leading", "a//b", "a/../b", "back\\slash"})
    void constructor_badPrefix_throws(String prefix) {
        assertThatThrownBy(() -> withPrefix(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("prefix: " + prefix + " (expected: ");
    }

    @Test
    void constructor_noEndpoint_throwsWithExample() {
        assertThatThrownBy(() -> new S3Config(null, "us-east-1", "blocks", "", "a", "s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint: null (expected: the S3 server's URL, such as "
                        + "https://s3.eu-west-1.amazonaws.com)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ftp://host", "localhost:9000", "/just/a/path", "http://host:9000/bucket", "http://host?x=1"})
    void constructor_badEndpoint_throws(String endpoint) {
        assertThatThrownBy(() -> new S3Config(URI.create(endpoint), "us-east-1", "blocks", "", "a", "s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("endpoint: " + endpoint + " (expected: ");
    }

    @Test
    void constructor_endpointWithSlash_isAccepted() {
        new S3Config(URI.create("https://s3.eu-west-1.amazonaws.com/"), "eu-west-1", "blocks", "", "a", "s");
    }

    @Test
    void constructor_blankRegion_throws() {
        assertThatThrownBy(() -> new S3Config(ENDPOINT, " ", "blocks", "", "a", "s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("region: \" \" (expected: the signing region, such as us-east-1)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "Blocks", "under_score", "-blocks", "blocks-", "a..b", "with/slash"})
    void constructor_badBucket_throws(String bucket) {
        assertThatThrownBy(() -> new S3Config(ENDPOINT, "us-east-1", bucket, "", "a", "s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bucket: " + bucket + " (expected: an S3 bucket name");
    }

    @Test
    void constructor_onlyOneKey_throws() {
        assertThatThrownBy(() -> new S3Config(ENDPOINT, "us-east-1", "blocks", "", "access", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("secretKey: null (expected: both accessKey and secretKey, or neither");
        assertThatThrownBy(() -> new S3Config(ENDPOINT, "us-east-1", "blocks", "", null, "secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("accessKey: null (expected: ");
        assertThatThrownBy(() -> new S3Config(ENDPOINT, "us-east-1", "blocks", "", "", "secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("accessKey: blank");
    }

    @Test
    void constructor_noKeys_usesDefaultCredentialsChain() {
        S3Config config = new S3Config(ENDPOINT, "us-east-1", "blocks", "", null, null);

        assertThat(config.hasStaticCredentials()).isFalse();
    }

    @Test
    void toString_hidesSecretKey() {
        assertThat(withPrefix("p").toString())
                .contains("accessKey=access")
                .contains("secretKey=****")
                .doesNotContain("secret,")
                .doesNotContain("=secret");
    }

    @Test
    void of_staticCredentialsWithoutPrefix() {
        S3Config config = S3Config.of(ENDPOINT, "us-east-1", "blocks", "access", "secret");

        assertThat(config.prefix()).isEmpty();
        assertThat(config.accessKey()).isEqualTo("access");
    }
}
