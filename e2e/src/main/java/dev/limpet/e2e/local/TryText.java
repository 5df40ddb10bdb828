package dev.limpet.e2e.local;

/** What the local run prints once every example is Ready: commands a user can paste. */
final class TryText {
  private TryText() {}

  static String of(LocalSettings settings, String api) {
    String a = settings.dataPlaneIps().get(0);
    String b = settings.dataPlaneIps().get(1);
    return """

        Limpet is up: two data-plane replicas on %1$s and %2$s (two pods behind one Service),
        three demo pods answering "hello from <pod>". A client stays on its pod on either replica:

          HTTP cookie (8080): the first answer sets LIMPET; either replica honours it
            curl -si http://%1$s:8080/ | grep -i set-cookie
            curl -s -b 'LIMPET=<value printed above>' http://%2$s:8080/
          Client IP (8081): one source address, one pod, on both replicas
            curl -s --interface 127.0.5.1 http://%1$s:8081/
            curl -s --interface 127.0.5.1 http://%2$s:8081/
          App cookie (8082): Limpet learns JSESSIONID from the pod that set it
            curl -si http://%1$s:8082/login | grep -i set-cookie
            curl -s -b 'JSESSIONID=<value printed above>' http://%2$s:8082/
          Custom header (8083): curl -s -H 'X-Limpet-Server: demo-2' http://%1$s:8083/
          DataScript on a CDN header (8084):
            curl -s -H 'True-Client-IP: 203.0.113.7' http://%1$s:8084/
            curl -s -H 'True-Client-IP: 203.0.113.7' http://%2$s:8084/
          DataScript learning JSESSIONID (8085): as 8082, on port 8085
          IP deny list (8086): curl -si --interface 127.0.3.1 http://%1$s:8086/   (403)

        Type a command here (the embedded API server is enough for the operator, not for kubectl):
        %3$s
        Data-plane admin: curl -s http://%1$s:9901/pools   (also /tables /peers /metrics /config)
        The API itself: curl -s %5$s/apis/limpet.dev/v1alpha1/namespaces/default/virtualservices
        Logs: %4$s
        Ctrl-C stops everything.
        """
        .formatted(a, b, Console.HELP, settings.work().resolve("logs"), api);
  }
}
