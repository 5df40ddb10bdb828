package dev.limpet.operator.render;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.limpet.contract.DataPlaneConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The YAML document a data plane reads, and the configuration's version: a digest of its content,
 * so rendering the same resources twice gives the same version and no write.
 */
public final class ConfigDocument {
  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private ConfigDocument() {}

  public static String yaml(DataPlaneConfig config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a DataPlaneConfig always serialises", e);
    }
  }

  /** A configuration with its version set, and its document. */
  public record Versioned(DataPlaneConfig config, String document) {}

  /**
   * {@code config} versioned, and its document, serialised once: the document is the one whose
   * digest is the version, with the version line in place of the unversioned one ({@code version}
   * is the first key). Equal to {@link #yaml} of {@link #versioned}.
   */
  public static Versioned document(DataPlaneConfig config) {
    DataPlaneConfig unversioned = withVersion(config, null);
    String body = yaml(unversioned);
    String version = digest(body);
    DataPlaneConfig versioned = withVersion(config, version);
    String placeholder = versionLine(unversioned.version());
    if (!body.startsWith(placeholder)) return new Versioned(versioned, yaml(versioned));
    return new Versioned(versioned, versionLine(version) + body.substring(placeholder.length()));
  }

  private static String versionLine(String version) {
    try {
      return YAML.writeValueAsString(Map.of("version", version));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a string always serialises", e);
    }
  }

  /** {@code config} with its version set to the digest of everything else in it. */
  public static DataPlaneConfig versioned(DataPlaneConfig config) {
    DataPlaneConfig unversioned = withVersion(config, null);
    return withVersion(config, digest(yaml(unversioned)));
  }

  private static DataPlaneConfig withVersion(DataPlaneConfig c, String version) {
    return new DataPlaneConfig(
        version,
        c.virtualServices(),
        c.pools(),
        c.persistenceProfiles(),
        c.healthMonitors(),
        c.dataScripts(),
        c.scriptLimits(),
        c.tables());
  }

  /** The first 8 bytes of the SHA-256 of {@code text}, in hex. */
  static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
