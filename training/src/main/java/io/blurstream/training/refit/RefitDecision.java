package io.blurstream.training.refit;

/**
 * One line of the refit log topic: what the refit service did and why.
 *
 * @param outcome {@code skipped} (too few rows), {@code discarded} (the candidate was not better),
 *     {@code published} (it was, and went to the model topic), then from the job: {@code swapped}
 *     (it serves), {@code shadowing} (it forecasts beside the serving version on trial) or {@code
 *     rejected}; a trial ends {@code promoted} or {@code retired}
 * @param basedOnVersion the serving version the candidate was fine-tuned from
 * @param candidateVersion the version the candidate was (or would have been) published as
 * @param rows rows in the rolling training set
 * @param newestRowMillis grid time of the newest of them
 * @param championMse held-out MSE of the serving model (standardised); NaN if not trained
 * @param candidateMse held-out MSE of the candidate; NaN if not trained
 * @param liveForecasts a shadow's trial: forecasts scored for both versions; 0 otherwise
 * @param servingLiveMae a shadow's trial: the serving version's mean absolute error over them, in
 *     the channels' units; NaN otherwise
 * @param shadowLiveMae a shadow's trial: the shadow's; NaN otherwise
 * @param reason in words
 */
public record RefitDecision(
        int v,
        long atMillis,
        String modelId,
        String groupId,
        String outcome,
        long basedOnVersion,
        long candidateVersion,
        int rows,
        long newestRowMillis,
        int trainWindows,
        int heldOutWindows,
        double championMse,
        double candidateMse,
        int liveForecasts,
        double servingLiveMae,
        double shadowLiveMae,
        String reason) {

    public static final String SKIPPED = "skipped";
    public static final String DISCARDED = "discarded";
    public static final String PUBLISHED = "published";
    public static final String SWAPPED = "swapped";
    public static final String REJECTED = "rejected";
    public static final String SHADOWING = "shadowing";
    public static final String PROMOTED = "promoted";
    public static final String RETIRED = "retired";
}
