package io.blurstream.training.refit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The live trial of a shadow version against the version serving beside it, for one group: the job
 * forecasts every window with both and scores both forecasts once their horizon has passed (the
 * evaluations topic); the trial pairs the two scores of each window, so that both versions are
 * judged on exactly the same windows, and once it holds {@code windows} pairs it promotes the
 * shadow if its mean absolute error is below {@code (1 - margin)} times the serving version's, and
 * retires it otherwise.
 *
 * <p>Evaluations of other groups, models or versions and of forecasts whose horizon held no
 * observed value are ignored. A window scored for one version only waits for its pair among the
 * newest {@link #UNPAIRED_LIMIT} such windows; older ones are dropped (the serving version's
 * windows from before the shadow arrived never find a pair).
 */
public final class ShadowTrial {

    /** Windows scored for one version only, kept while their pair may still come. */
    static final int UNPAIRED_LIMIT = 4096;

    /** Where a trial stands. */
    public enum Verdict {
        PENDING,
        PROMOTE,
        RETIRE
    }

    private final String modelId;
    private final String groupId;
    private final long servingVersion;
    private final long shadowVersion;
    private final int windows;
    private final double margin;

    /** Issue time of a window scored for one version → {version, mae}. */
    private final Map<Long, double[]> unpaired =
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, double[]> eldest) {
                    return size() > UNPAIRED_LIMIT;
                }
            };

    private int pairs;
    private double servingMaeSum;
    private double shadowMaeSum;

    /**
     * @param windows paired forecasts needed for a verdict
     * @param margin the shadow must be better by this share of the serving version's error
     */
    public ShadowTrial(
            String modelId,
            String groupId,
            long servingVersion,
            long shadowVersion,
            int windows,
            double margin) {
        if (windows < 1) {
            throw new IllegalArgumentException("a trial needs ≥ 1 window, got " + windows);
        }
        if (servingVersion == shadowVersion) {
            throw new IllegalArgumentException(
                    "the shadow and serving versions are both " + servingVersion);
        }
        this.modelId = modelId;
        this.groupId = groupId;
        this.servingVersion = servingVersion;
        this.shadowVersion = shadowVersion;
        this.windows = windows;
        this.margin = margin;
    }

    /**
     * Takes one evaluation; returns whether it completed a pair. Pairs beyond the {@code windows}
     * needed still count: the verdict is on all of them.
     */
    public boolean offer(
            String group,
            String model,
            long version,
            long issuedForMillis,
            int observed,
            double mae) {
        if (observed <= 0
                || !Double.isFinite(mae)
                || !groupId.equals(group)
                || !modelId.equals(model)
                || (version != servingVersion && version != shadowVersion)) {
            return false;
        }
        double[] other = unpaired.get(issuedForMillis);
        if (other == null || other[0] == version) {
            // the first of its window, or the same version scored again (a replayed record)
            unpaired.put(issuedForMillis, new double[] {version, mae});
            return false;
        }
        unpaired.remove(issuedForMillis);
        double servingMae = version == servingVersion ? mae : other[1];
        double shadowMae = version == shadowVersion ? mae : other[1];
        servingMaeSum += servingMae;
        shadowMaeSum += shadowMae;
        pairs++;
        return true;
    }

    public Verdict verdict() {
        if (pairs < windows) {
            return Verdict.PENDING;
        }
        return shadowMae() < (1 - margin) * servingMae() ? Verdict.PROMOTE : Verdict.RETIRE;
    }

    /** Windows scored for both versions so far. */
    public int pairs() {
        return pairs;
    }

    public int windows() {
        return windows;
    }

    /** Mean absolute error of the serving version over the paired windows; NaN before a pair. */
    public double servingMae() {
        return pairs == 0 ? Double.NaN : servingMaeSum / pairs;
    }

    /** Mean absolute error of the shadow over the paired windows; NaN before a pair. */
    public double shadowMae() {
        return pairs == 0 ? Double.NaN : shadowMaeSum / pairs;
    }

    public long servingVersion() {
        return servingVersion;
    }

    public long shadowVersion() {
        return shadowVersion;
    }

    /** The state of the trial in words. */
    public String describe() {
        return String.format(
                "live MAE %.4f of shadow v%d against %.4f of v%d over %d paired forecasts (%s by"
                        + " the %.0f%% margin; %d needed)",
                shadowMae(),
                shadowVersion,
                servingMae(),
                servingVersion,
                pairs,
                shadowMae() < (1 - margin) * servingMae() ? "better" : "not better",
                margin * 100,
                windows);
    }
}
