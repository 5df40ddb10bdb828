package dev.limpet.dataplane.tls;

import dev.limpet.contract.DataScriptConfig;
import dev.limpet.contract.PemKeyPair;
import dev.limpet.contract.TlsCertificateConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where certificates come from: PEM files, re-read when their content changes, and the data plane's
 * TLS Secret. A file pair that turns bad (unreadable, malformed, key and certificate apart) keeps
 * serving its last good content; a bad pair with no good past is a configuration problem.
 */
public final class CertificateStore {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateStore.class);

  /** A certificate file and its key file. */
  record FilePair(String certificateFile, String keyFile) {}

  /** What a file pair held when last read, and the last content that was good. */
  private static final class FileState {
    String certificatePem;
    String keyPem;
    LoadedCertificate lastGood;
    String problem;
  }

  private final Map<FilePair, FileState> files = new HashMap<>();
  private final Map<String, LoadedCertificate> secretByDigest = new HashMap<>();
  private Map<String, String> secret = Map.of();

  /**
   * The certificate {@code config} names.
   *
   * @throws IllegalArgumentException why it cannot be used (for the configuration's problem list)
   * @throws CertificatesPendingException when the TLS Secret does not hold its content yet
   */
  public synchronized LoadedCertificate load(TlsCertificateConfig config)
      throws CertificatesPendingException {
    return config.fromSecret() ? fromSecret(config) : fromFiles(config);
  }

  private LoadedCertificate fromFiles(TlsCertificateConfig config) {
    FilePair pair = new FilePair(config.certificateFile(), config.keyFile());
    FileState state = files.computeIfAbsent(pair, p -> new FileState());
    String certificatePem;
    String keyPem;
    try {
      certificatePem = read(pair.certificateFile());
      keyPem = read(pair.keyFile());
    } catch (IOException e) {
      return keepOrFail(
          pair, state, "cannot read " + e.getClass().getSimpleName() + " " + e.getMessage());
    }
    if (!certificatePem.equals(state.certificatePem) || !keyPem.equals(state.keyPem)) {
      state.certificatePem = certificatePem;
      state.keyPem = keyPem;
      try {
        state.lastGood =
            new LoadedCertificate(
                TlsCertificateConfig.digest(certificatePem, keyPem),
                PemKeyPair.parse(certificatePem, keyPem));
        state.problem = null;
      } catch (IllegalArgumentException e) {
        state.problem = e.getMessage();
        if (state.lastGood != null)
          LOG.error(
              "certificate {} / {} refused: {}; the last good one keeps serving",
              pair.certificateFile(),
              pair.keyFile(),
              e.getMessage());
      }
    }
    if (state.lastGood == null) throw new IllegalArgumentException(state.problem);
    return state.lastGood;
  }

  private LoadedCertificate keepOrFail(FilePair pair, FileState state, String problem) {
    if (state.lastGood == null) throw new IllegalArgumentException(problem);
    if (!problem.equals(state.problem))
      LOG.error(
          "certificate {}: {}; the last good one keeps serving", pair.certificateFile(), problem);
    state.problem = problem;
    return state.lastGood;
  }

  private LoadedCertificate fromSecret(TlsCertificateConfig config)
      throws CertificatesPendingException {
    String certificatePem = secret.get(TlsCertificateConfig.certificateKey(config.secretKey()));
    String keyPem = secret.get(TlsCertificateConfig.privateKeyKey(config.secretKey()));
    if (certificatePem == null
        || keyPem == null
        || !TlsCertificateConfig.digest(certificatePem, keyPem).equals(config.sha256()))
      throw new CertificatesPendingException(
          "certificate '" + config.name() + "' (sha256 " + config.sha256() + ")");
    LoadedCertificate loaded = secretByDigest.get(config.sha256());
    if (loaded == null) {
      loaded = new LoadedCertificate(config.sha256(), PemKeyPair.parse(certificatePem, keyPem));
      secretByDigest.put(config.sha256(), loaded);
    }
    return loaded;
  }

  /**
   * The bytes of a DataScript crypto key held, base64-encoded, under {@code secretKey} of the TLS
   * Secret, when their SHA-256 is {@code sha256}.
   *
   * @throws CertificatesPendingException when the Secret does not hold that key (yet)
   */
  public synchronized byte[] secretKeyBytes(String what, String secretKey, String sha256)
      throws CertificatesPendingException {
    String text = secret.get(secretKey);
    byte[] bytes = null;
    if (text != null) {
      try {
        bytes = java.util.Base64.getDecoder().decode(text.strip());
      } catch (IllegalArgumentException e) {
        bytes = null;
      }
    }
    if (bytes == null || !DataScriptConfig.CryptoKey.digest(bytes).equals(sha256))
      throw new CertificatesPendingException(what + " (sha256 " + sha256 + ")");
    return bytes;
  }

  /**
   * The TLS Secret's content changed; true when it differs from what was held.
   *
   * @param data its keys and their (decoded) values
   */
  public synchronized boolean secretChanged(Map<String, String> data) {
    if (data.equals(secret)) return false;
    secret = Map.copyOf(data);
    secretByDigest.keySet().retainAll(secretDigests());
    return true;
  }

  private List<String> secretDigests() {
    List<String> digests = new ArrayList<>();
    secret.forEach(
        (key, value) -> {
          if (!key.endsWith(".crt")) return;
          String keyPem = secret.get(key.substring(0, key.length() - 4) + ".key");
          if (keyPem != null) digests.add(TlsCertificateConfig.digest(value, keyPem));
        });
    return digests;
  }

  /** True when a certificate file read before now holds something else (a rotation). */
  public synchronized boolean filesChanged() {
    for (var entry : files.entrySet()) {
      FileState state = entry.getValue();
      try {
        if (!Objects.equals(read(entry.getKey().certificateFile()), state.certificatePem)
            || !Objects.equals(read(entry.getKey().keyFile()), state.keyPem)) return true;
      } catch (IOException e) {
        if (state.problem == null) return true; // newly unreadable: let load() report it once
      }
    }
    return false;
  }

  /** Forgets the file pairs that no configuration uses any more. */
  public synchronized void retainFiles(Set<FilePair> used) {
    files.keySet().retainAll(used);
  }

  private static String read(String file) throws IOException {
    return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
  }
}
