package dev.limpet.dataplane.upstream.health;

/**
 * What one monitor currently says about one server, for the admin view.
 *
 * @param passing the verdict after the thresholds (a server is up only while all pass)
 * @param lastResult the last probe's outcome ({@code HTTP 200}, {@code timeout}), null before the
 *     first probe
 * @param lastFailure the last failed probe's outcome, null if none failed yet
 */
public record MonitorStatus(
    String monitor, boolean passing, String lastResult, String lastFailure) {}
