package io.blurstream.cli;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean …?" for misspelt command and option names. */
public final class Suggestions {

    private Suggestions() {}

    /**
     * The candidate closest to {@code input}, if it is close enough to be a plausible typo: within
     * one edit (a transposition counts as one) for short words, up to three for long ones, or
     * {@code input} is a prefix of it. Ties go to the first candidate in iteration order.
     */
    public static Optional<String> closest(String input, Collection<String> candidates) {
        int limit = Math.max(1, Math.min(3, input.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(input, candidate);
            if (input.length() >= 2 && candidate.startsWith(input)) {
                distance = Math.min(distance, limit);
            }
            if (distance <= limit && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions, transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best =
                        Math.min(
                                Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1
                        && j > 1
                        && a.charAt(i - 1) == b.charAt(j - 2)
                        && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[a.length()][b.length()];
    }
}
