package dev.limpet.dataplane.framing;

/**
 * The framing corpus again, in front of a virtual service whose DataScript reads the request body:
 * the body is buffered before the script runs ({@code RequestBodyBuffer}), and every case must
 * still end as it does when bodies stream: the same answers, the same bytes at the backend.
 */
class FramingCorpusBufferedTest extends FramingCorpusTest {
  @Override
  String virtualService(int port, RecordingBackend backend) {
    return """
        virtualServices:
          - {name: web, address: 127.0.0.1, port: %d, pool: web, dataScripts: [body]}
        pools:
          - name: web
            servers: [{name: b, ip: %s, port: %d}]
        dataScripts:
          - name: body
            events:
              httpRequest: |
                local body = avi.http.get_req_body()
                avi.vs.log("body", #body)
        scriptLimits: {maxScriptBodyBytes: 1024}
        """
        .formatted(port, backend.ip(), backend.port());
  }
}
