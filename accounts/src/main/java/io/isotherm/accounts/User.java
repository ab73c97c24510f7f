package io.isotherm.accounts;

import java.time.Instant;

/** A person who signs in to the dashboard. An administrator manages users and every site. */
public record User(long id, String email, boolean admin, Instant createdAt) {
}
