package io.vigil.rules;

/**
 * A clinical alert raised by a rule.
 *
 * @param cause stable name of what is wrong, e.g. "news2-high", "threshold:heart-rate-high", "spo2-falling"
 * @param severity 1 (advisory) to 3 (emergency); a higher severity for the same cause is an escalation
 * @param rule the name of the rule that raised it
 */
public record Alert(String cause, int severity, String rule, String text) {
}
