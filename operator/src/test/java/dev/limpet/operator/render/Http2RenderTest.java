package dev.limpet.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.Http2Config;
import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.api.VirtualServiceSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A VirtualService's http2 block becomes the contract's, and its absence leaves HTTP/2 off. */
class Http2RenderTest {
  @Test
  void absentIsOffAndTheFieldsAreCarried() {
    VirtualService vs = TestResources.virtualService("web", 80, "web");
    assertThat(ResourceRenderer.virtualService(vs, Map.of()).http2().enabled()).isFalse();

    vs.setSpec(TestResources.withHttp2(vs.getSpec(), new VirtualServiceSpec.Http2(true, 12, null)));
    assertThat(ResourceRenderer.virtualService(vs, Map.of()).http2())
        .isEqualTo(new Http2Config(true, 12, 16 * 1024));
  }
}
