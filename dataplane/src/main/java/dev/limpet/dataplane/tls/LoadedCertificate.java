package dev.limpet.dataplane.tls;

import dev.limpet.contract.PemKeyPair;

/** A certificate and key as read and checked, with the digest of their PEM text. */
record LoadedCertificate(String digest, PemKeyPair pair) {}
