package io.isotherm.accounts;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Asserts that a call fails with an {@link AccountError} of a given status and field. */
final class AccountErrors {
    private AccountErrors() {
    }

    static void assertAccountError(ThrowingCallable call, int status, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AccountError.class, e -> {
            assertThat(e.status()).as("status of: " + e.getMessage()).isEqualTo(status);
            assertThat(e.field()).as("field of: " + e.getMessage()).isEqualTo(field);
        });
    }
}
