package io.isotherm.dashboard.groups;

/**
 * A site's page group as stored (V19): its pages are those whose path matches the pattern, found when it is read.
 *
 * @param screenshotPageId the page whose screenshot and layout the group is drawn on; null for the busiest member
 */
public record PageGroup(long id, String name, PathPattern pattern, Long screenshotPageId) {}
