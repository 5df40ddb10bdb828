#!/usr/bin/env bash
# The request-framing corpus (dataplane/src/test/java/dev/limpet/dataplane/framing/FramingCorpus.java)
# side by side: each case through HAProxy 2.6 (Debian's package) and through Limpet, both in front
# of one recording backend on 127.0.0.181; prints a Markdown table of what each client got and what
# reached the backend. Installs haproxy with apt-get when it is missing (needs root).
#   bench/framing-vs-haproxy.sh            # MVN=/path/to/mvn to use another Maven
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn}

if ! command -v haproxy >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
fi
haproxy -v | sed -n 1p

# the corpus, the recording backend and the comparison are test classes of the data plane
"$MVN" -o -q -B -pl dataplane -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/framing.cp -Dspotless.check.skip=true
java -cp "dataplane/target/test-classes:dataplane/target/classes:$(cat dataplane/target/framing.cp)" \
  dev.limpet.dataplane.framing.FramingComparison "$(command -v haproxy)"
