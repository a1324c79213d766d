package io.predictionarchiver.webhook;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The {@code v1} signatures in a {@code webhook-signature} header: space-separated {@code <version>,<base64>}
 * entries. Entries of another version, without a comma, or whose signature is not base64 are skipped rather
 * than failing the header, so that a sender adding a new scheme alongside {@code v1} still verifies.
 */
final class SignatureHeader {

    private static final String VERSION = "v1";

    private SignatureHeader() {
    }

    static List<byte[]> v1Signatures(String header) {
        List<byte[]> signatures = new ArrayList<>();
        for (String entry : header.strip().split("\\s+")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !VERSION.equals(entry.substring(0, comma))) {
                continue;
            }
            try {
                signatures.add(Base64.getDecoder().decode(entry.substring(comma + 1)));
            } catch (IllegalArgumentException notBase64) {
                // A garbled entry cannot match; another entry still may.
            }
        }
        return signatures;
    }
}
