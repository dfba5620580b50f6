package org.projectbeacon.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of one guard ({@code beacon.guards.<name>.*}) or of every guard
 * ({@code beacon.guard-defaults.*}), written as in {@link org.projectbeacon.resilience.GuardSettings}:
 * durations as {@code 500ms}, {@code 5s}, {@code 2m} or ISO-8601. Values are kept as text and
 * parsed by {@code GuardSettings}, so a bad one fails start-up with the same message as the plain
 * API: the full key and the value. Not thread-safe (a binding target); read once at start-up.
 */
public class GuardProperties {

    /** count-based or time-based. */
    private String slidingWindowType;

    /** Calls (count-based) or seconds (time-based) the failure rate is computed over. */
    private String slidingWindowSize;

    /** Calls before the breaker computes a failure rate. */
    private String minimumNumberOfCalls;

    /** Failure rate in percent at which the breaker opens. */
    private String failureRateThreshold;

    /** Slow call rate in percent at which the breaker opens. */
    private String slowCallRateThreshold;

    /** Duration above which a call is slow, such as 2s. */
    private String slowCallDurationThreshold;

    /** Trial calls in the half-open state. */
    private String permittedCallsInHalfOpenState;

    /** Longest stay in the half-open state, such as 0s for no limit. */
    private String maxWaitInHalfOpenState;

    /** How long the breaker stays open, such as 30s. */
    private String waitDurationInOpenState;

    /** true to move from open to half-open without a call. */
    private String automaticTransitionToHalfOpen;

    /** Attempts including the first; 1 turns retries off. */
    private String retryMaxAttempts;

    /** Wait before the first retry, such as 100ms. */
    private String retryInitialInterval;

    /** Factor each later wait grows by. */
    private String retryMultiplier;

    /** Jitter of the waits, 0 to 1. */
    private String retryRandomizationFactor;

    /** Longest wait between retries. */
    private String retryMaxInterval;

    /** Time limit of one attempt, such as 10s, or none. */
    private String timeout;

    /** Concurrent calls allowed, or none. */
    private String bulkheadMaxConcurrentCalls;

    /** How long a call waits for a bulkhead permit. */
    private String bulkheadMaxWait;

    /**
     * The settings given, under their {@code GuardSettings} names, in declaration order.
     *
     * @return setting name to value, without unset settings
     */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        put(settings, "sliding-window-type", slidingWindowType);
        put(settings, "sliding-window-size", slidingWindowSize);
        put(settings, "minimum-number-of-calls", minimumNumberOfCalls);
        put(settings, "failure-rate-threshold", failureRateThreshold);
        put(settings, "slow-call-rate-threshold", slowCallRateThreshold);
        put(settings, "slow-call-duration-threshold", slowCallDurationThreshold);
        put(settings, "permitted-calls-in-half-open-state", permittedCallsInHalfOpenState);
        put(settings, "max-wait-in-half-open-state", maxWaitInHalfOpenState);
        put(settings, "wait-duration-in-open-state", waitDurationInOpenState);
        put(settings, "automatic-transition-to-half-open", automaticTransitionToHalfOpen);
        put(settings, "retry-max-attempts", retryMaxAttempts);
        put(settings, "retry-initial-interval", retryInitialInterval);
        put(settings, "retry-multiplier", retryMultiplier);
        put(settings, "retry-randomization-factor", retryRandomizationFactor);
        put(settings, "retry-max-interval", retryMaxInterval);
        put(settings, "timeout", timeout);
        put(settings, "bulkhead-max-concurrent-calls", bulkheadMaxConcurrentCalls);
        put(settings, "bulkhead-max-wait", bulkheadMaxWait);
        return settings;
    }

    private static void put(Map<String, String> settings, String name, String value) {
        if (value != null) {
            settings.put(name, value);
        }
    }

    /** @return the sliding-window-type setting, or {@code null} when unset */
    public String getSlidingWindowType() {
        return slidingWindowType;
    }

    /** @param slidingWindowType the sliding-window-type setting */
    public void setSlidingWindowType(String slidingWindowType) {
        this.slidingWindowType = slidingWindowType;
    }

    /** @return the sliding-window-size setting, or {@code null} when unset */
    public String getSlidingWindowSize() {
        return slidingWindowSize;
    }

    /** @param slidingWindowSize the sliding-window-size setting */
    public void setSlidingWindowSize(String slidingWindowSize) {
        this.slidingWindowSize = slidingWindowSize;
    }

    /** @return the minimum-number-of-calls setting, or {@code null} when unset */
    public String getMinimumNumberOfCalls() {
        return minimumNumberOfCalls;
    }

    /** @param minimumNumberOfCalls the minimum-number-of-calls setting */
    public void setMinimumNumberOfCalls(String minimumNumberOfCalls) {
        this.minimumNumberOfCalls = minimumNumberOfCalls;
    }

    /** @return the failure-rate-threshold setting, or {@code null} when unset */
    public String getFailureRateThreshold() {
        return failureRateThreshold;
    }

    /** @param failureRateThreshold the failure-rate-threshold setting */
    public void setFailureRateThreshold(String failureRateThreshold) {
        this.failureRateThreshold = failureRateThreshold;
    }

    /** @return the slow-call-rate-threshold setting, or {@code null} when unset */
    public String getSlowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    /** @param slowCallRateThreshold the slow-call-rate-threshold setting */
    public void setSlowCallRateThreshold(String slowCallRateThreshold) {
        this.slowCallRateThreshold = slowCallRateThreshold;
    }

    /** @return the slow-call-duration-threshold setting, or {@code null} when unset */
    public String getSlowCallDurationThreshold() {
        return slowCallDurationThreshold;
    }

    /** @param slowCallDurationThreshold the slow-call-duration-threshold setting */
    public void setSlowCallDurationThreshold(String slowCallDurationThreshold) {
        this.slowCallDurationThreshold = slowCallDurationThreshold;
    }

    /** @return the permitted-calls-in-half-open-state setting, or {@code null} when unset */
    public String getPermittedCallsInHalfOpenState() {
        return permittedCallsInHalfOpenState;
    }

    /** @param permittedCallsInHalfOpenState the permitted-calls-in-half-open-state setting */
    public void setPermittedCallsInHalfOpenState(String permittedCallsInHalfOpenState) {
        this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
    }

    /** @return the max-wait-in-half-open-state setting, or {@code null} when unset */
    public String getMaxWaitInHalfOpenState() {
        return maxWaitInHalfOpenState;
    }

    /** @param maxWaitInHalfOpenState the max-wait-in-half-open-state setting */
    public void setMaxWaitInHalfOpenState(String maxWaitInHalfOpenState) {
        this.maxWaitInHalfOpenState = maxWaitInHalfOpenState;
    }

    /** @return the wait-duration-in-open-state setting, or {@code null} when unset */
    public String getWaitDurationInOpenState() {
        return waitDurationInOpenState;
    }

    /** @param waitDurationInOpenState the wait-duration-in-open-state setting */
    public void setWaitDurationInOpenState(String waitDurationInOpenState) {
        this.waitDurationInOpenState = waitDurationInOpenState;
    }

    /** @return the automatic-transition-to-half-open setting, or {@code null} when unset */
    public String getAutomaticTransitionToHalfOpen() {
        return automaticTransitionToHalfOpen;
    }

    /** @param automaticTransitionToHalfOpen the automatic-transition-to-half-open setting */
    public void setAutomaticTransitionToHalfOpen(String automaticTransitionToHalfOpen) {
        this.automaticTransitionToHalfOpen = automaticTransitionToHalfOpen;
    }

    /** @return the retry-max-attempts setting, or {@code null} when unset */
    public String getRetryMaxAttempts() {
        return retryMaxAttempts;
    }

    /** @param retryMaxAttempts the retry-max-attempts setting */
    public void setRetryMaxAttempts(String retryMaxAttempts) {
        this.retryMaxAttempts = retryMaxAttempts;
    }

    /** @return the retry-initial-interval setting, or {@code null} when unset */
    public String getRetryInitialInterval() {
        return retryInitialInterval;
    }

    /** @param retryInitialInterval the retry-initial-interval setting */
    public void setRetryInitialInterval(String retryInitialInterval) {
        this.retryInitialInterval = retryInitialInterval;
    }

    /** @return the retry-multiplier setting, or {@code null} when unset */
    public String getRetryMultiplier() {
        return retryMultiplier;
    }

    /** @param retryMultiplier the retry-multiplier setting */
    public void setRetryMultiplier(String retryMultiplier) {
        this.retryMultiplier = retryMultiplier;
    }

    /** @return the retry-randomization-factor setting, or {@code null} when unset */
    public String getRetryRandomizationFactor() {
        return retryRandomizationFactor;
    }

    /** @param retryRandomizationFactor the retry-randomization-factor setting */
    public void setRetryRandomizationFactor(String retryRandomizationFactor) {
        this.retryRandomizationFactor = retryRandomizationFactor;
    }

    /** @return the retry-max-interval setting, or {@code null} when unset */
    public String getRetryMaxInterval() {
        return retryMaxInterval;
    }

    /** @param retryMaxInterval the retry-max-interval setting */
    public void setRetryMaxInterval(String retryMaxInterval) {
        this.retryMaxInterval = retryMaxInterval;
    }

    /** @return the timeout setting, or {@code null} when unset */
    public String getTimeout() {
        return timeout;
    }

    /** @param timeout the timeout setting */
    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    /** @return the bulkhead-max-concurrent-calls setting, or {@code null} when unset */
    public String getBulkheadMaxConcurrentCalls() {
        return bulkheadMaxConcurrentCalls;
    }

    /** @param bulkheadMaxConcurrentCalls the bulkhead-max-concurrent-calls setting */
    public void setBulkheadMaxConcurrentCalls(String bulkheadMaxConcurrentCalls) {
        this.bulkheadMaxConcurrentCalls = bulkheadMaxConcurrentCalls;
    }

    /** @return the bulkhead-max-wait setting, or {@code null} when unset */
    public String getBulkheadMaxWait() {
        return bulkheadMaxWait;
    }

    /** @param bulkheadMaxWait the bulkhead-max-wait setting */
    public void setBulkheadMaxWait(String bulkheadMaxWait) {
        this.bulkheadMaxWait = bulkheadMaxWait;
    }
}
