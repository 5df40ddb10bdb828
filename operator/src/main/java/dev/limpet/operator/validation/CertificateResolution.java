package dev.limpet.operator.validation;

import dev.limpet.contract.PemKeyPair;
import dev.limpet.contract.TlsCertificateConfig;
import dev.limpet.operator.api.VirtualServiceSpec;
import dev.limpet.operator.index.GroupSecrets;
import dev.limpet.operator.index.NamespaceView;
import dev.limpet.operator.render.ServedCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The certificates of one VirtualService, each from its Secret when that is usable (type {@code
 * kubernetes.io/tls}, PEM that parses, a key that matches, not expired), else the last good copy
 * its data-plane group's TLS Secret still holds, so that a broken Secret never takes a listener
 * down. What is wrong with each Secret is reported either way.
 *
 * @param served one per certificate that has something to serve, in spec order
 * @param missing Secrets not found
 * @param notReady Secrets found but not usable, each with why
 * @param complete every certificate has something to serve
 */
public record CertificateResolution(
    List<ServedCertificate> served, List<String> missing, List<String> notReady, boolean complete) {
  public static final CertificateResolution NONE =
      new CertificateResolution(List.of(), List.of(), List.of(), true);

  public static final String TLS_TYPE = "kubernetes.io/tls";
  private static final String KEPT = " (the data plane keeps serving its last good certificate)";

  public static CertificateResolution of(
      VirtualServiceSpec.Tls tls, String group, NamespaceView view, Instant now) {
    if (tls == null || tls.certificates() == null) return NONE;
    // the group's last good certificates, decoded only when a Secret is missing or bad
    Map<String, String> published = null;
    List<ServedCertificate> served = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> notReady = new ArrayList<>();
    boolean complete = true;
    for (var certificate : tls.certificates()) {
      String name = certificate.secretName();
      if (name == null) continue; // a spec problem, reported as such
      var secret = view.tlsSecret(name);
      String problem = secret.map(s -> problem(s, now)).orElse(null);
      if (secret.isPresent() && problem == null) {
        served.add(read(name, secret.get()));
        continue;
      }
      if (published == null) published = view.publishedCertificates(group);
      String crt = published.get(TlsCertificateConfig.certificateKey(name));
      String key = published.get(TlsCertificateConfig.privateKeyKey(name));
      boolean kept = crt != null && key != null;
      if (kept) served.add(new ServedCertificate(name, crt, key));
      else complete = false;
      if (secret.isEmpty())
        missing.add("Secret '" + name + "' (type " + TLS_TYPE + ")" + (kept ? KEPT : ""));
      else notReady.add("Secret '" + name + "': " + problem + (kept ? KEPT : ""));
    }
    return new CertificateResolution(served, missing, notReady, complete);
  }

  /** Why a Secret cannot serve, or null when it can. */
  private static String problem(Secret secret, Instant now) {
    if (!TLS_TYPE.equals(secret.getType()))
      return "is of type " + secret.getType() + ", not " + TLS_TYPE;
    var data = GroupSecrets.decoded(secret);
    if (data.get("tls.crt") == null || data.get("tls.crt").isBlank()) return "tls.crt is empty";
    if (data.get("tls.key") == null || data.get("tls.key").isBlank()) return "tls.key is empty";
    try {
      PemKeyPair pair = PemKeyPair.parse(data.get("tls.crt"), data.get("tls.key"));
      return pair.expiryProblem(now);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static ServedCertificate read(String name, Secret secret) {
    var data = GroupSecrets.decoded(secret);
    return new ServedCertificate(name, data.get("tls.crt"), data.get("tls.key"));
  }
}
